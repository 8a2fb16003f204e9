/**
 * Flow-building helpers for the flow tests: a builder that tracks the graph
 * revision, and a worker loop that runs a lane through claim and
 * completeExecution only.
 */
import type { CreateExecutionInput, Engine, Handle } from '../../src/index.js';
import type { EdgeGroupPolicy } from '../../src/api/flows.js';
import { rows, WORKER } from './helpers.js';

export class FlowBuilder {
  readonly flowId: string;
  revision = 0;

  constructor(
    readonly engine: Engine,
    readonly laneId = 'flow',
    namespace?: string,
  ) {
    this.flowId = engine.createFlow(namespace ? { namespace } : {}).flowId;
  }

  /** A new member of the flow. */
  node(extra: Partial<CreateExecutionInput> = {}): string {
    const created = this.engine.createExecution({ laneId: this.laneId, flowId: this.flowId, ...extra });
    if (created.kind !== 'created' || created.graphRevision === undefined) throw new Error('node: not created');
    this.revision = created.graphRevision;
    return created.executionId;
  }

  nodes(n: number, extra: Partial<CreateExecutionInput> = {}): string[] {
    return Array.from({ length: n }, () => this.node(extra));
  }

  /** Stage (and by default apply) upstream → downstream; returns the edge id. */
  edge(upstream: string, downstream: string, apply = true): string {
    const staged = this.engine.stageDependencyEdge({
      flowId: this.flowId,
      upstreamExecutionId: upstream,
      downstreamExecutionId: downstream,
      expectedGraphRevision: this.revision,
    });
    this.revision = staged.newGraphRevision;
    if (apply) this.engine.applyDependencyToChild({ flowId: this.flowId, edgeId: staged.edgeId });
    return staged.edgeId;
  }

  policy(downstream: string, policy: EdgeGroupPolicy | { kind: 'any_of' } | { kind: 'quorum'; k: number }): void {
    this.engine.setEdgeGroupPolicy({ flowId: this.flowId, downstreamExecutionId: downstream, policy });
  }

  state(executionId: string): string | null {
    return this.engine.readExecutionState({ executionId });
  }

  group(downstream: string) {
    return this.engine.describeFlow({ flowId: this.flowId })!.groups.find((g) => g.downstreamExecutionId === downstream);
  }
}

export function claimIn(engine: Engine, laneId: string, workerInstanceId: string = WORKER.workerInstanceId): Handle | null {
  return engine.claim({ laneId, workerId: WORKER.workerId, workerInstanceId, leaseTtlMs: WORKER.leaseTtlMs });
}

/** Claim and complete until the lane has nothing claimable; returns the executions in the order they ran. */
export function runLane(engine: Engine, laneId: string): string[] {
  const ran: string[] = [];
  for (let handle = claimIn(engine, laneId); handle; handle = claimIn(engine, laneId)) {
    engine.completeExecution({ handle });
    ran.push(handle.executionId);
  }
  return ran;
}

/** Completion events of one execution, oldest first. */
export function completionEvents(engine: Engine, executionId: string): { outcome: string; dispatched: boolean }[] {
  return rows<{ outcome: string; dispatched_at_ms: number | null }>(
    engine,
    `SELECT outcome, dispatched_at_ms FROM ff_completion_event WHERE execution_id = '${executionId}' ORDER BY event_id`,
  ).map((r) => ({ outcome: r.outcome, dispatched: r.dispatched_at_ms !== null }));
}

export function undispatchedCount(engine: Engine): number {
  return rows<{ n: number }>(engine, 'SELECT COUNT(*) AS n FROM ff_completion_event WHERE dispatched_at_ms IS NULL')[0]!.n;
}

/** An execution id no test creates. */
export const GHOST_ID = '{fp:0}:0b5a3c1e-8a5d-4c7e-9f00-123456789abc';

/** Execution ids in a stable order, for comparing sets. */
export function sortedIds(ids: readonly (string | undefined)[]): string[] {
  return [...ids].map(String).sort();
}
