/**
 * FlowFabric's scenario 6, quorum-cancel fan-out: a flow of n upstream
 * executions and one downstream whose edge group is any_of (a quorum of 1)
 * with `cancel_remaining`. The first upstream is claimed (untimed); the
 * clock then runs from its completion (which satisfies the group) until the
 * last-created sibling reads `cancelled` — FlowFabric's "kill the losers" window,
 * timed the same way, from resolving the first edge to polling the
 * highest-indexed sibling. Here the siblings are cancelled in the
 * completion's own transaction, so the poll succeeds on its first read.
 *
 * n = 10, 100 and 1,000, ten samples each (each on a fresh flow), as
 * FlowFabric runs it. Its release SLO: p99 ≤ 500 ms at n = 100.
 */
import type { Driver } from '../src/db/driver.js';
import { RealClock } from '../src/engine/time/clock.js';
import { createEngine } from '../src/engine/create-engine.js';
import type { Engine } from '../src/engine/engine.js';
import { Samples, summarize, type Summary } from './stats.js';
import { fmtUs, renderTable } from './table.js';

export const FLOWFABRIC_QUORUM_SLO_P99_MS = 500;
export const QUORUM_SIZES = [10, 100, 1_000] as const;

const LANE = 'bench-qcf';
const WORKER = { laneId: LANE, workerId: 'bench-qcf-worker', workerInstanceId: 'bench-qcf-worker-1', leaseTtlMs: 600_000 } as const;

export interface QuorumCancelResult {
  driver: string;
  bySize: { n: number; latency: Summary }[];
  error?: string;
}

/** Build the flow, then time completing upstream 0 through reading the last sibling cancelled; returns ns. */
function drainOnce(engine: Engine, n: number): number {
  const { flowId } = engine.createFlow();
  const upstreams: string[] = [];
  let revision: number;
  for (let i = 0; i < n; i++) upstreams.push(engine.createExecution({ laneId: LANE, flowId }).executionId);
  const downstream = engine.createExecution({ laneId: `${LANE}-down`, flowId });
  if (downstream.kind !== 'created') throw new Error('quorum-cancel: downstream not created');
  revision = downstream.graphRevision!;
  engine.setEdgeGroupPolicy({ flowId, downstreamExecutionId: downstream.executionId, policy: { kind: 'any_of', onSatisfied: 'cancel_remaining' } });
  for (const upstream of upstreams) {
    const staged = engine.stageDependencyEdge({ flowId, upstreamExecutionId: upstream, downstreamExecutionId: downstream.executionId, expectedGraphRevision: revision });
    revision = staged.newGraphRevision;
    engine.applyDependencyToChild({ flowId, edgeId: staged.edgeId });
  }
  const handle = engine.claim(WORKER);
  if (!handle) throw new Error('quorum-cancel: no upstream to claim');
  // The claimed upstream resolves the group; the last-created other one stands for "every sibling".
  const last = upstreams.filter((id) => id !== handle.executionId).at(-1)!;
  const t0 = process.hrtime.bigint();
  engine.completeExecution({ handle });
  while (engine.readExecutionState({ executionId: last }) !== 'cancelled') {
    // Never loops here (the cancel is in the completion's transaction); kept so the timed window matches the reference's poll.
    if (Number(process.hrtime.bigint() - t0) > 30e9) throw new Error(`quorum-cancel: n=${n}: siblings not cancelled within 30 s`);
  }
  return Number(process.hrtime.bigint() - t0);
}

export async function runQuorumCancel(driverName: string, openDriver: () => Promise<Driver>, quick: boolean): Promise<QuorumCancelResult> {
  const samples = quick ? 3 : 10;
  const engine = await createEngine({ devMode: true, driver: await openDriver(), clock: new RealClock(), banner: false, scanners: false });
  try {
    drainOnce(engine, 10); // warm-up
    const bySize = QUORUM_SIZES.map((n) => {
      const s = new Samples(samples);
      for (let i = 0; i < samples; i++) s.add(drainOnce(engine, n));
      return { n, latency: summarize(s) };
    });
    return { driver: driverName, bySize };
  } finally {
    engine.close();
  }
}

export function failedQuorumCancel(driver: string, error: string): QuorumCancelResult {
  return { driver, bySize: [], error };
}

export function renderQuorumCancel(results: readonly QuorumCancelResult[]): string {
  const ms = (us: number): string => fmtUs(us / 1000);
  const rows: string[][] = [];
  for (const r of results) {
    if (r.error) rows.push([r.driver, '-', '-', '-', `ERROR ${r.error}`, '-']);
    for (const { n, latency } of r.bySize) {
      const slo = n === 100 ? (latency.p99Us <= FLOWFABRIC_QUORUM_SLO_P99_MS * 1000 ? 'PASS' : 'MISS') : 'characterization';
      rows.push([r.driver, String(n), ms(latency.p50Us), ms(latency.p99Us), slo, `${((FLOWFABRIC_QUORUM_SLO_P99_MS * 1000) / latency.p99Us).toFixed(0)}x under`]);
    }
  }
  return renderTable(
    [
      { header: 'driver', align: 'left' },
      { header: 'n' },
      { header: 'p50 ms' },
      { header: 'p99 ms' },
      { header: `SLO p99 ≤ ${FLOWFABRIC_QUORUM_SLO_P99_MS} ms at n=100`, align: 'left' },
      { header: `vs ${FLOWFABRIC_QUORUM_SLO_P99_MS} ms`, align: 'right' },
    ],
    rows,
  );
}
