/**
 * Body of the quota cleanup scanner: free lapsed concurrency slots (those
 * taken with a slotTtlMs that nobody released) and delete admission-log rows
 * the sliding window has passed. Runs inside the caller's transaction.
 *
 * Correctness does not wait for it: the rate check only counts rows inside
 * the window, and checkAdmission frees lapsed slots itself before it would
 * refuse for concurrency. The sweep keeps the tables small.
 */
import type { EngineContext } from '../core/context.js';
import { freeSlot } from './release-admission.js';

/**
 * Free up to `limit` rows in all, lapsed slots first (they are the ones that
 * hold capacity), then expired window rows. Returns how many went.
 */
export function sweepQuotaWindows(ctx: EngineContext, now: number, limit: number): number {
  const lapsed = ctx.db
    .prepare(
      `SELECT quota_policy_id, execution_id FROM ff_quota_admitted
        WHERE expires_at_ms IS NOT NULL AND expires_at_ms <= :now
        ORDER BY expires_at_ms LIMIT :limit`,
    )
    .all<{ quota_policy_id: string; execution_id: string }>({ now, limit });
  // freeSlot decrements active_concurrency with each deleted row.
  for (const slot of lapsed) freeSlot(ctx, slot.quota_policy_id, slot.execution_id, now);

  const room = limit - lapsed.length;
  if (room <= 0) return lapsed.length;
  const windows = ctx.db
    .prepare(
      `DELETE FROM ff_quota_window
        WHERE (quota_policy_id, dimension, admitted_at_ms, execution_id) IN (
          SELECT quota_policy_id, dimension, admitted_at_ms, execution_id FROM ff_quota_window
           WHERE expires_at_ms <= :now ORDER BY expires_at_ms LIMIT :room)`,
    )
    .run({ now, room });
  return lapsed.length + windows;
}

/** Free this policy's lapsed slots (checkAdmission, before refusing for concurrency). */
export function freeLapsedSlotsOf(ctx: EngineContext, quotaPolicyId: string, now: number): number {
  const lapsed = ctx.db
    .prepare(
      `SELECT execution_id FROM ff_quota_admitted
        WHERE quota_policy_id = :quotaPolicyId AND expires_at_ms IS NOT NULL AND expires_at_ms <= :now`,
    )
    .all<{ execution_id: string }>({ quotaPolicyId, now });
  for (const slot of lapsed) freeSlot(ctx, quotaPolicyId, slot.execution_id, now);
  return lapsed.length;
}

/** When the next window row or slot lapses (for the virtual clock and the scanner's sleep), or null. */
export function nextQuotaExpiryAt(ctx: EngineContext): number | null {
  const window = ctx.db
    .prepare('SELECT expires_at_ms FROM ff_quota_window ORDER BY expires_at_ms LIMIT 1')
    .get<{ expires_at_ms: number }>()?.expires_at_ms;
  const slot = ctx.db
    .prepare('SELECT expires_at_ms FROM ff_quota_admitted WHERE expires_at_ms IS NOT NULL ORDER BY expires_at_ms LIMIT 1')
    .get<{ expires_at_ms: number }>()?.expires_at_ms;
  if (window === undefined) return slot ?? null;
  return slot === undefined ? window : Math.min(window, slot);
}
