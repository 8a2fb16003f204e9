/**
 * dispatchCompletion: deliver one completion event to the dependency graph,
 * as ONE transaction (the caller's): claim the event (set dispatched_at_ms),
 * resolve each applied, still-pending edge its execution is upstream of,
 * advance those edge groups (making children claimable, skipping them, or
 * cancelling losing siblings), drop the member from its flow's cancel
 * backlog, and settle the flow's state.
 *
 * Exactly once: the event is claimed only while dispatched_at_ms is NULL, in
 * the same transaction as its hops. An event already dispatched is a no-op
 * (two dispatchers may race: one wins, the other sees `noop`); a dispatch
 * that throws rolls back whole and leaves the event for the dependency
 * reconciler. (The reference claims the event in one transaction and runs
 * each hop in its own, so a failure mid-cascade is never retried.)
 *
 * Cost: O(downstream edges of the event), through ff_edge_upstream_idx.
 */
import type { TerminalOutcome } from '../../api/states.js';
import type { EngineContext } from '../core/context.js';
import { hopOutcomeOf } from './edge-group.js';
import { EDGE_COLUMNS, resolveEdge, type EdgeRow } from './edges.js';
import { settleFlowCompletion } from './flow-state.js';

export type DispatchOutcome = { kind: 'noop' } | { kind: 'advanced'; hops: number };

interface EventRow {
  event_id: number;
  execution_id: string;
  flow_id: string | null;
  outcome: Exclude<TerminalOutcome, 'none'>;
  /** The execution's phase now, and its newest completion event: see `isStale`. */
  lifecycle_phase: string | null;
  latest_event_id: number | null;
}

/** True while the event exists and has not been dispatched (a read; no transaction needed). */
export function isPendingDispatch(ctx: EngineContext, eventId: number): boolean {
  return ctx.db.prepare('SELECT 1 AS one FROM ff_completion_event WHERE event_id = :eventId AND dispatched_at_ms IS NULL').get({ eventId }) !== undefined;
}

export function dispatchCompletion(ctx: EngineContext, eventId: number, now: number): DispatchOutcome {
  const event = ctx.db
    .prepare(
      `SELECT c.event_id, c.execution_id, c.flow_id, c.outcome, e.lifecycle_phase,
              (SELECT MAX(l.event_id) FROM ff_completion_event l WHERE l.execution_id = c.execution_id) AS latest_event_id
         FROM ff_completion_event c LEFT JOIN ff_exec_core e ON e.execution_id = c.execution_id
        WHERE c.event_id = :eventId AND c.dispatched_at_ms IS NULL`,
    )
    .get<EventRow>({ eventId });
  if (!event) return { kind: 'noop' };
  // Testing hook (fault injection): a throw here rolls this whole dispatch back.
  ctx.hooks?.beforeDispatch?.(eventId);
  ctx.db.prepare('UPDATE ff_completion_event SET dispatched_at_ms = :now WHERE event_id = :eventId').run({ eventId, now });
  if (event.flow_id === null || isStale(event)) return { kind: 'advanced', hops: 0 };

  const hop = hopOutcomeOf(event.outcome);
  const edges = ctx.db
    .prepare(
      `SELECT ${EDGE_COLUMNS} FROM ff_edge
        WHERE upstream_eid = :executionId AND flow_id = :flowId AND applied_at_ms IS NOT NULL AND edge_state = 'pending'
        ORDER BY staged_at_ms, edge_id`,
    )
    .all<EdgeRow>({ executionId: event.execution_id, flowId: event.flow_id });
  for (const edge of edges) resolveEdge(ctx, edge, hop, now);

  leaveCancelBacklog(ctx, event.flow_id, event.execution_id);
  settleFlowCompletion(ctx, event.flow_id, now);
  return { kind: 'advanced', hops: edges.length };
}

/**
 * An event whose execution has since been replayed (it is running again, or
 * has ended again with a newer event) must not move the graph: its edges
 * wait for the newest outcome.
 */
function isStale(event: EventRow): boolean {
  return event.lifecycle_phase !== 'terminal' || event.latest_event_id !== event.event_id;
}

/** A member of a `let_active_finish` cancel that has now ended leaves the backlog; the last one takes the header with it. */
function leaveCancelBacklog(ctx: EngineContext, flowId: string, executionId: string): void {
  const removed = ctx.db
    .prepare('DELETE FROM ff_cancel_backlog_member WHERE flow_id = :flowId AND execution_id = :executionId')
    .run({ flowId, executionId });
  if (removed > 0) deleteBacklogHeaderIfEmpty(ctx, flowId);
}

export function deleteBacklogHeaderIfEmpty(ctx: EngineContext, flowId: string): number {
  const remaining = ctx.db.prepare('SELECT COUNT(*) AS n FROM ff_cancel_backlog_member WHERE flow_id = :flowId').get<{ n: number }>({ flowId })!.n;
  if (remaining === 0) ctx.db.prepare('DELETE FROM ff_cancel_backlog WHERE flow_id = :flowId').run({ flowId });
  return remaining;
}
