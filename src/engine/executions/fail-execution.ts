/**
 * failExecution: the attempt failed. A retryable failure (transient,
 * infra_crash) with retries left schedules the next attempt after the
 * policy's backoff; anything else ends the execution `failed`.
 */
import type { z } from 'zod';
import type { FailExecutionResult } from '../../api/executions.js';
import { failExecutionInput } from '../../api/executions.js';
import { readyAt } from './ready-at.js';
import type { EngineContext } from '../core/context.js';
import { fence } from './fence.js';
import { isFlowCancelled } from '../flows/flow-state.js';
import { writeLeaseEvent } from '../outbox/outbox.js';
import { backoffMs, parsePolicy } from './retry-policy.js';
import { endAttempt, finishExecution } from './terminal.js';
import { defineOperation } from '../operation.js';

const RETRYABLE = new Set(['transient', 'infra_crash']);

export function failExecution(ctx: EngineContext, input: z.output<typeof failExecutionInput>, now: number): FailExecutionResult {
  const row = fence(ctx, input.handle, now);
  const { retryPolicy } = parsePolicy(row.policy);
  // A member of a cancelled flow finishes its current attempt but never retries.
  const retry =
    RETRYABLE.has(input.failureClass) &&
    retryPolicy !== null &&
    row.retry_count < retryPolicy.maxRetries &&
    (row.flow_id === null || !isFlowCancelled(ctx, row.flow_id));
  const scope = { executionId: row.execution_id, namespace: row.namespace, instanceTag: row.instance_tag };
  const released = {
    type: 'released' as const,
    attemptIndex: row.attempt_index,
    leaseId: row.lease_id,
    leaseEpoch: row.lease_epoch,
    workerInstanceId: row.worker_instance_id,
  };

  if (!retry) {
    endAttempt(ctx, row.execution_id, row.attempt_index, 'failed', now, input.reason);
    ctx.db
      .prepare(`UPDATE ff_exec_core SET raw_fields = json_set(raw_fields, '$.failure_reason', :reason) WHERE execution_id = :executionId`)
      .run({ executionId: row.execution_id, reason: input.reason });
    finishExecution(ctx, row, 'failed', now);
    writeLeaseEvent(ctx, scope, released, now);
    return { kind: 'terminal_failed', executionId: row.execution_id, publicState: 'failed' };
  }

  const delayUntil = now + backoffMs(retryPolicy, row.retry_count);
  // The blocking reason stays waiting_for_retry_backoff even for a zero backoff.
  const ready = readyAt(delayUntil, now);
  endAttempt(ctx, row.execution_id, row.attempt_index, 'retry', now, input.reason);
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
      reason: input.reason,
    });
  writeLeaseEvent(ctx, scope, released, now);
  return {
    kind: 'retry_scheduled',
    executionId: row.execution_id,
    delayUntil,
    nextAttemptIndex: row.attempt_index + 1,
    retryCount: row.retry_count + 1,
  };
}

export const failExecutionOp = defineOperation({
  name: 'failExecution',
  family: 'executions',
  kind: 'write',
  summary: 'Fail the attempt: a retryable failure with retries left schedules a retry after the backoff; otherwise the execution ends `failed`.',
  input: failExecutionInput,
  run: ({ ctx, now }, input): FailExecutionResult => failExecution(ctx, input, now),
});
