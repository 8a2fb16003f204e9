/**
 * failExecution: the attempt failed. A retryable failure (transient,
 * infra_crash) with retries left schedules the next attempt after the
 * policy's backoff; anything else ends the execution `failed`
 * (see fail-attempt.ts, which the attempt_timeout scanner shares).
 */
import type { z } from 'zod';
import type { FailExecutionResult } from '../../api/executions.js';
import { failExecutionInput } from '../../api/executions.js';
import type { EngineContext } from '../core/context.js';
import { fence, leaseEvent } from './fence.js';
import { failAttempt } from './fail-attempt.js';
import { defineOperation } from '../operation.js';

const RETRYABLE = new Set(['transient', 'infra_crash']);

export function failExecution(ctx: EngineContext, input: z.output<typeof failExecutionInput>, now: number): FailExecutionResult {
  const row = fence(ctx, input.handle, now);
  const result = failAttempt(ctx, row, { reason: input.reason, retryable: RETRYABLE.has(input.failureClass) }, now);
  leaseEvent(ctx, row, 'released', now);
  return result;
}

export const failExecutionOp = defineOperation({
  name: 'failExecution',
  family: 'executions',
  kind: 'write',
  summary: 'Fail the attempt: a retryable failure with retries left schedules a retry after the backoff; otherwise the execution ends `failed`.',
  input: failExecutionInput,
  run: ({ ctx, now }, input): FailExecutionResult => failExecution(ctx, input, now),
});
