/**
 * The flow row and the rules every flow operation shares: loading a flow,
 * refusing changes to an ended one, adding a member, the members an edge may
 * point at, and the flow's public state (open → running → completed/failed,
 * or cancelled).
 */
import type { AddExecutionToFlowResult, CancelFlowPolicy, FlowSummary, PublicFlowState } from '../../api/flows.js';
import { EngineError, errors } from '../../api/errors.js';
import type { LifecyclePhase, PublicState } from '../../api/states.js';
import type { EngineContext } from '../core/context.js';

export interface FlowRow {
  flow_id: string;
  namespace: string;
  flow_kind: string;
  graph_revision: number;
  public_flow_state: PublicFlowState;
  node_count: number;
  edge_count: number;
  created_at_ms: number;
  terminal_at_ms: number | null;
  cancellation_policy: CancelFlowPolicy | null;
  cancel_reason: string | null;
}

export const FLOW_COLUMNS = `flow_id, namespace, flow_kind, graph_revision, public_flow_state, node_count, edge_count,
  created_at_ms, terminal_at_ms, cancellation_policy, cancel_reason`;

/** States in which a flow has ended (cancelFlow reports them as `already_terminal`). */
export const TERMINAL_FLOW_STATES: ReadonlySet<PublicFlowState> = new Set(['completed', 'failed', 'cancelled']);

export function readFlow(ctx: EngineContext, flowId: string): FlowRow | undefined {
  return ctx.db.prepare(`SELECT ${FLOW_COLUMNS} FROM ff_flow_core WHERE flow_id = :flowId`).get<FlowRow>({ flowId });
}

export function requireFlow(ctx: EngineContext, flowId: string): FlowRow {
  const flow = readFlow(ctx, flowId);
  if (!flow) throw errors.notFound('flow', flowId);
  return flow;
}

/**
 * A cancelled flow takes no new members, edges or policies: the reference's
 * `flow_already_terminal`, as a validation error naming the field. A
 * completed or failed flow is only a summary of its members so far: new
 * work reopens it (see addMember), so a flow can be extended after it went
 * quiet.
 */
export function assertFlowOpen(flow: FlowRow, field = 'flowId'): void {
  if (flow.public_flow_state === 'cancelled') {
    throw errors.invalid(field, `flow_already_terminal: flow ${flow.flow_id} is ${flow.public_flow_state}`, {
      reason: 'flow_already_terminal',
      flowId: flow.flow_id,
      publicFlowState: flow.public_flow_state,
    });
  }
}

export function isFlowCancelled(ctx: EngineContext, flowId: string): boolean {
  const row = ctx.db.prepare('SELECT public_flow_state FROM ff_flow_core WHERE flow_id = :flowId').get<{ public_flow_state: string }>({ flowId });
  return row?.public_flow_state === 'cancelled';
}

export interface MemberRow {
  execution_id: string;
  flow_id: string | null;
  lifecycle_phase: LifecyclePhase;
  public_state: PublicState;
  attempt_count: number;
}

export function readMember(ctx: EngineContext, executionId: string): MemberRow | undefined {
  return ctx.db
    .prepare('SELECT execution_id, flow_id, lifecycle_phase, public_state, attempt_count FROM ff_exec_core WHERE execution_id = :executionId')
    .get<MemberRow>({ executionId });
}

/** The execution must exist and belong to the flow (`execution_not_in_flow` otherwise). */
export function requireMember(ctx: EngineContext, flowId: string, executionId: string, field: string): MemberRow {
  const row = readMember(ctx, executionId);
  if (!row) throw errors.notFound('execution', executionId);
  if (row.flow_id !== flowId) {
    throw errors.invalid(field, `execution_not_in_flow: ${executionId} is not a member of flow ${flowId}`, {
      reason: 'execution_not_in_flow',
      executionId,
      flowId,
      memberOf: row.flow_id,
    });
  }
  return row;
}

/**
 * Dependencies can only gate an execution that has not started: runnable and
 * never claimed. Anything else (running, ended, waiting for a retry) is
 * `contention.execution_not_eligible`.
 */
export function assertNotStarted(row: MemberRow, field: string): void {
  if (row.lifecycle_phase !== 'runnable' || row.attempt_count > 0) {
    throw new EngineError(
      'contention.execution_not_eligible',
      `${field}: execution ${row.execution_id} has already started (public_state=${row.public_state}); dependencies only gate an execution that has not run yet`,
      { field, executionId: row.execution_id, publicState: row.public_state, lifecyclePhase: row.lifecycle_phase, attemptCount: row.attempt_count },
    );
  }
}

/** Put an execution in a flow; shared by addExecutionToFlow and createExecution({ flowId }). */
export function addMember(ctx: EngineContext, flow: FlowRow, member: MemberRow, now: number): AddExecutionToFlowResult {
  if (member.flow_id === flow.flow_id) {
    return { kind: 'already_member', executionId: member.execution_id, nodeCount: flow.node_count };
  }
  if (member.flow_id !== null) {
    throw errors.invalid('executionId', `already_member_of_different_flow:${member.flow_id}`, {
      reason: 'already_member_of_different_flow',
      otherFlowId: member.flow_id,
    });
  }
  ctx.db.prepare('UPDATE ff_exec_core SET flow_id = :flowId WHERE execution_id = :executionId').run({
    flowId: flow.flow_id,
    executionId: member.execution_id,
  });
  // A member that has already run makes an open flow running; any new member reopens an ended one.
  const started = member.attempt_count > 0 || member.lifecycle_phase !== 'runnable';
  const updated = ctx.db
    .prepare(
      `UPDATE ff_flow_core
          SET graph_revision = graph_revision + 1, node_count = node_count + 1,
              public_flow_state = CASE
                WHEN public_flow_state IN ('completed', 'failed') THEN 'running'
                WHEN :started = 1 AND public_flow_state = 'open' THEN 'running'
                ELSE public_flow_state END,
              terminal_at_ms = CASE WHEN public_flow_state IN ('completed', 'failed') THEN NULL ELSE terminal_at_ms END,
              raw_fields = json_set(raw_fields, '$.last_mutation_at_ms', :now)
        WHERE flow_id = :flowId
        RETURNING graph_revision, node_count`,
    )
    .get<{ graph_revision: number; node_count: number }>({ flowId: flow.flow_id, started: started ? 1 : 0, now })!;
  return { kind: 'added', executionId: member.execution_id, newNodeCount: updated.node_count, graphRevision: updated.graph_revision };
}

/** A member was claimed: an `open` flow is now `running`. */
export function markFlowRunning(ctx: EngineContext, flowId: string): void {
  ctx.db.prepare(`UPDATE ff_flow_core SET public_flow_state = 'running' WHERE flow_id = :flowId AND public_flow_state = 'open'`).run({ flowId });
}

/** A member was replayed: an ended (not cancelled) flow runs again. */
export function reopenFlow(ctx: EngineContext, flowId: string): void {
  ctx.db
    .prepare(
      `UPDATE ff_flow_core SET public_flow_state = 'running', terminal_at_ms = NULL
        WHERE flow_id = :flowId AND public_flow_state IN ('completed', 'failed')`,
    )
    .run({ flowId });
}

/**
 * After a member's completion has been dispatched: once no member is left
 * that has not ended, the flow ends `completed` when every sink (a member no
 * applied edge leaves) completed, and `failed` otherwise. The live-member
 * probe is one seek on ff_exec_core_flow_live_idx; the sink count runs once
 * per flow.
 */
export function settleFlowCompletion(ctx: EngineContext, flowId: string, now: number): void {
  const live = ctx.db
    .prepare(`SELECT 1 AS one FROM ff_exec_core WHERE flow_id = :flowId AND lifecycle_phase <> 'terminal' LIMIT 1`)
    .get({ flowId });
  if (live) return;
  const state = ctx.db.prepare('SELECT public_flow_state FROM ff_flow_core WHERE flow_id = :flowId').get<{ public_flow_state: PublicFlowState }>({ flowId });
  if (!state || (state.public_flow_state !== 'open' && state.public_flow_state !== 'running')) return;
  const unfinishedSinks = ctx.db
    .prepare(
      `SELECT COUNT(*) AS n FROM ff_exec_core e
        WHERE e.flow_id = :flowId AND e.public_state <> 'completed'
          AND NOT EXISTS (SELECT 1 FROM ff_edge g
                           WHERE g.upstream_eid = e.execution_id AND g.flow_id = :flowId AND g.applied_at_ms IS NOT NULL)`,
    )
    .get<{ n: number }>({ flowId })!.n;
  ctx.db
    .prepare(`UPDATE ff_flow_core SET public_flow_state = :state, terminal_at_ms = :now WHERE flow_id = :flowId`)
    .run({ flowId, state: unfinishedSinks === 0 ? 'completed' : 'failed', now });
}

/** The public summary of a flow row (listings and describeFlow). */
export function toFlowSummary(f: FlowRow): FlowSummary {
  return {
    flowId: f.flow_id,
    namespace: f.namespace,
    flowKind: f.flow_kind,
    publicFlowState: f.public_flow_state,
    graphRevision: f.graph_revision,
    nodeCount: f.node_count,
    edgeCount: f.edge_count,
    createdAtMs: f.created_at_ms,
    terminalAtMs: f.terminal_at_ms,
  };
}
