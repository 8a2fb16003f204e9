/**
 * Delayed promotion (scanner body): executions waiting for a time
 * (`delayUntil`, a retry backoff, a worker's `delay`) whose time has come
 * become claimable. Claim also promotes its own lane's due rows, so this
 * scanner keeps reads and the UI truthful rather than gating correctness.
 */
import { PROMOTE_DUE_SET } from './ready-at.js';
import type { EngineContext } from '../core/context.js';

export function promoteDelayed(ctx: EngineContext, now: number, limit: number): number {
  return ctx.db
    .prepare(
      `UPDATE ff_exec_core
          SET ${PROMOTE_DUE_SET}
        WHERE execution_id IN (
          SELECT execution_id FROM ff_exec_core
           WHERE eligibility_state = 'not_eligible_until_time' AND eligible_at_ms <= :now
             AND lifecycle_phase = 'runnable'
           ORDER BY eligible_at_ms LIMIT :limit)`,
    )
    .run({ now, limit });
}

/** When the next delayed execution comes due, or null. */
export function nextDelayedAt(ctx: EngineContext): number | null {
  const row = ctx.db
    .prepare(`SELECT MIN(eligible_at_ms) AS at FROM ff_exec_core WHERE eligibility_state = 'not_eligible_until_time'`)
    .get<{ at: number | null }>();
  return row?.at ?? null;
}
