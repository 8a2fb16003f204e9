/**
 * createExecution: insert an execution that is claimable at once, or delayed
 * until `delayUntil`. Idempotent on the execution id: a second create with
 * the same id is a `duplicate` and changes nothing.
 *
 * (The reference backend writes new executions as `submitted`, which no
 * claim path accepts; here they are `runnable` from the start.)
 */
import type { z } from 'zod';
import type { CreateExecutionResult } from '../../api/executions.js';
import { createExecutionInput } from '../../api/executions.js';
import { readyAt } from './ready-at.js';
import type { EngineContext } from '../core/context.js';
import { addMember, assertFlowOpen, requireFlow } from '../flows/flow-state.js';
import { newExecutionId } from '../core/ids.js';
import { defineOperation } from '../operation.js';
import { checkPayloadSize } from '../core/payload.js';

type Input = z.output<typeof createExecutionInput>;

export function createExecution(ctx: EngineContext, input: Input, now: number): CreateExecutionResult {
  const executionId = input.executionId ?? newExecutionId(ctx.ids);
  const ready = readyAt(input.delayUntil, now);
  const capabilities = [...new Set(input.requiredCapabilities)].sort();
  const policy = JSON.stringify({
    retryPolicy: input.retryPolicy ?? null,
    maxReclaimCount: input.maxReclaimCount ?? null,
    attemptTimeoutMs: input.attemptTimeoutMs ?? null,
  });
  const raw: Record<string, string> = {};
  if (input.creatorIdentity !== undefined) raw['creator_identity'] = input.creatorIdentity;
  if (input.idempotencyKey !== undefined) raw['idempotency_key'] = input.idempotencyKey;
  if (input.payloadEncoding !== undefined) raw['payload_encoding'] = input.payloadEncoding;

  const inserted = ctx.db
    .prepare(
      `INSERT INTO ff_exec_core (execution_id, namespace, execution_kind, lane_id, priority,
         lifecycle_phase, ownership_state, eligibility_state, attempt_state, public_state, blocking_reason,
         capability_count, created_at_ms, eligible_at_ms, deadline_at_ms, payload, policy, tags, raw_fields)
       VALUES (:executionId, :namespace, :executionKind, :laneId, :priority,
         'runnable', 'unowned', :eligibility, 'pending_first_attempt', :publicState, :blocking,
         :capabilityCount, :now, :eligibleAt, :deadline, :payload, :policy, :tags, :raw)
       ON CONFLICT (execution_id) DO NOTHING`,
    )
    .run({
      executionId,
      namespace: input.namespace,
      executionKind: input.executionKind,
      laneId: input.laneId,
      priority: input.priority,
      eligibility: ready.eligibility,
      publicState: ready.publicState,
      blocking: ready.blocking,
      capabilityCount: capabilities.length,
      now,
      eligibleAt: ready.eligibleAt,
      deadline: input.deadlineAtMs,
      payload: input.payload,
      policy,
      tags: JSON.stringify(input.tags),
      raw: JSON.stringify(raw),
    });
  if (inserted === 0) return { kind: 'duplicate', executionId };

  const addCapability = ctx.db.prepare(
    'INSERT INTO ff_execution_capabilities (execution_id, capability) VALUES (:executionId, :capability)',
  );
  for (const capability of capabilities) addCapability.run({ executionId, capability });

  ctx.db
    .prepare(
      `INSERT INTO ff_lane_registry (lane_id, registered_at_ms, registered_by)
       VALUES (:laneId, :now, 'create_execution') ON CONFLICT (lane_id) DO NOTHING`,
    )
    .run({ laneId: input.laneId, now });

  const publicState = ready.publicState;
  if (input.flowId === undefined) return { kind: 'created', executionId, publicState };
  const flow = requireFlow(ctx, input.flowId);
  assertFlowOpen(flow);
  const added = addMember(ctx, flow, { execution_id: executionId, flow_id: null, lifecycle_phase: 'runnable', public_state: publicState, attempt_count: 0 }, now);
  return { kind: 'created', executionId, publicState, ...(added.kind === 'added' ? { graphRevision: added.graphRevision } : {}) };
}

export const createExecutionOp = defineOperation({
  name: 'createExecution',
  family: 'executions',
  kind: 'write',
  summary: 'Create an execution in a lane; it is claimable at once unless `delayUntil` lies ahead or a flow dependency blocks it.',
  input: createExecutionInput,
  run: ({ ctx, now }, input): CreateExecutionResult => { checkPayloadSize('payload', input.payload, ctx.limits.maxPayloadBytes); return createExecution(ctx, input, now); },
});
