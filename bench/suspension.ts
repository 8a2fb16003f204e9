/**
 * Suspension round trip, run on one driver at a time (bench/run.ts calls it
 * for each driver and prints `renderSuspensionBench`): a claimed execution
 * suspends on an approval waitpoint, the signal is delivered with the
 * returned token (the condition is met: resumable), claimResumedExecution
 * opens the resume attempt, and completeExecution ends it. One sample is
 * that whole sequence, in-process; each step is also timed on its own.
 * The claims that set each sample up are not timed.
 *
 * Goal: p50 under 1 ms in-process. FlowFabric publishes 9.11 ms p50 for
 * suspend → signal → resume on Valkey.
 */
import type { Driver } from '../src/db/driver.js';
import { RealClock } from '../src/engine/time/clock.js';
import { createEngine } from '../src/engine/create-engine.js';
import type { Engine } from '../src/engine/engine.js';
import type { Handle } from '../src/api/handle.js';
import { Samples, summarize, type Summary } from './stats.js';
import { fmtOps, fmtUs, renderTable } from './table.js';

export const FLOWFABRIC_SUSPEND_P50_MS = 9.11;
export const GOAL_P50_MS = 1;

const LANE = 'bench-suspend';
const WORKER = { workerId: 'bench-suspend-worker', workerInstanceId: 'bench-suspend-worker-1', leaseTtlMs: 600_000 } as const;
const STEPS = ['suspend', 'deliverSignal', 'claimResumedExecution', 'completeExecution'] as const;

export interface SuspensionBenchResult {
  driver: string;
  roundTrip: Summary;
  steps: Record<(typeof STEPS)[number], Summary>;
  error?: string;
}

function roundTrip(engine: Engine, handle: Handle, total: Samples | null, steps: Record<string, Samples> | null): void {
  const time = <T>(step: string, op: () => T): T => (steps ? steps[step]!.time(op) : op());
  const run = (): void => {
    const suspended = time('suspend', () =>
      engine.suspend({ handle, waitpoints: [{ kind: 'fresh', waitpointKey: 'approval' }], resumeCondition: { kind: 'approval' } }),
    );
    const wp = suspended.waitpoints[0]!;
    const delivered = time('deliverSignal', () =>
      engine.deliverSignal({ executionId: handle.executionId, waitpointId: wp.waitpointId, waitpointToken: wp.token, signalName: 'approved' }),
    );
    if (delivered.effect !== 'resume_condition_satisfied') throw new Error(`deliverSignal: ${delivered.effect}`);
    const resumed = time('claimResumedExecution', () => engine.claimResumedExecution({ executionId: handle.executionId, ...WORKER }));
    time('completeExecution', () => engine.completeExecution({ handle: resumed }));
  };
  if (total) total.time(run);
  else run();
}

export async function runSuspensionBench(driverName: string, openDriver: () => Promise<Driver>, quick: boolean): Promise<SuspensionBenchResult> {
  const n = quick ? 300 : 3000;
  const warmup = quick ? 50 : 200;
  const engine = await createEngine({ devMode: true, driver: await openDriver(), clock: new RealClock(), banner: false, scanners: false });
  try {
    engine.seedWaitpointHmacSecret({ kid: 'bench', secretHex: 'ab'.repeat(32) });
    const claimed = (): Handle => {
      engine.createExecution({ laneId: LANE });
      const handle = engine.claim({ laneId: LANE, ...WORKER });
      if (!handle) throw new Error('claim returned null');
      return handle;
    };
    for (let i = 0; i < warmup; i++) roundTrip(engine, claimed(), null, null);
    const total = new Samples(n);
    const steps = Object.fromEntries(STEPS.map((s) => [s, new Samples(n)])) as Record<(typeof STEPS)[number], Samples>;
    for (let i = 0; i < n; i++) roundTrip(engine, claimed(), total, steps);
    return {
      driver: driverName,
      roundTrip: summarize(total),
      steps: Object.fromEntries(STEPS.map((s) => [s, summarize(steps[s])])) as SuspensionBenchResult['steps'],
    };
  } finally {
    engine.close();
  }
}

export function failedSuspensionBench(driver: string, error: string): SuspensionBenchResult {
  const empty = summarize(new Samples(0));
  return { driver, roundTrip: empty, steps: Object.fromEntries(STEPS.map((s) => [s, empty])) as SuspensionBenchResult['steps'], error };
}

export function renderSuspensionBench(results: readonly SuspensionBenchResult[]): string {
  const ms = (us: number): string => fmtUs(us / 1000);
  return renderTable(
    [
      { header: 'driver', align: 'left' },
      { header: 'round trip p50 ms' },
      { header: 'p99 ms' },
      { header: 'round trips/s' },
      ...STEPS.map((s) => ({ header: `${s} p50 us` })),
      { header: `goal p50 < ${GOAL_P50_MS} ms`, align: 'left' },
      { header: `vs FlowFabric ${FLOWFABRIC_SUSPEND_P50_MS} ms`, align: 'right' },
    ],
    results.map((r) => [
      r.driver,
      ms(r.roundTrip.p50Us),
      ms(r.roundTrip.p99Us),
      fmtOps(r.roundTrip.opsPerSec),
      ...STEPS.map((s) => fmtUs(r.steps[s].p50Us)),
      r.error ? `ERROR ${r.error}` : r.roundTrip.p50Us < GOAL_P50_MS * 1000 ? 'PASS' : 'MISS',
      Number.isFinite(r.roundTrip.p50Us) ? `${((FLOWFABRIC_SUSPEND_P50_MS * 1000) / r.roundTrip.p50Us).toFixed(0)}x faster` : '-',
    ]),
  );
}
