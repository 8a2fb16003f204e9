/**
 * What happens to an execution whose attempt failed, shared by the worker's
 * failExecution and the attempt_timeout scanner: with a retryable failure,
 * retries left and no cancelled flow around it, the next attempt is
 * scheduled after the policy's backoff; otherwise the execution ends
 * `failed`. The caller fences (or selects) the row and writes the lease
 * event; this ends the attempt and moves the execution.
 */
import type { FailExecutionResult } from '../../api/executions.js';
import type { EngineContext } from '../core/context.js';
import { isFlowCancelled } from '../flows/flow-state.js';
import { readyAt } from './ready-at.js';
import { backoffMs, parsePolicy } from './retry-policy.js';
import { endAttempt, finishExecution, type TerminalTarget } from './terminal.js';

export interface FailTarget extends TerminalTarget {
  attempt_index: number;
  retry_count: number;
  /** The execution's stored policy JSON. */
  policy: string;
}

export interface Failure {
  reason: string;
  /** Whether the retry policy may schedule another attempt. */
  retryable: boolean;
}

export function failAttempt(ctx: EngineContext, row: FailTarget, failure: Failure, now: number): FailExecutionResult {
  const { retryPolicy } = parsePolicy(row.policy);
  // A member of a cancelled flow finishes its current attempt but never retries.
  const retry =
    failure.retryable &&
    retryPolicy !== null &&
    row.retry_count < retryPolicy.maxRetries &&
    (row.flow_id === null || !isFlowCancelled(ctx, row.flow_id));

  if (!retry) {
    endAttempt(ctx, row.execution_id, row.attempt_index, 'failed', now, failure.reason);
    ctx.db
      .prepare(`UPDATE ff_exec_core SET raw_fields = json_set(raw_fields, '$.failure_reason', :reason) WHERE execution_id = :executionId`)
      .run({ executionId: row.execution_id, reason: failure.reason });
    finishExecution(ctx, row, 'failed', now);
    return { kind: 'terminal_failed', executionId: row.execution_id, publicState: 'failed' };
  }

  const delayUntil = now + backoffMs(retryPolicy, row.retry_count);
  // The blocking reason stays waiting_for_retry_backoff even for a zero backoff.
  const ready = readyAt(delayUntil, now);
  endAttempt(ctx, row.execution_id, row.attempt_index, 'retry', now, failure.reason);
  ctx.db
    .prepare(
      `UPDATE ff_exec_core
          SET lifecycle_phase = 'runnable', ownership_state = 'unowned', eligibility_state = :eligibility,
              attempt_state = 'pending_retry_attempt', public_state = :publicState,
              blocking_reason = 'waiting_for_retry_backoff', eligible_at_ms = :eligibleAt,
              retry_count = retry_count + 1,
              raw_fields = json_set(raw_fields, '$.failure_reason', :reason)
        WHERE execution_id = :executionId`,
    )
    .run({
      executionId: row.execution_id,
      eligibility: ready.eligibility,
      publicState: ready.publicState,
      eligibleAt: ready.eligibleAt,
      reason: failure.reason,
    });
  return {
    kind: 'retry_scheduled',
    executionId: row.execution_id,
    delayUntil,
    nextAttemptIndex: row.attempt_index + 1,
    retryCount: row.retry_count + 1,
  };
}
