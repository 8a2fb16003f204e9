/**
 * The dependency reconciler's reads: completion events still waiting for
 * dispatch, oldest first, through the partial index
 * ff_completion_event_pending_dispatch_idx (which holds only undispatched
 * rows, so both reads cost the rows they return, not the size of the outbox).
 */
import type { EngineContext } from '../core/context.js';

/** Optional scope of a reconciler; an event with a NULL namespace or tag never matches a set filter. */
export interface DispatchFilter {
  namespace?: string | undefined;
  instanceTag?: string | undefined;
}

const MATCH = `(:namespace IS NULL OR namespace = :namespace) AND (:instanceTag IS NULL OR instance_tag = :instanceTag)`;

export interface DueEvents {
  /** Event ids to re-dispatch, oldest first. */
  eventIds: number[];
  /** Due events the filter left out (counted up to the batch size). */
  filtered: number;
}

export function selectUndispatched(ctx: EngineContext, cutoff: number, limit: number, filter: DispatchFilter): DueEvents {
  const params = { cutoff, limit, namespace: filter.namespace ?? null, instanceTag: filter.instanceTag ?? null };
  const rows = ctx.db
    .prepare(
      `SELECT event_id FROM ff_completion_event
        WHERE dispatched_at_ms IS NULL AND committed_at_ms <= :cutoff AND ${MATCH}
        ORDER BY committed_at_ms, event_id LIMIT :limit`,
    )
    .all<{ event_id: number }>(params);
  const filtered =
    filter.namespace === undefined && filter.instanceTag === undefined
      ? 0
      : ctx.db
          .prepare(
            `SELECT COUNT(*) AS n FROM (SELECT 1 FROM ff_completion_event
              WHERE dispatched_at_ms IS NULL AND committed_at_ms <= :cutoff AND NOT (${MATCH}) LIMIT :limit)`,
          )
          .get<{ n: number }>(params)!.n;
  return { eventIds: rows.map((r) => r.event_id), filtered };
}

/** Commit time of the oldest undispatched event the filter admits, or null. */
export function oldestUndispatchedAt(ctx: EngineContext, filter: DispatchFilter): number | null {
  const row = ctx.db
    .prepare(
      `SELECT committed_at_ms AS at FROM ff_completion_event
        WHERE dispatched_at_ms IS NULL AND ${MATCH} ORDER BY committed_at_ms LIMIT 1`,
    )
    .get<{ at: number }>({ namespace: filter.namespace ?? null, instanceTag: filter.instanceTag ?? null });
  return row?.at ?? null;
}
