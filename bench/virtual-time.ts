/**
 * Virtual time: one `advanceTime` of ten virtual years over a busy dev
 * database, with every default scanner on. What it costs must follow the
 * state changes it makes, not the time it covers:
 *
 * - 100 budgets resetting every 30 s and 20 resetting daily, a third of
 *   them with usage (some reported with dedup keys, for dedup_cleanup);
 * - 1,000 executions delayed across the next year;
 * - 10 workers that register and never heartbeat again.
 *
 * Targets: under 2 s of wall time, under 2 MB of database growth, and the
 * same observable state (budget status with reset counts and next resets,
 * execution states, worker states) as getting there in small steps.
 */
import type { Driver } from '../src/db/driver.js';
import { seededIds } from '../src/engine/core/ids.js';
import { createEngine } from '../src/engine/create-engine.js';
import type { Engine } from '../src/engine/engine.js';
import { ManualClock, type AdvanceResult } from '../src/engine/time/clock.js';
import { prng } from './stats.js';
import { renderTable } from './table.js';

const SECOND = 1_000;
const DAY = 86_400_000;
const YEAR = 365 * DAY;
export const TEN_YEARS = 10 * YEAR;
const TARGET_WALL_MS = 2_000;
const TARGET_GROWTH_BYTES = 2 * 1024 * 1024;

export interface VirtualTimeSize {
  fastBudgets: number;
  dailyBudgets: number;
  delayed: number;
  workers: number;
}

export const FULL_SIZE: VirtualTimeSize = { fastBudgets: 100, dailyBudgets: 20, delayed: 1_000, workers: 10 };

async function scenarioEngine(driver: Driver, size: VirtualTimeSize): Promise<{ engine: Engine; clock: ManualClock }> {
  const clock = new ManualClock(0);
  // Default scanners, default intervals; seeded ids so two engines built alike match row for row.
  const engine = await createEngine({ devMode: true, driver, clock, banner: false, ids: seededIds(7), scanners: {} });
  const random = prng(0x71fe);
  const budget = (budgetId: string, resetIntervalMs: number, used: boolean, dedup: boolean): void => {
    engine.createBudget({ budgetId, dimensions: [{ name: 'tokens', hardLimit: 1_000_000 }], resetIntervalMs });
    if (used) engine.reportUsageAdmin({ budgetId, usage: { tokens: 1 + Math.floor(random() * 500) }, ...(dedup ? { dedupKey: `${budgetId}-k` } : {}) });
  };
  for (let i = 0; i < size.fastBudgets; i++) budget(`fast-${i}`, 30 * SECOND, i % 3 === 0, i % 9 === 0);
  for (let i = 0; i < size.dailyBudgets; i++) budget(`daily-${i}`, DAY, i % 3 === 0, false);
  const executions = Array.from({ length: size.delayed }, () => ({ laneId: 'later', delayUntil: 1 + Math.floor(random() * YEAR) }));
  for (let i = 0; i < executions.length; i += 500) engine.createExecutions({ executions: executions.slice(i, i + 500) });
  for (let i = 0; i < size.workers; i++) {
    engine.registerWorker({ workerId: `w${i}`, workerInstanceId: `w${i}-1`, lanes: ['later'], capabilities: [], livenessTtlMs: 30 * SECOND + i * 1_000 });
  }
  return { engine, clock };
}

/** Everything a user can read about the scenario's budgets, executions and workers. */
export function observe(engine: Engine): unknown {
  const budgets = [];
  for (let cursor: string | undefined; ; ) {
    const page = engine.listBudgets({ limit: 1000, ...(cursor === undefined ? {} : { cursor }) });
    budgets.push(...page.budgets);
    if (page.nextCursor === null) break;
    cursor = page.nextCursor;
  }
  const executions = [];
  for (let cursor: string | undefined; ; ) {
    const page = engine.listExecutions({ limit: 1000, ...(cursor === undefined ? {} : { cursor }) });
    executions.push(...page.executions.map((e) => [e.executionId, e.publicState, e.eligibleAtMs]));
    if (page.nextCursor === null) break;
    cursor = page.nextCursor;
  }
  const workers = engine.listWorkers({}).workers.map((w) => [w.workerInstanceId, w.state, w.expiresAtMs]);
  return { now: engine.now(), budgets, executions, workers };
}

export interface VirtualTimeResult {
  driver: string;
  wallMs: number;
  growthBytes: number;
  advance: Omit<AdvanceResult, 'reports'>;
  /** Ticks that did work, by scanner. */
  work: Record<string, number>;
  /** The small-step run, and whether it ended in the same observable state. */
  stepMs: number;
  steps: number;
  sameState: boolean;
  error?: string;
}

/** One jump of ten years, then the same scenario in `stepMs` steps on a second engine, compared. */
export async function runVirtualTime(name: string, open: () => Promise<Driver>, stepMs: number): Promise<VirtualTimeResult> {
  const jump = await scenarioEngine(await open(), FULL_SIZE);
  const stepped = await scenarioEngine(await open(), FULL_SIZE);
  try {
    const before = jump.engine.exportImage().byteLength;
    const t0 = performance.now();
    const result = jump.engine.advanceTime({ ms: TEN_YEARS });
    const wallMs = performance.now() - t0;
    const growthBytes = jump.engine.exportImage().byteLength - before;
    const work: Record<string, number> = {};
    for (const r of result.reports) if (r.processed > 0) work[r.scanner] = (work[r.scanner] ?? 0) + 1;
    const { reports: _reports, ...advance } = result;
    let steps = 0;
    for (let t = stepMs; t <= TEN_YEARS; t += stepMs, steps++) stepped.clock.advanceTo(t);
    const sameState = JSON.stringify(observe(stepped.engine)) === JSON.stringify(observe(jump.engine));
    return { driver: name, wallMs, growthBytes, advance, work, stepMs, steps, sameState };
  } finally {
    jump.engine.close();
    stepped.engine.close();
  }
}

export function renderVirtualTime(results: VirtualTimeResult[]): string {
  const mb = (b: number): string => (Number.isFinite(b) ? `${(b / 1024 / 1024).toFixed(2)} MB` : '-');
  return renderTable(
    [
      { header: 'driver', align: 'left' },
      { header: 'wall ms' },
      { header: 'db growth' },
      { header: 'ticks' },
      { header: 'ticks with work', align: 'left' },
      { header: 'finished' },
      { header: 'same as steps' },
      { header: 'target' },
      { header: 'result', align: 'left' },
    ],
    results.map((r) => {
      const pass = r.advance.finished && r.sameState && r.wallMs < TARGET_WALL_MS && r.growthBytes < TARGET_GROWTH_BYTES;
      return [
        r.driver,
        Number.isFinite(r.wallMs) ? Math.round(r.wallMs).toLocaleString('en-US') : '-',
        mb(r.growthBytes),
        r.advance.ticks.toLocaleString('en-US'),
        Object.entries(r.work)
          .map(([s, n]) => `${s} ${n}`)
          .join(', '),
        String(r.advance.finished),
        `${r.sameState} (${r.steps.toLocaleString('en-US')} steps)`,
        '< 2 s, < 2 MB',
        r.error ? `ERROR ${r.error}` : pass ? 'PASS' : 'MISS',
      ];
    }),
  );
}

export function failedVirtualTime(name: string, error: string): VirtualTimeResult {
  const advance = { reachedAt: Number.NaN, target: TEN_YEARS, finished: false, ticks: 0, stoppedBy: null };
  return { driver: name, wallMs: Number.NaN, growthBytes: Number.NaN, advance, work: {}, stepMs: 0, steps: 0, sameState: false, error };
}
