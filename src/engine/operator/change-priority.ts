/**
 * changePriority (FlowFabric's operator change_priority): re-order the claim
 * queue for an execution that has not been handed to a worker yet. Claim
 * takes the highest priority first, so the new value applies to the very
 * next claim of the lane.
 *
 * Only an execution that is waiting to be claimed right now (runnable and
 * eligible) can change: anything else — delayed, waiting for its
 * dependencies, running, suspended, ended — is refused with
 * `contention.execution_not_eligible`, FlowFabric's gate. Every change writes
 * a `priority_changed` operator event, even when the value is the same.
 *
 * (The reference clamps the new priority to [0, 9000]; createExecution here
 * accepts any 32-bit priority, so changePriority takes the same range and
 * refuses what is outside it as invalid input instead of changing the value
 * silently.)
 */
import type { z } from 'zod';
import { EngineError, errors } from '../../api/errors.js';
import { changePriorityInput, type ChangePriorityResult } from '../../api/operator.js';
import type { EligibilityState, LifecyclePhase, PublicState } from '../../api/states.js';
import type { EngineContext } from '../core/context.js';
import { writeOperatorEvent } from './operator-event.js';
import { defineOperation } from '../operation.js';

interface PriorityTarget {
  execution_id: string;
  namespace: string;
  instance_tag: string | null;
  flow_id: string | null;
  lifecycle_phase: LifecyclePhase;
  eligibility_state: EligibilityState;
  public_state: PublicState;
  priority: number;
}

export function changePriority(ctx: EngineContext, input: z.output<typeof changePriorityInput>, now: number): ChangePriorityResult {
  const row = ctx.db
    .prepare(
      `SELECT execution_id, namespace, json_extract(tags, '$."cairn.instance_id"') AS instance_tag, flow_id,
              lifecycle_phase, eligibility_state, public_state, priority
         FROM ff_exec_core WHERE execution_id = :executionId`,
    )
    .get<PriorityTarget>({ executionId: input.executionId });
  if (!row) throw errors.notFound('execution', input.executionId);
  if (row.lifecycle_phase !== 'runnable' || row.eligibility_state !== 'eligible_now') {
    throw new EngineError(
      'contention.execution_not_eligible',
      `only an execution waiting to be claimed can change priority (lifecycle_phase=${row.lifecycle_phase}, eligibility_state=${row.eligibility_state})`,
      { executionId: row.execution_id, lifecyclePhase: row.lifecycle_phase, eligibilityState: row.eligibility_state, publicState: row.public_state },
    );
  }
  ctx.db.prepare('UPDATE ff_exec_core SET priority = :priority WHERE execution_id = :executionId').run({
    executionId: row.execution_id,
    priority: input.priority,
  });
  writeOperatorEvent(
    ctx,
    { executionId: row.execution_id, flowId: row.flow_id, namespace: row.namespace, instanceTag: row.instance_tag },
    'priority_changed',
    { previousPriority: row.priority, priority: input.priority },
    now,
  );
  return { kind: 'changed', executionId: row.execution_id, previousPriority: row.priority, priority: input.priority };
}

export const changePriorityOp = defineOperation({
  name: 'changePriority',
  family: 'operator',
  kind: 'write',
  summary: 'Re-order the claim queue: a new priority for an execution waiting to be claimed (`contention.execution_not_eligible` otherwise).',
  input: changePriorityInput,
  run: ({ ctx, now }, input): ChangePriorityResult => changePriority(ctx, input, now),
});
