/**
 * Body of the dedup cleanup scanner: delete usage dedup keys whose TTL has
 * passed, oldest first. Correctness never depends on it (an expired key is
 * already treated as new by the spend paths); it only keeps the table from
 * growing forever, which the reference's never-swept keys do.
 * Runs inside the caller's transaction.
 */
import type { EngineContext } from '../core/context.js';

/** Delete up to `limit` expired keys; returns how many were deleted. */
export function sweepExpiredDedup(ctx: EngineContext, now: number, limit: number): number {
  return ctx.db
    .prepare(
      `DELETE FROM ff_budget_usage_dedup
        WHERE rowid IN (SELECT rowid FROM ff_budget_usage_dedup
                         WHERE expires_at_ms <= :now ORDER BY expires_at_ms LIMIT :limit)`,
    )
    .run({ now, limit });
}

/** When the next key expires (for the virtual clock and the scanner's sleep), or null. */
export function nextDedupExpiryAt(ctx: EngineContext): number | null {
  const row = ctx.db
    .prepare('SELECT expires_at_ms FROM ff_budget_usage_dedup ORDER BY expires_at_ms LIMIT 1')
    .get<{ expires_at_ms: number }>();
  return row?.expires_at_ms ?? null;
}
