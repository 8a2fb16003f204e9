/**
 * One jump of virtual time ends in the same observable state as getting
 * there one second at a time: budgets (usage, reset counts, next and last
 * resets, history), executions, leases, workers, quota slots and the tick
 * count of every scanner. Only the number of advance calls differs.
 */
import { describe, expect, it } from 'vitest';
import type { Engine } from '../../src/index.js';
import { makeEngine, rows, WORKER } from './helpers.js';

const SECOND = 1_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The same scenario on a fresh engine (seeded ids, so two of them match row for row). */
async function scenario() {
  const { engine, clock } = await makeEngine({ scanners: {}, seed: 9 });
  const t0 = clock.now();
  for (let i = 0; i < 6; i++) {
    engine.createBudget({ budgetId: `fast-${i}`, dimensions: [{ name: 'tokens', hardLimit: 50 }], resetIntervalMs: 30 * SECOND });
  }
  engine.reportUsageAdmin({ budgetId: 'fast-0', usage: { tokens: 5 } });
  engine.reportUsageAdmin({ budgetId: 'fast-1', usage: { tokens: 60 } }); // a hard breach: work without usage
  for (let i = 0; i < 3; i++) engine.createBudget({ budgetId: `daily-${i}`, dimensions: [{ name: 'calls' }], resetIntervalMs: DAY });
  engine.reportUsageAdmin({ budgetId: 'daily-0', usage: { calls: 3 }, dedupKey: 'k', dedupTtlMs: HOUR });
  engine.createBudget({ budgetId: 'never', dimensions: [{ name: 'x' }] });
  engine.reportUsageAdmin({ budgetId: 'never', usage: { x: 1 } });

  for (let i = 0; i < 40; i++) engine.createExecution({ laneId: 'later', delayUntil: t0 + ((i * 7_919_993) % (2 * DAY)) + 1 });
  for (let i = 0; i < 3; i++) engine.createExecution({ laneId: 'now' });
  // Leases that run out, one of them on a quota slot with a TTL.
  const leased = engine.claim({ laneId: 'now', ...WORKER, leaseTtlMs: 10 * 60 * SECOND })!;
  engine.claim({ laneId: 'now', ...WORKER, leaseTtlMs: 3 * HOUR });
  engine.createQuotaPolicy({ quotaPolicyId: 'q', windowSeconds: 120, maxRequestsPerWindow: 10, maxConcurrent: 2 });
  engine.checkAdmission({ quotaPolicyId: 'q', executionId: leased.executionId, slotTtlMs: 2 * HOUR });
  for (let i = 0; i < 3; i++) {
    engine.registerWorker({ workerId: `w${i}`, workerInstanceId: `w${i}-1`, lanes: ['now'], capabilities: [], livenessTtlMs: (30 + i * 45) * SECOND });
  }
  return { engine, clock, t0 };
}

/** What a user changes along the way, at fixed times (relative to t0). */
const ACTIONS: [number, (engine: Engine) => void][] = [
  [10 * HOUR + 17 * SECOND, (e) => void e.reportUsageAdmin({ budgetId: 'fast-3', usage: { tokens: 7 } })],
  [10 * HOUR + 17 * SECOND, (e) => void e.reportUsageAdmin({ budgetId: 'daily-2', usage: { calls: 1 } })],
  [30 * HOUR + 5 * SECOND, (e) => void e.resetBudget({ budgetId: 'fast-4' })],
  [31 * HOUR, (e) => void e.reportUsageAdmin({ budgetId: 'fast-0', usage: { tokens: 1 } })],
];

function observe(engine: Engine): unknown {
  const budgets = engine.listBudgets({ limit: 100 }).budgets;
  return {
    now: engine.now(),
    budgets,
    budgetEvents: budgets.map((b) => engine.listBudgetEvents({ budgetId: b.budgetId, limit: 1000 }).events),
    executions: engine.listExecutions({ limit: 1000 }).executions.map((e) => [e.executionId, e.publicState, e.eligibleAtMs]),
    ownership: rows(engine, 'SELECT execution_id, ownership_state FROM ff_exec_core ORDER BY execution_id'),
    workers: engine.listWorkers({}).workers,
    quota: rows(engine, 'SELECT * FROM ff_quota_admitted'),
    ticks: engine.scannerStates().map((s) => [s.name, s.ticks, s.lastTickAt]),
  };
}

describe('virtual time: one jump equals one-second steps', () => {
  it('two virtual days', async () => {
    const stepped = await scenario();
    const jumped = await scenario();
    const end = stepped.t0 + 2 * DAY;

    let next = 0;
    for (let t = stepped.t0 + SECOND; t <= end; t += SECOND) {
      stepped.clock.advanceTo(t);
      while (next < ACTIONS.length && stepped.t0 + ACTIONS[next]![0] === t) ACTIONS[next++]![1](stepped.engine);
    }

    let ticks = 0;
    for (const [at, act] of ACTIONS) {
      const result = jumped.engine.advanceTimeTo({ at: jumped.t0 + at });
      expect(result.finished).toBe(true);
      ticks += result.ticks;
      act(jumped.engine);
    }
    const last = jumped.engine.advanceTimeTo({ at: end });
    ticks += last.ticks;
    expect(last).toMatchObject({ finished: true, reachedAt: end });

    expect(observe(jumped.engine)).toEqual(observe(stepped.engine));
    // The jump cost the ticks that changed something, not one per virtual second.
    expect(ticks).toBeLessThan(100);
    // Everything due by the end ran: what is left (nothing, here) lies ahead.
    expect(jumped.engine.nextDue()?.at ?? Number.POSITIVE_INFINITY).toBeGreaterThan(end);
  }, 120_000);
});
