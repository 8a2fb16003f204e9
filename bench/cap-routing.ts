/**
 * FlowFabric's scenario 5, capability-routed claims, in its published mode
 * ("happy"): 100 workers, each advertising the whole 10-capability universe,
 * and 1,000 tasks, each requiring one capability drawn by a seeded PRNG.
 * Each worker registers, then the tasks are submitted one call at a time,
 * then the workers poll `claim` round-robin (with their capabilities) and
 * complete what they get, until every task was claimed by a worker holding
 * what it requires. The clock starts before the first registration and
 * stops at the last correct claim's completion, as FlowFabric's wall does
 * (minus its fixed 250 ms pause for workers to connect, which an in-process
 * engine does not need). ops/s = correct claims / wall.
 *
 * A claim that returns a task the worker cannot serve would be counted as a
 * routing miss; the claim filters by capability, so there are none.
 *
 * FlowFabric publishes 1,795.7 ops/s on Valkey.
 */
import type { Driver } from '../src/db/driver.js';
import { RealClock } from '../src/engine/time/clock.js';
import { createEngine } from '../src/engine/create-engine.js';
import { prng } from './stats.js';
import { fmtOps, renderTable } from './table.js';

export const FLOWFABRIC_CAP_ROUTED_OPS = 1795.7;

const WORKERS = 100;
const TASKS = 1_000;
const UNIVERSE = Array.from({ length: 10 }, (_, i) => `cap${i}`);
const LANE = 'bench-cap-routed';

export interface CapRoutingResult {
  driver: string;
  correct: number;
  misrouted: number;
  wallMs: number;
  opsPerSec: number;
  error?: string;
}

async function runOnce(openDriver: () => Promise<Driver>): Promise<Omit<CapRoutingResult, 'driver'>> {
  const engine = await createEngine({ devMode: true, driver: await openDriver(), clock: new RealClock(), banner: false, scanners: false });
  try {
    const random = prng(0x05);
    const required = Array.from({ length: TASKS }, () => [UNIVERSE[Math.floor(random() * UNIVERSE.length)]!]);
    const workers = Array.from({ length: WORKERS }, (_, i) => ({ workerId: `cap-w${i}`, workerInstanceId: `cap-w${i}-1`, capabilities: UNIVERSE }));
    const requiredOf = new Map<string, string[]>();
    const started = performance.now();
    for (const w of workers) engine.registerWorker({ ...w, lanes: [LANE], livenessTtlMs: 60_000 });
    for (const caps of required) requiredOf.set(engine.createExecution({ laneId: LANE, requiredCapabilities: caps }).executionId, caps);
    let correct = 0;
    let misrouted = 0;
    for (let idle = 0; correct < TASKS && idle < WORKERS; ) {
      for (const w of workers) {
        const handle = engine.claim({ laneId: LANE, ...w, leaseTtlMs: 30_000 });
        if (!handle) {
          idle++;
          continue;
        }
        idle = 0;
        const caps = requiredOf.get(handle.executionId) ?? [];
        if (caps.every((c) => w.capabilities.includes(c))) {
          engine.completeExecution({ handle });
          correct++;
        } else {
          engine.failExecution({ handle, reason: 'capability mismatch', failureClass: 'permanent' });
          misrouted++;
        }
      }
    }
    const wallMs = performance.now() - started;
    return { correct, misrouted, wallMs, opsPerSec: correct / (wallMs / 1000) };
  } finally {
    engine.close();
  }
}

export async function runCapRouting(driverName: string, openDriver: () => Promise<Driver>, quick: boolean): Promise<CapRoutingResult> {
  // One warm-up run, then the median of the measured runs by ops/s.
  await runOnce(openDriver);
  const runs = [];
  for (let i = 0; i < (quick ? 1 : 3); i++) runs.push(await runOnce(openDriver));
  runs.sort((a, b) => a.opsPerSec - b.opsPerSec);
  return { driver: driverName, ...runs[Math.floor(runs.length / 2)]! };
}

export function failedCapRouting(driver: string, error: string): CapRoutingResult {
  return { driver, correct: 0, misrouted: 0, wallMs: NaN, opsPerSec: NaN, error };
}

export function renderCapRouting(results: readonly CapRoutingResult[]): string {
  return renderTable(
    [
      { header: 'driver', align: 'left' },
      { header: 'correct claims' },
      { header: 'misrouted' },
      { header: 'wall ms' },
      { header: 'ops/s' },
      { header: `vs FlowFabric ${FLOWFABRIC_CAP_ROUTED_OPS} ops/s`, align: 'right' },
    ],
    results.map((r) => [
      r.driver,
      r.error ? `ERROR ${r.error}` : `${r.correct}/${TASKS}`,
      String(r.misrouted),
      Number.isFinite(r.wallMs) ? r.wallMs.toFixed(0) : '-',
      fmtOps(r.opsPerSec),
      Number.isFinite(r.opsPerSec) ? `${(r.opsPerSec / FLOWFABRIC_CAP_ROUTED_OPS).toFixed(2)}x` : '-',
    ]),
  );
}
