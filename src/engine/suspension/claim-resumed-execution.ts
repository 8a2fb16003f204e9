/**
 * claimResumedExecution: a worker takes a `resumable` execution by id (the
 * one whose resume condition was met, or whose `resume` timeout fired). A
 * new attempt of type `resume` opens with a fresh lease at the next lease
 * epoch, exactly as a plain claim of the lane would open it; this path just
 * targets one execution instead of the lane's best. Anything not resumable
 * (still suspended, already claimed, operator-resumed to `waiting`) is
 * refused.
 */
import type { z } from 'zod';
import { EngineError, errors } from '../../api/errors.js';
import type { Handle } from '../../api/handle.js';
import { claimResumedExecutionInput } from '../../api/suspension.js';
import type { EngineContext } from '../core/context.js';
import { openAttempt } from '../executions/open-attempt.js';
import { markFlowRunning } from '../flows/flow-state.js';
import { writeLeaseEvent } from '../outbox/outbox.js';
import { defineOperation } from '../operation.js';

interface Row {
  lane_id: string;
  flow_id: string | null;
  namespace: string;
  instance_tag: string | null;
  public_state: string;
  attempt_count: number;
  lease_epoch: number;
}

export function claimResumedExecution(ctx: EngineContext, input: z.output<typeof claimResumedExecutionInput>, now: number): Handle {
  const row = ctx.db
    .prepare(
      `SELECT lane_id, flow_id, namespace, json_extract(tags, '$."cairn.instance_id"') AS instance_tag, public_state, attempt_count, lease_epoch
         FROM ff_exec_core WHERE execution_id = :executionId`,
    )
    .get<Row>({ executionId: input.executionId });
  if (!row) throw errors.notFound('execution', input.executionId);
  if (row.public_state !== 'resumable') {
    throw new EngineError('contention.execution_not_eligible', `execution ${input.executionId} is not resumable (public_state=${row.public_state})`, {
      executionId: input.executionId,
      publicState: row.public_state,
      reason: 'not_a_resumed_execution',
    });
  }
  const handle = openAttempt(
    ctx,
    { executionId: input.executionId, laneId: row.lane_id, attemptCount: row.attempt_count, leaseEpoch: row.lease_epoch },
    input,
    'resume',
    now,
  );
  if (row.flow_id !== null) markFlowRunning(ctx, row.flow_id);
  writeLeaseEvent(
    ctx,
    { executionId: input.executionId, namespace: row.namespace, instanceTag: row.instance_tag },
    { type: 'acquired', attemptIndex: handle.attemptIndex, leaseId: handle.leaseId, leaseEpoch: handle.leaseEpoch, workerInstanceId: input.workerInstanceId },
    now,
  );
  return handle;
}

export const claimResumedExecutionOp = defineOperation({
  name: 'claimResumedExecution',
  family: 'suspension',
  kind: 'write',
  summary: 'Claim one `resumable` execution by id: a new attempt of type `resume` at a new lease epoch, as a `Handle` of kind `resumed`.',
  input: claimResumedExecutionInput,
  run: ({ ctx, now }, input): Handle => claimResumedExecution(ctx, input, now),
});
