/**
 * delay: the worker hands the execution back until `delayUntil`. The current
 * attempt ends (`delayed`); the next claim opens a new one. Retries are not
 * counted: a delay is not a failure.
 *
 * A member of a cancelled flow that was left running (cancel_pending,
 * let_active_finish) only finishes its current attempt: handing it back
 * ends it `cancelled` instead (result `cancelled`), with the flow's cancel
 * reason, a `cancelled` completion event and a `member_cancelled` operator
 * event, so it can never be claimed again.
 */
import type { z } from 'zod';
import type { DelayExecutionResult } from '../../api/executions.js';
import { delayExecutionInput } from '../../api/executions.js';
import { readyAt } from './ready-at.js';
import type { EngineContext } from '../core/context.js';
import { fence, leaseEvent } from './fence.js';
import { endAttempt, finishExecution } from './terminal.js';
import { readFlow } from '../flows/flow-state.js';
import { writeOperatorEvent } from '../operator/operator-event.js';
import { defineOperation } from '../operation.js';

export function delayExecution(ctx: EngineContext, input: z.output<typeof delayExecutionInput>, now: number): DelayExecutionResult {
  const row = fence(ctx, input.handle, now);
  const scope = { executionId: row.execution_id, namespace: row.namespace, instanceTag: row.instance_tag };
  const flow = row.flow_id === null ? undefined : readFlow(ctx, row.flow_id);
  if (flow?.public_flow_state === 'cancelled') {
    const reason = flow.cancel_reason || 'flow_cancelled';
    endAttempt(ctx, row.execution_id, row.attempt_index, 'cancelled', now, reason);
    finishExecution(ctx, row, 'cancelled', now, { cancellationReason: reason, cancelledBy: 'cancel_flow' });
    leaseEvent(ctx, row, 'released', now);
    writeOperatorEvent(
      ctx,
      { ...scope, flowId: flow.flow_id },
      'member_cancelled',
      { cancellationPolicy: flow.cancellation_policy, reason: flow.cancel_reason ?? '', when: 'delay' },
      now,
    );
    return { kind: 'cancelled', executionId: row.execution_id, publicState: 'cancelled', reason: 'flow_cancelled' };
  }
  const ready = readyAt(input.delayUntil, now);
  endAttempt(ctx, row.execution_id, row.attempt_index, 'delayed', now);
  ctx.db
    .prepare(
      `UPDATE ff_exec_core
          SET lifecycle_phase = 'runnable', ownership_state = 'unowned', eligibility_state = :eligibility,
              attempt_state = 'attempt_interrupted', public_state = :publicState,
              blocking_reason = :blocking, eligible_at_ms = :eligibleAt
        WHERE execution_id = :executionId`,
    )
    .run({
      executionId: row.execution_id,
      eligibility: ready.eligibility,
      publicState: ready.publicState,
      blocking: ready.blocking,
      eligibleAt: ready.eligibleAt,
    });
  leaseEvent(ctx, row, 'released', now);
  return { kind: 'delayed', executionId: row.execution_id, delayUntil: input.delayUntil };
}

export const delayOp = defineOperation({
  name: 'delay',
  family: 'executions',
  kind: 'write',
  summary: 'The worker hands the execution back until `delayUntil`; this does not count as a retry (a member of a cancelled flow ends `cancelled` instead).',
  input: delayExecutionInput,
  run: ({ ctx, now }, input): DelayExecutionResult => delayExecution(ctx, input, now),
});
