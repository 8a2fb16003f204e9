/**
 * completeExecution: the attempt succeeded. Fenced, so completing twice (or
 * with a stale handle) is rejected and never writes a second completion event.
 */
import type { z } from 'zod';
import type { CompleteExecutionResult, completeExecutionInput } from '../api/executions.js';
import type { EngineContext } from './context.js';
import { fence } from './fence.js';
import { writeLeaseEvent } from './outbox.js';
import { endAttempt, finishExecution } from './terminal.js';

export function completeExecution(
  ctx: EngineContext,
  input: z.output<typeof completeExecutionInput>,
  now: number,
): CompleteExecutionResult {
  const row = fence(ctx, input.handle, now);
  endAttempt(ctx, row.execution_id, row.attempt_index, 'success', now);
  finishExecution(ctx, row, 'success', now, { result: input.result });
  writeLeaseEvent(
    ctx,
    { executionId: row.execution_id, namespace: row.namespace, instanceTag: row.instance_tag },
    { type: 'released', attemptIndex: row.attempt_index, leaseId: row.lease_id, leaseEpoch: row.lease_epoch, workerInstanceId: row.worker_instance_id },
    now,
  );
  return { kind: 'completed', executionId: row.execution_id, publicState: 'completed' };
}
