/**
 * The step shared by a satisfied resume condition and a `resume` timeout:
 * the suspension is marked satisfied (and its timeout cleared, so the
 * timeout scanner lets it be), its waitpoints are deleted (their tokens
 * stop working), and the execution becomes `resumable`: runnable and
 * eligible, so claimResumedExecution or a plain claim of its lane takes it.
 * The suspension row stays, so the next attempt can observeSignals.
 */
import type { EngineContext } from '../core/context.js';

export function makeResumable(ctx: EngineContext, executionId: string, memberMap: string, now: number): void {
  ctx.db
    .prepare(
      `UPDATE ff_suspension_current SET member_map = :memberMap, satisfied_at_ms = :now, timeout_at_ms = NULL
        WHERE execution_id = :executionId`,
    )
    .run({ executionId, memberMap, now });
  ctx.db.prepare('DELETE FROM ff_waitpoint_pending WHERE execution_id = :executionId').run({ executionId });
  ctx.db
    .prepare(
      `UPDATE ff_exec_core
          SET lifecycle_phase = 'runnable', ownership_state = 'unowned', eligibility_state = 'eligible_now',
              public_state = 'resumable', blocking_reason = 'waiting_for_worker', eligible_at_ms = NULL
        WHERE execution_id = :executionId`,
    )
    .run({ executionId });
}

/** Delete an execution's suspension and its waitpoints (resumed by the operator, timed out, or cancelled). */
export function clearSuspension(ctx: EngineContext, executionId: string): void {
  ctx.db.prepare('DELETE FROM ff_suspension_current WHERE execution_id = :executionId').run({ executionId });
  ctx.db.prepare('DELETE FROM ff_waitpoint_pending WHERE execution_id = :executionId').run({ executionId });
}
