/**
 * resumeExecution: the operator's override. A suspended execution resumes
 * whatever its condition says: it becomes `waiting` (claimable by a plain
 * claim of its lane, which opens a `resume` attempt) or, with a delay,
 * `delayed` until then, when delayed_promotion (or a claim of its lane)
 * promotes it. The suspension and its waitpoints are deleted, so their
 * tokens stop working, and an operator event records it.
 *
 * (FlowFabric stores no due time for the delay, so nothing ever promotes
 * such an execution, and leaves the waitpoints listed as active.)
 */
import type { z } from 'zod';
import { EngineError, errors } from '../../api/errors.js';
import { resumeExecutionInput, type ResumeExecutionResult } from '../../api/suspension.js';
import type { EngineContext } from '../core/context.js';
import { readyAt } from '../executions/ready-at.js';
import { writeOperatorEvent } from '../operator/operator-event.js';
import { defineOperation } from '../operation.js';
import { clearSuspension } from './make-resumable.js';

interface Row {
  flow_id: string | null;
  namespace: string;
  instance_tag: string | null;
  lifecycle_phase: string;
  suspended: number;
}

export function resumeExecution(ctx: EngineContext, input: z.output<typeof resumeExecutionInput>, now: number): ResumeExecutionResult {
  const { executionId } = input;
  const row = ctx.db
    .prepare(
      `SELECT flow_id, namespace, json_extract(tags, '$."cairn.instance_id"') AS instance_tag, lifecycle_phase,
              EXISTS (SELECT 1 FROM ff_suspension_current s WHERE s.execution_id = e.execution_id) AS suspended
         FROM ff_exec_core e WHERE execution_id = :executionId`,
    )
    .get<Row>({ executionId });
  if (!row) throw errors.notFound('execution', executionId);
  if (row.lifecycle_phase !== 'suspended' || !row.suspended) {
    throw new EngineError('state.execution_not_suspended', `execution ${executionId} is not suspended (lifecycle_phase=${row.lifecycle_phase})`, {
      executionId,
      lifecyclePhase: row.lifecycle_phase,
    });
  }
  const ready = readyAt(input.resumeDelayMs > 0 ? now + input.resumeDelayMs : null, now);
  ctx.db
    .prepare(
      `UPDATE ff_exec_core
          SET lifecycle_phase = 'runnable', ownership_state = 'unowned', eligibility_state = :eligibility,
              attempt_state = 'attempt_interrupted', public_state = :publicState, blocking_reason = :blocking,
              eligible_at_ms = :eligibleAt
        WHERE execution_id = :executionId`,
    )
    .run({
      executionId,
      eligibility: ready.eligibility,
      publicState: ready.publicState,
      blocking: ready.eligibleAt === null ? ready.blocking : 'waiting_for_resume_delay',
      eligibleAt: ready.eligibleAt,
    });
  clearSuspension(ctx, executionId);
  writeOperatorEvent(
    ctx,
    { executionId, flowId: row.flow_id, namespace: row.namespace, instanceTag: row.instance_tag },
    'resumed',
    { source: input.source, resumeDelayMs: input.resumeDelayMs },
    now,
  );
  return { kind: 'resumed', executionId, publicState: ready.publicState as 'waiting' | 'delayed', eligibleAtMs: ready.eligibleAt };
}

export const resumeExecutionOp = defineOperation({
  name: 'resumeExecution',
  family: 'suspension',
  kind: 'write',
  summary: 'Operator override: a suspended execution becomes claimable now (`waiting`) or after `resumeDelayMs` (`delayed`, then promoted).',
  input: resumeExecutionInput,
  run: ({ ctx, now }, input): ResumeExecutionResult => resumeExecution(ctx, input, now),
});
