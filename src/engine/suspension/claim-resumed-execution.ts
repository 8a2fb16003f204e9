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
import { startAttempt } from '../executions/start-attempt.js';
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
  return startAttempt(ctx, { ...row, execution_id: input.executionId }, input, 'resume', now);
}

export const claimResumedExecutionOp = defineOperation({
  name: 'claimResumedExecution',
  family: 'suspension',
  kind: 'write',
  summary: 'Claim one `resumable` execution by id: a new attempt of type `resume` at a new lease epoch, as a `Handle` of kind `resumed`.',
  input: claimResumedExecutionInput,
  run: ({ ctx, now }, input): Handle => claimResumedExecution(ctx, input, now),
});
