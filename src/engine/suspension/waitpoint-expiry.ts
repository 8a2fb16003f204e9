/**
 * The pending_wp_expiry scanner's body: waitpoints past their expiry
 * (expires_at_ms ≤ now, oldest first, through ff_waitpoint_pending_expiry_idx)
 * are deleted. Delivery already refuses an expired waitpoint's token on the
 * engine clock, so this keeps listings and the table truthful rather than
 * gating anything. A pending waitpoint expires `expiresInMs` after
 * createWaitpoint; a bound one with its suspension's timeout, which the
 * suspension_timeout scanner handles. The suspension's received signals are
 * left as they are (FlowFabric overwrites the key's entry with a marker that
 * later deliveries then trip over).
 */
import type { EngineContext } from '../core/context.js';

export function expireWaitpoints(ctx: EngineContext, now: number, limit: number): number {
  return ctx.db
    .prepare(
      `DELETE FROM ff_waitpoint_pending
        WHERE waitpoint_id IN (
          SELECT waitpoint_id FROM ff_waitpoint_pending
           WHERE expires_at_ms IS NOT NULL AND expires_at_ms <= :now
           ORDER BY expires_at_ms LIMIT :limit)`,
    )
    .run({ now, limit });
}

/** When the next waitpoint expires, or null. */
export function nextWaitpointExpiryAt(ctx: EngineContext): number | null {
  const row = ctx.db.prepare('SELECT MIN(expires_at_ms) AS at FROM ff_waitpoint_pending WHERE expires_at_ms IS NOT NULL').get<{ at: number | null }>();
  return row?.at ?? null;
}
