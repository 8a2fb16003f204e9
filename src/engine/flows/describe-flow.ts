/**
 * describeFlow: the flow, its members with counts by state, edges, edge
 * groups and cancel backlog. A missing flow reads as null.
 */
import { flowRef, type CancelBacklogInfo, type CancelFlowPolicy, type FlowDescription, type FlowMember } from '../../api/flows.js';
import type { PublicState } from '../../api/states.js';
import type { EngineContext } from '../core/context.js';
import { defineOperation } from '../operation.js';
import { listGroups, toGroupInfo } from './edge-group.js';
import { flowEdges } from './edges.js';
import { readFlow, toFlowSummary } from './flow-state.js';

export function describeFlow(ctx: EngineContext, flowId: string): FlowDescription | null {
  const flow = readFlow(ctx, flowId);
  if (!flow) return null;
  const members = ctx.db
    .prepare(
      `SELECT execution_id AS executionId, lane_id AS laneId, public_state AS publicState
         FROM ff_exec_core WHERE flow_id = :flowId ORDER BY rowid`,
    )
    .all<FlowMember>({ flowId });
  const countsByState: Partial<Record<PublicState, number>> = {};
  for (const m of members) countsByState[m.publicState] = (countsByState[m.publicState] ?? 0) + 1;
  return {
    ...toFlowSummary(flow),
    cancellationPolicy: flow.cancellation_policy,
    cancelReason: flow.cancel_reason,
    members,
    countsByState,
    edges: flowEdges(ctx, flowId),
    groups: listGroups(ctx, flowId).map(toGroupInfo),
    cancelBacklog: readCancelBacklog(ctx, flowId),
  };
}

function readCancelBacklog(ctx: EngineContext, flowId: string): CancelBacklogInfo | null {
  const header = ctx.db
    .prepare('SELECT requested_at_ms, reason, cancellation_policy FROM ff_cancel_backlog WHERE flow_id = :flowId')
    .get<{ requested_at_ms: number; reason: string; cancellation_policy: CancelFlowPolicy }>({ flowId });
  if (!header) return null;
  const members = ctx.db
    .prepare('SELECT execution_id FROM ff_cancel_backlog_member WHERE flow_id = :flowId ORDER BY execution_id')
    .all<{ execution_id: string }>({ flowId });
  return {
    requestedAtMs: header.requested_at_ms,
    reason: header.reason,
    cancellationPolicy: header.cancellation_policy,
    memberExecutionIds: members.map((m) => m.execution_id),
  };
}

export const describeFlowOp = defineOperation({
  name: 'describeFlow',
  family: 'flows',
  kind: 'read',
  summary: 'The flow with its members (and counts by state), edges, edge groups and cancel backlog, or `null`.',
  input: flowRef,
  run: ({ ctx }, { flowId }): FlowDescription | null => describeFlow(ctx, flowId),
});
