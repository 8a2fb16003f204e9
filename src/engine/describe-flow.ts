/**
 * Flow reads: describeFlow (the flow, its members with counts by state,
 * edges, edge groups and cancel backlog), listFlows (keyset-paginated,
 * oldest first), listEdges and describeEdge. A missing flow or edge reads
 * as null. (All four are Unavailable in the reference's SQLite backend.)
 */
import type { z } from 'zod';
import type {
  CancelBacklogInfo,
  CancelFlowPolicy,
  EdgeInfo,
  FlowDescription,
  FlowMember,
  FlowSummary,
  ListEdgesResult,
  ListFlowsResult,
  listEdgesInput,
  listFlowsInput,
} from '../api/flows.js';
import type { PublicState } from '../api/states.js';
import type { EngineContext } from './context.js';
import { listGroups, toGroupInfo } from './edge-group.js';
import { EDGE_COLUMNS, readEdge, toEdgeInfo, type EdgeRow } from './edges.js';
import { FLOW_COLUMNS, readFlow, type FlowRow } from './flow-state.js';
import { decodeCursor, encodeCursor } from './keyset-cursor.js';

function toSummary(f: FlowRow): FlowSummary {
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
    ...toSummary(flow),
    cancellationPolicy: flow.cancellation_policy,
    cancelReason: flow.cancel_reason,
    members,
    countsByState,
    edges: flowEdges(ctx, flowId),
    groups: listGroups(ctx, flowId).map(toGroupInfo),
    cancelBacklog: readCancelBacklog(ctx, flowId),
  };
}

function flowEdges(ctx: EngineContext, flowId: string): EdgeInfo[] {
  return ctx.db
    .prepare(`SELECT ${EDGE_COLUMNS} FROM ff_edge WHERE flow_id = :flowId ORDER BY staged_at_ms, rowid`)
    .all<EdgeRow>({ flowId })
    .map(toEdgeInfo);
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

export function listFlows(ctx: EngineContext, input: z.output<typeof listFlowsInput>): ListFlowsResult {
  const where: string[] = [];
  const params: Record<string, string | number> = { limit: input.limit };
  if (input.namespace !== undefined) {
    where.push('namespace = :namespace');
    params['namespace'] = input.namespace;
  }
  if (input.cursor !== undefined) {
    const [afterCreated, afterId] = decodeCursor('listFlows', input.cursor, ['number', 'string']);
    where.push('(created_at_ms, flow_id) > (:afterCreated, :afterId)');
    params['afterCreated'] = afterCreated;
    params['afterId'] = afterId;
  }
  const rows = ctx.db
    .prepare(
      `SELECT ${FLOW_COLUMNS} FROM ff_flow_core ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY created_at_ms, flow_id LIMIT :limit`,
    )
    .all<FlowRow>(params);
  const last = rows[rows.length - 1];
  return {
    flows: rows.map(toSummary),
    nextCursor: rows.length === input.limit && last ? encodeCursor('listFlows', [last.created_at_ms, last.flow_id]) : null,
  };
}

export function listEdges(ctx: EngineContext, input: z.output<typeof listEdgesInput>): ListEdgesResult {
  if (input.executionId === undefined) return { edges: flowEdges(ctx, input.flowId) };
  const sides = {
    outgoing: 'upstream_eid = :executionId',
    incoming: 'downstream_eid = :executionId',
    both: '(upstream_eid = :executionId OR downstream_eid = :executionId)',
  };
  const edges = ctx.db
    .prepare(`SELECT ${EDGE_COLUMNS} FROM ff_edge WHERE flow_id = :flowId AND ${sides[input.direction]} ORDER BY staged_at_ms, rowid`)
    .all<EdgeRow>({ flowId: input.flowId, executionId: input.executionId })
    .map(toEdgeInfo);
  return { edges };
}

export function describeEdge(ctx: EngineContext, flowId: string, edgeId: string): EdgeInfo | null {
  const edge = readEdge(ctx, flowId, edgeId);
  return edge ? toEdgeInfo(edge) : null;
}
