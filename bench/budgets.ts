/**
 * Budget benchmarks: reportUsage on the worker path, and the cost of one
 * budget_reset tick as the budget table grows while the number of due
 * budgets stays at 20 (it must not grow with the table).
 */
import type { Driver } from '../src/db/driver.js';
import { ManualClock } from '../src/engine/time/clock.js';
import { createEngine } from '../src/engine/create-engine.js';
import type { Engine } from '../src/engine/engine.js';
import { Samples, summarize, type Summary } from './stats.js';
import { fmtUs, fmtX, renderTable } from './table.js';

/** Same shape as the hot-op scenarios in run.ts. */
export interface BudgetOpScenario {
  key: string;
  label: string;
  target: number;
  run(engine: Engine, n: number, warmup: number, s: Samples): void;
}

export function reportUsageScenario(target: number): BudgetOpScenario {
  return {
    key: 'report_usage',
    label: 'reportUsage (worker, 2 dims)',
    target,
    run(engine, n, warmup, s) {
      engine.createBudget({
        budgetId: 'bench',
        dimensions: [
          { name: 'tokens', hardLimit: Number.MAX_SAFE_INTEGER, softLimit: Number.MAX_SAFE_INTEGER - 1 },
          { name: 'calls', hardLimit: Number.MAX_SAFE_INTEGER },
        ],
      });
      engine.createExecution({ laneId: 'bench-usage' });
      const handle = engine.claim({ laneId: 'bench-usage', workerId: 'bench', workerInstanceId: 'bench-1', leaseTtlMs: 3_600_000 })!;
      const usage = { tokens: 17, calls: 1 };
      for (let i = 0; i < warmup; i++) engine.reportUsage({ handle, budgetId: 'bench', usage });
      for (let i = 0; i < n; i++) {
        const r = s.time(() => engine.reportUsage({ handle, budgetId: 'bench', usage }));
        if (r.kind !== 'ok') throw new Error(`reportUsage: expected ok, got ${r.kind}`);
      }
    },
  };
}

export interface BudgetResetResult {
  driver: string;
  sizes: { budgets: number; tick: Summary }[];
  /** Tick p50 at the largest table ÷ at the smallest. */
  ratio: number;
  error?: string;
}

const DUE = 20;
const SECOND = 1_000;
const YEAR = 365 * 24 * 3_600_000;

/**
 * `budgets` budgets, of which 20 reset every second and the rest once a year.
 * Each timed sample is one virtual second: exactly one budget_reset tick that
 * resets the same 20 budgets. Usage is reported to those 20 before each
 * sample (untimed): a budget with nothing to reset is never the scanner's work.
 */
async function tickCost(driver: Driver, budgets: number, reps: number): Promise<Summary> {
  const clock = new ManualClock(0);
  const off = { lease_expiry: 0, delayed_promotion: 0, worker_registry_ttl_sweep: 0, dedup_cleanup: 0, quota_window_cleanup: 0 };
  const engine = await createEngine({ devMode: true, driver, clock, banner: false, scanners: { intervals: { ...off, budget_reset: SECOND } } });
  try {
    for (let i = 0; i < budgets; i++) {
      engine.createBudget({ budgetId: `b${i}`, dimensions: [{ name: 'x', hardLimit: 100 }], resetIntervalMs: i < DUE ? SECOND : YEAR });
    }
    const s = new Samples(reps);
    for (let rep = 0; rep < reps + 5; rep++) {
      for (let i = 0; i < DUE; i++) engine.reportUsageAdmin({ budgetId: `b${i}`, usage: { x: 1 } });
      const run = (): void => {
        const { reports } = engine.advanceTime({ ms: SECOND });
        if (reports.length !== 1 || reports[0]!.processed !== DUE) throw new Error(`expected one tick resetting ${DUE}, got ${JSON.stringify(reports)}`);
      };
      if (rep < 5) run(); // warm-up
      else s.time(run);
    }
    return summarize(s);
  } finally {
    engine.close();
  }
}

export async function runBudgetResetTick(name: string, open: () => Promise<Driver>, sizes: number[], reps: number): Promise<BudgetResetResult> {
  const out: BudgetResetResult['sizes'] = [];
  for (const budgets of sizes) out.push({ budgets, tick: await tickCost(await open(), budgets, reps) });
  const first = out[0]!.tick.p50Us;
  const last = out[out.length - 1]!.tick.p50Us;
  return { driver: name, sizes: out, ratio: last / first };
}

export function renderBudgetReset(results: BudgetResetResult[], sizes: number[]): string {
  const k = (n: number): string => (n >= 1000 ? `${n / 1000}k` : String(n));
  return renderTable(
    [
      { header: 'driver', align: 'left' },
      ...sizes.map((n) => ({ header: `tick p50 @${k(n)} us` })),
      ...sizes.map((n) => ({ header: `p99 @${k(n)} us` })),
      { header: `${k(sizes[sizes.length - 1]!)}/${k(sizes[0]!)}` },
      { header: 'target' },
      { header: 'result', align: 'left' },
    ],
    results.map((r) => [
      r.driver,
      ...sizes.map((_, i) => fmtUs(r.sizes[i]?.tick.p50Us ?? Number.NaN)),
      ...sizes.map((_, i) => fmtUs(r.sizes[i]?.tick.p99Us ?? Number.NaN)),
      fmtX(r.ratio),
      '<= 1.5x',
      r.error ? `ERROR ${r.error}` : r.ratio <= 1.5 ? 'PASS' : 'MISS',
    ]),
  );
}
