/**
 * Flow benchmarks, run on one driver at a time (bench/run.ts calls them for
 * each driver and prints `renderFlowBench`):
 *
 * - linear flow end to end: createFlow, 10 createExecution({ flowId }), 9
 *   stageDependencyEdge + applyDependencyToChild, then 10 claim +
 *   completeExecution, each completion dispatching its hop to the next node.
 *   One sample is one whole flow; reported in ms per flow.
 * - 100 flows × 10 nodes: the same linear flows, built up front, then run by
 *   one in-process worker loop that claims round-robin over the flows' lanes
 *   (one lane per flow) until nothing is claimable. Reported as flows/s over
 *   build + run, and over the run alone.
 *
 * FlowFabric publishes 17.5 ten-node flows/s on Valkey with 16 workers.
 */
import type { Driver } from '../src/db/driver.js';
import { RealClock } from '../src/engine/time/clock.js';
import { createEngine } from '../src/engine/create-engine.js';
import type { Engine } from '../src/engine/engine.js';
import { Samples, summarize, type Summary } from './stats.js';
import { fmtOps, fmtUs, renderTable } from './table.js';

/** FlowFabric's published figure for ten-node flows (Valkey, 16 workers). */
export const FLOWFABRIC_FLOWS_PER_SEC = 17.5;

const NODES = 10;
const WORKER = { workerId: 'bench-flow-worker', workerInstanceId: 'bench-flow-worker-1', leaseTtlMs: 600_000 } as const;

export interface FlowBenchResult {
  driver: string;
  /** One sample per linear 10-node flow, end to end. */
  linear: Summary;
  /** 100 flows × 10 nodes, one round-robin worker loop. */
  batch: { flows: number; buildMs: number; runMs: number; flowsPerSec: number; runFlowsPerSec: number };
  error?: string;
}

/** A linear flow of `NODES` nodes in `laneId`; returns its node ids in order. */
function buildLinearFlow(engine: Engine, laneId: string): string[] {
  const { flowId } = engine.createFlow();
  const ids: string[] = [];
  let revision = 0;
  for (let i = 0; i < NODES; i++) {
    const created = engine.createExecution({ laneId, flowId });
    if (created.kind !== 'created') throw new Error('createExecution: not created');
    ids.push(created.executionId);
    revision = created.graphRevision!;
  }
  for (let i = 1; i < NODES; i++) {
    const staged = engine.stageDependencyEdge({ flowId, upstreamExecutionId: ids[i - 1]!, downstreamExecutionId: ids[i]!, expectedGraphRevision: revision });
    revision = staged.newGraphRevision;
    engine.applyDependencyToChild({ flowId, edgeId: staged.edgeId });
  }
  return ids;
}

/** Claim and complete in one lane until nothing is claimable; returns how many ran. */
function runLane(engine: Engine, laneId: string): number {
  let ran = 0;
  for (let handle = engine.claim({ laneId, ...WORKER }); handle; handle = engine.claim({ laneId, ...WORKER })) {
    engine.completeExecution({ handle });
    ran++;
  }
  return ran;
}

function linearFlowEndToEnd(engine: Engine, laneId: string): void {
  buildLinearFlow(engine, laneId);
  const ran = runLane(engine, laneId);
  if (ran !== NODES) throw new Error(`linear flow: expected ${NODES} nodes to run, ran ${ran}`);
}

async function open(openDriver: () => Promise<Driver>): Promise<Engine> {
  return createEngine({ devMode: true, driver: await openDriver(), clock: new RealClock(), banner: false, scanners: false });
}

export async function runFlowBench(driverName: string, openDriver: () => Promise<Driver>, quick: boolean): Promise<FlowBenchResult> {
  const linearFlows = quick ? 30 : 200;
  const warmup = quick ? 5 : 20;
  const batchFlows = 100;

  const engine = await open(openDriver);
  let linear: Summary;
  try {
    for (let i = 0; i < warmup; i++) linearFlowEndToEnd(engine, `warm-${i}`);
    const samples = new Samples(linearFlows);
    for (let i = 0; i < linearFlows; i++) samples.time(() => linearFlowEndToEnd(engine, `linear-${i}`));
    linear = summarize(samples);
  } finally {
    engine.close();
  }

  const fresh = await open(openDriver);
  try {
    const lanes = Array.from({ length: batchFlows }, (_, i) => `batch-${i}`);
    const t0 = performance.now();
    for (const lane of lanes) buildLinearFlow(fresh, lane);
    const t1 = performance.now();
    let ran = 0;
    // Round-robin: one claim per flow's lane per round, until a round finds nothing.
    for (let progressed = true; progressed; ) {
      progressed = false;
      for (const laneId of lanes) {
        const handle = fresh.claim({ laneId, ...WORKER });
        if (!handle) continue;
        fresh.completeExecution({ handle });
        ran++;
        progressed = true;
      }
    }
    const t2 = performance.now();
    if (ran !== batchFlows * NODES) throw new Error(`batch: expected ${batchFlows * NODES} nodes to run, ran ${ran}`);
    const completed = fresh.listFlows({ limit: 1000 }).flows.filter((f) => f.publicFlowState === 'completed').length;
    if (completed !== batchFlows) throw new Error(`batch: expected ${batchFlows} completed flows, got ${completed}`);
    return {
      driver: driverName,
      linear,
      batch: {
        flows: batchFlows,
        buildMs: t1 - t0,
        runMs: t2 - t1,
        flowsPerSec: batchFlows / ((t2 - t0) / 1000),
        runFlowsPerSec: batchFlows / ((t2 - t1) / 1000),
      },
    };
  } finally {
    fresh.close();
  }
}

/** The result row for a driver whose run threw (so the tables still print). */
export function failedFlowBench(driver: string, error: string): FlowBenchResult {
  return {
    driver,
    linear: summarize(new Samples(0)),
    batch: { flows: 0, buildMs: Number.NaN, runMs: Number.NaN, flowsPerSec: Number.NaN, runFlowsPerSec: Number.NaN },
    error,
  };
}

/** Plain-text tables for a list of per-driver results. */
export function renderFlowBench(results: readonly FlowBenchResult[]): string {
  const ms = (us: number): string => fmtUs(us / 1000);
  const linear = renderTable(
    [
      { header: 'driver', align: 'left' },
      { header: '10-node flow p50 ms' },
      { header: 'p99 ms' },
      { header: 'flows/s' },
      { header: 'nodes/s' },
      { header: 'result', align: 'left' },
    ],
    results.map((r) => [
      r.driver,
      ms(r.linear.p50Us),
      ms(r.linear.p99Us),
      fmtOps(r.linear.opsPerSec),
      fmtOps(r.linear.opsPerSec * NODES),
      r.error ? `ERROR ${r.error}` : 'ok',
    ]),
  );
  const batch = renderTable(
    [
      { header: 'driver', align: 'left' },
      { header: 'flows' },
      { header: 'build ms' },
      { header: 'run ms' },
      { header: 'flows/s (build+run)' },
      { header: 'flows/s (run)' },
      { header: `vs FlowFabric ${FLOWFABRIC_FLOWS_PER_SEC}/s`, align: 'right' },
    ],
    results.map((r) => [
      r.driver,
      String(r.batch.flows),
      fmtUs(r.batch.buildMs),
      fmtUs(r.batch.runMs),
      fmtOps(r.batch.flowsPerSec),
      fmtOps(r.batch.runFlowsPerSec),
      Number.isFinite(r.batch.flowsPerSec) ? `${(r.batch.flowsPerSec / FLOWFABRIC_FLOWS_PER_SEC).toFixed(0)}x` : '-',
    ]),
  );
  return [
    `linear flow end to end: createFlow + ${NODES} createExecution({ flowId }) + ${NODES - 1} stage/apply edges + ${NODES} claim/complete, one sample per flow`,
    linear,
    '',
    `100 flows x ${NODES} nodes (linear): built up front, then one in-process worker claiming round-robin over the flows' lanes; FlowFabric publishes ${FLOWFABRIC_FLOWS_PER_SEC} ten-node flows/s (Valkey, 16 workers)`,
    batch,
  ].join('\n');
}
