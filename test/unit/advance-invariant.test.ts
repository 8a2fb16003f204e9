/**
 * Property: after any advance, however it interleaves with writes and
 * whatever budget it is given, no scanner has work due in the past. A
 * finished advance leaves every due tick behind it run; one stopped short
 * leaves the clock at the last instant it processed, with nothing due before.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Engine } from '../../src/index.js';
import { makeEngine, rows } from './helpers.js';

const SECOND = 1_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The default intervals of the scanners whose state the reads below show. */
const RESET_EVERY = SECOND;
const PROMOTE_EVERY = SECOND;
const LEASE_EVERY = SECOND;
const WORKER_SWEEP_EVERY = 5 * SECOND;

type Op =
  | { kind: 'budget'; intervalMs: number }
  | { kind: 'usage'; budget: number; amount: number }
  | { kind: 'reset'; budget: number }
  | { kind: 'execution'; delayMs: number }
  | { kind: 'claim'; leaseTtlMs: number }
  | { kind: 'worker'; ttlMs: number }
  | { kind: 'heartbeat'; worker: number }
  | { kind: 'advance'; ms: number; maxTicks: number | undefined };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('budget' as const), intervalMs: fc.constantFrom(0, SECOND, 30 * SECOND, HOUR, DAY, 7 * DAY) }),
  fc.record({ kind: fc.constant('usage' as const), budget: fc.nat(9), amount: fc.nat(15) }),
  fc.record({ kind: fc.constant('reset' as const), budget: fc.nat(9) }),
  fc.record({ kind: fc.constant('execution' as const), delayMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3 * DAY })) }),
  fc.record({ kind: fc.constant('claim' as const), leaseTtlMs: fc.integer({ min: SECOND, max: HOUR }) }),
  fc.record({ kind: fc.constant('worker' as const), ttlMs: fc.integer({ min: SECOND, max: HOUR }) }),
  fc.record({ kind: fc.constant('heartbeat' as const), worker: fc.nat(4) }),
  fc.record({
    kind: fc.constant('advance' as const),
    ms: fc.oneof(fc.integer({ min: 0, max: 10 * SECOND }), fc.integer({ min: 0, max: 40 * DAY }), fc.constant(400 * DAY)),
    maxTicks: fc.option(fc.integer({ min: 1, max: 30 }), { nil: undefined }),
  }),
);

function apply(engine: Engine, o: Op, budgets: string[], workers: string[]): void {
  const pick = <T,>(list: T[], i: number): T | undefined => list[i % Math.max(1, list.length)];
  switch (o.kind) {
    case 'budget': {
      if (budgets.length >= 10) return;
      const budgetId = `b${budgets.length}`;
      engine.createBudget({ budgetId, dimensions: [{ name: 'x', hardLimit: 20 }], resetIntervalMs: o.intervalMs });
      budgets.push(budgetId);
      return;
    }
    case 'usage': {
      const budgetId = pick(budgets, o.budget);
      if (budgetId) engine.reportUsageAdmin({ budgetId, usage: { x: o.amount } });
      return;
    }
    case 'reset': {
      const budgetId = pick(budgets, o.budget);
      if (budgetId) engine.resetBudget({ budgetId });
      return;
    }
    case 'execution':
      engine.createExecution({ laneId: 'l', ...(o.delayMs > 0 ? { delayUntil: engine.now() + o.delayMs } : {}) });
      return;
    case 'claim':
      engine.claim({ laneId: 'l', workerId: 'w', workerInstanceId: 'w-claim', leaseTtlMs: o.leaseTtlMs });
      return;
    case 'worker': {
      const workerInstanceId = `w${workers.length}`;
      engine.registerWorker({ workerId: 'w', workerInstanceId, lanes: ['l'], capabilities: [], livenessTtlMs: o.ttlMs });
      workers.push(workerInstanceId);
      return;
    }
    case 'heartbeat': {
      const workerInstanceId = pick(workers, o.worker);
      if (workerInstanceId) engine.heartbeatWorker({ workerInstanceId });
      return;
    }
    case 'advance':
      return;
  }
}

/** Nothing the scanners own is overdue by more than the scanner's own interval (the gap a real clock has too). */
function expectNothingOverdue(engine: Engine): void {
  const now = engine.now();
  for (const b of engine.listBudgets({ limit: 100 }).budgets) {
    if (b.nextResetAtMs !== null) expect(b.nextResetAtMs, `budget ${b.budgetId}`).toBeGreaterThan(now - RESET_EVERY);
  }
  for (const e of engine.listExecutions({ publicState: 'delayed', limit: 1000 }).executions) {
    expect(e.eligibleAtMs, `execution ${e.executionId}`).toBeGreaterThan(now - PROMOTE_EVERY);
  }
  for (const w of engine.listWorkers({}).workers) {
    if (w.state === 'alive') expect(w.expiresAtMs, `worker ${w.workerInstanceId}`).toBeGreaterThan(now - WORKER_SWEEP_EVERY);
  }
  const leases = rows<{ at: number }>(
    engine,
    `SELECT a.lease_expires_at_ms AS at FROM ff_attempt a JOIN ff_exec_core e
        ON e.execution_id = a.execution_id AND e.attempt_index = a.attempt_index
      WHERE e.ownership_state = 'leased'`,
  );
  for (const lease of leases) expect(lease.at).toBeGreaterThan(now - LEASE_EVERY);
}

describe('after any advance, no scanner has due work in the past', () => {
  it('holds for random writes and advances, with and without a tick budget', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 40 }), async (ops) => {
        const { engine } = await makeEngine({ scanners: {} });
        const budgets: string[] = [];
        const workers: string[] = [];
        try {
          for (const o of ops) {
            if (o.kind !== 'advance') {
              apply(engine, o, budgets, workers);
              continue;
            }
            const start = engine.now();
            const result = engine.advanceTime({ ms: o.ms, ...(o.maxTicks === undefined ? {} : { maxTicks: o.maxTicks }) });
            expect(result.target).toBe(start + o.ms);
            expect(engine.now()).toBe(result.reachedAt);
            expect(result.ticks).toBeGreaterThanOrEqual(result.reports.length);
            const due = engine.nextDue();
            if (result.finished) {
              expect(result.reachedAt).toBe(result.target);
              // Every tick due up to the target ran.
              if (due) expect(due.at).toBeGreaterThan(result.target);
              expectNothingOverdue(engine);
            } else {
              // Stopped short on its budget: nothing due before the instant it reached, and it says so.
              expect(o.maxTicks).toBeDefined();
              expect(result).toMatchObject({ stoppedBy: 'maxTicks', ticks: o.maxTicks });
              expect(result.reachedAt).toBeLessThanOrEqual(result.target);
              expect(due).not.toBeNull();
              expect(due!.at).toBeGreaterThanOrEqual(result.reachedAt);
            }
          }
        } finally {
          engine.close();
        }
      }),
      { numRuns: 60 },
    );
  }, 120_000);
});
