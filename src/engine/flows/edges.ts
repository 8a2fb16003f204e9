/**
 * Dependency edge rows, and the two moves an applied edge makes in its
 * group: `resolveEdge` (its upstream ended: one hop) and `reopenEdge` (its
 * upstream was replayed: the hop is taken back). An edge resolves at most
 * once per upstream outcome, which is what makes dispatch exactly-once per
 * edge even when a completion event is seen twice.
 */
import type { DependencyKind, EdgeInfo, EdgeState } from '../../api/flows.js';
import type { EngineContext } from '../core/context.js';
import { countHop, edgeStateOf, ensureGroup, readGroup, saveGroup, type HopOutcome } from './edge-group.js';

export interface EdgeRow {
  flow_id: string;
  edge_id: string;
  upstream_eid: string;
  downstream_eid: string;
  dependency_kind: DependencyKind;
  data_passing_ref: string | null;
  edge_state: EdgeState;
  staged_at_ms: number;
  applied_at_ms: number | null;
  resolved_at_ms: number | null;
}

export const EDGE_COLUMNS = `flow_id, edge_id, upstream_eid, downstream_eid, dependency_kind, data_passing_ref, edge_state,
  staged_at_ms, applied_at_ms, resolved_at_ms`;

export function readEdge(ctx: EngineContext, flowId: string, edgeId: string): EdgeRow | undefined {
  return ctx.db.prepare(`SELECT ${EDGE_COLUMNS} FROM ff_edge WHERE flow_id = :flowId AND edge_id = :edgeId`).get<EdgeRow>({ flowId, edgeId });
}

export function toEdgeInfo(e: EdgeRow): EdgeInfo {
  return {
    flowId: e.flow_id,
    edgeId: e.edge_id,
    upstreamExecutionId: e.upstream_eid,
    downstreamExecutionId: e.downstream_eid,
    dependencyKind: e.dependency_kind,
    dataPassingRef: e.data_passing_ref,
    edgeState: e.edge_state,
    stagedAtMs: e.staged_at_ms,
    appliedAtMs: e.applied_at_ms,
    resolvedAtMs: e.resolved_at_ms,
  };
}

function setEdgeState(ctx: EngineContext, e: EdgeRow, state: EdgeState, resolvedAt: number | null): void {
  ctx.db
    .prepare('UPDATE ff_edge SET edge_state = :state, resolved_at_ms = :resolvedAt WHERE flow_id = :flowId AND edge_id = :edgeId')
    .run({ flowId: e.flow_id, edgeId: e.edge_id, state, resolvedAt });
}

/** One hop: a pending applied edge takes its upstream's outcome, and its group advances. */
export function resolveEdge(ctx: EngineContext, e: EdgeRow, hop: HopOutcome, now: number): void {
  setEdgeState(ctx, e, edgeStateOf(hop), now);
  // Applying the edge created its group; ensureGroup is only the fallback.
  const group = readGroup(ctx, e.flow_id, e.downstream_eid) ?? ensureGroup(ctx, e.flow_id, e.downstream_eid, now);
  const previous = group.group_state;
  countHop(group, hop, 1);
  saveGroup(ctx, group, previous, now);
}

/** Take a resolved edge's hop back (its upstream is being replayed): the edge is pending again. */
export function reopenEdge(ctx: EngineContext, e: EdgeRow, now: number): void {
  const hop: HopOutcome = e.edge_state === 'satisfied' ? 'success' : e.edge_state === 'skipped' ? 'skip' : 'fail';
  setEdgeState(ctx, e, 'pending', null);
  const group = ensureGroup(ctx, e.flow_id, e.downstream_eid, now);
  const previous = group.group_state;
  countHop(group, hop, -1);
  saveGroup(ctx, group, previous, now);
}

/** Every edge of a flow, in staging order. */
export function flowEdges(ctx: EngineContext, flowId: string): EdgeInfo[] {
  return ctx.db
    .prepare(`SELECT ${EDGE_COLUMNS} FROM ff_edge WHERE flow_id = :flowId ORDER BY staged_at_ms, rowid`)
    .all<EdgeRow>({ flowId })
    .map(toEdgeInfo);
}
