/**
 * completeExecution: the attempt succeeded. Fenced, so completing twice (or
 * with a stale handle) is rejected and never writes a second completion event.
 */
import type { z } from 'zod';
import type { CompleteExecutionResult } from '../../api/executions.js';
import { completeExecutionInput } from '../../api/executions.js';
import type { EngineContext } from '../core/context.js';
import { fence, leaseEvent } from './fence.js';
import { endAttempt, finishExecution } from './terminal.js';
import { defineOperation } from '../operation.js';
import { checkPayloadSize } from '../core/payload.js';

export function completeExecution(
  ctx: EngineContext,
  input: z.output<typeof completeExecutionInput>,
  now: number,
): CompleteExecutionResult {
  const row = fence(ctx, input.handle, now);
  endAttempt(ctx, row.execution_id, row.attempt_index, 'success', now);
  finishExecution(ctx, row, 'success', now, { result: input.result });
  leaseEvent(ctx, row, 'released', now);
  return { kind: 'completed', executionId: row.execution_id, publicState: 'completed' };
}

export const completeExecutionOp = defineOperation({
  name: 'completeExecution',
  family: 'executions',
  kind: 'write',
  summary: 'End the execution `completed`, with an optional result.',
  input: completeExecutionInput,
  run: ({ ctx, now }, input): CompleteExecutionResult => { checkPayloadSize('result', input.result, ctx.limits.maxPayloadBytes); return completeExecution(ctx, input, now); },
});
