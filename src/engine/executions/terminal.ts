/**
 * The one place an execution reaches a terminal state. Every terminal path
 * (complete, final failure, cancel, expiry, skip, reclaim cap) goes through
 * `finishExecution`, so the completion event is always written exactly once,
 * in the same transaction as the state change. It also queues the execution
 * for the retention trimmer (history_trimmed = 0), including one that ends
 * again after a replay.
 */
import type { Payload } from '../../api/common.js';
import type { TerminalOutcome } from '../../api/states.js';
import { derivePublicState } from '../../api/states.js';
import type { EngineContext } from '../core/context.js';
import { writeCompletionEvent } from '../outbox/outbox.js';
import { releaseAdmissionsFor } from '../quotas/release-admission.js';

export interface TerminalTarget {
  execution_id: string;
  namespace: string;
  instance_tag: string | null;
  flow_id: string | null;
}

export function finishExecution(
  ctx: EngineContext,
  exec: TerminalTarget,
  outcome: Exclude<TerminalOutcome, 'none'>,
  now: number,
  extra: { result?: Payload | undefined; cancellationReason?: string; cancelledBy?: string } = {},
): number {
  ctx.db
    .prepare(
      `UPDATE ff_exec_core
          SET lifecycle_phase = 'terminal', ownership_state = 'unowned', eligibility_state = 'not_applicable',
              attempt_state = 'attempt_terminal', public_state = :publicState, blocking_reason = 'none',
              terminal_outcome = :outcome, terminal_at_ms = :now, eligible_at_ms = NULL, history_trimmed = 0,
              result = COALESCE(:result, result),
              cancellation_reason = COALESCE(:cancellationReason, cancellation_reason),
              cancelled_by = COALESCE(:cancelledBy, cancelled_by)
        WHERE execution_id = :executionId`,
    )
    .run({
      executionId: exec.execution_id,
      publicState: derivePublicState('terminal', 'not_applicable', outcome),
      outcome,
      now,
      result: extra.result,
      cancellationReason: extra.cancellationReason,
      cancelledBy: extra.cancelledBy,
    });
  // An ended execution gives back every quota concurrency slot it holds.
  releaseAdmissionsFor(ctx, exec.execution_id, now);
  return writeCompletionEvent(
    ctx,
    { executionId: exec.execution_id, namespace: exec.namespace, instanceTag: exec.instance_tag, flowId: exec.flow_id },
    outcome,
    now,
  );
}

/** End the current attempt: record its outcome and drop its lease. */
export function endAttempt(
  ctx: EngineContext,
  executionId: string,
  attemptIndex: number,
  outcome: string,
  now: number,
  failureReason: string | null = null,
): void {
  ctx.db
    .prepare(
      `UPDATE ff_attempt
          SET outcome = :outcome, terminal_at_ms = :now, lease_expires_at_ms = NULL,
              failure_reason = COALESCE(:failureReason, failure_reason)
        WHERE execution_id = :executionId AND attempt_index = :attemptIndex`,
    )
    .run({ executionId, attemptIndex, outcome, now, failureReason });
}
