/**
 * delay: the worker hands the execution back until `delayUntil`. The current
 * attempt ends (`delayed`); the next claim opens a new one. Retries are not
 * counted: a delay is not a failure.
 */
import type { z } from 'zod';
import type { DelayExecutionResult } from '../../api/executions.js';
import { delayExecutionInput } from '../../api/executions.js';
import { readyAt } from './ready-at.js';
import type { EngineContext } from '../core/context.js';
import { fence, leaseEvent } from './fence.js';
import { endAttempt } from './terminal.js';
import { defineOperation } from '../operation.js';

export function delayExecution(ctx: EngineContext, input: z.output<typeof delayExecutionInput>, now: number): DelayExecutionResult {
  const row = fence(ctx, input.handle, now);
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
  summary: 'The worker hands the execution back until `delayUntil`; this does not count as a retry.',
  input: delayExecutionInput,
  run: ({ ctx, now }, input): DelayExecutionResult => delayExecution(ctx, input, now),
});
