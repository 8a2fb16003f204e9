/**
 * suspend: the worker parks its execution until signals (or an operator, or
 * a timeout) resume it. Fenced like every handle call; the attempt ends
 * (`attempt_interrupted`), the lease is released with a lease event, and the
 * execution's lease epoch is bumped, so the worker's handle is stale from
 * here on. Each waitpoint gets a token signed with the active kid.
 *
 * A repeated suspend with the same idempotency key returns the first
 * outcome (even with the by-then stale handle) and writes nothing. Unlike
 * FlowFabric the key is scoped to the execution, the condition's waitpoint
 * keys must be among the bindings, and a pending waitpoint must belong to
 * this execution.
 */
import type { z } from 'zod';
import { errors } from '../../api/errors.js';
import type { BlockingReason } from '../../api/states.js';
import { suspendInput, type IssuedWaitpoint, type SuspendResult } from '../../api/suspension.js';
import type { EngineContext } from '../core/context.js';
import { assertOwnBackend, fence } from '../executions/fence.js';
import { endAttempt } from '../executions/terminal.js';
import { writeLeaseEvent } from '../outbox/outbox.js';
import { defineOperation } from '../operation.js';
import { mintToken, requireActiveKey } from './hmac-keys.js';
import { conditionKeys, requiredSignalNames } from './resume-condition.js';
import { bindWaitpoints } from './bind-waitpoints.js';

type Input = z.output<typeof suspendInput>;

const BLOCKING: Record<NonNullable<Input['reasonCode']>, BlockingReason> = {
  waiting_for_signal: 'waiting_for_signal',
  waiting_for_approval: 'waiting_for_approval',
  waiting_for_callback: 'waiting_for_callback',
  waiting_for_tool_result: 'waiting_for_tool_result',
  manual_pause: 'paused_by_operator',
};

/** The stored timeout behaviour: FlowFabric's name for `resume`. */
export const STORED_BEHAVIOR = { fail: 'fail', cancel: 'cancel', expire: 'expire', resume: 'auto_resume_with_timeout_signal' } as const;

function replay(ctx: EngineContext, executionId: string, key: string): SuspendResult | null {
  const row = ctx.db
    .prepare('SELECT outcome_json FROM ff_suspend_dedup WHERE execution_id = :executionId AND idempotency_key = :key')
    .get<{ outcome_json: string }>({ executionId, key });
  return row ? { ...(JSON.parse(row.outcome_json) as SuspendResult), replayed: true } : null;
}

export function suspend(ctx: EngineContext, input: Input, now: number): SuspendResult {
  assertOwnBackend(input.handle);
  if (input.idempotencyKey !== undefined) {
    const earlier = replay(ctx, input.handle.executionId, input.idempotencyKey);
    if (earlier) return earlier;
  }
  const row = fence(ctx, input.handle, now);
  const timeoutAt = input.timeout?.atMs ?? null;
  if (timeoutAt !== null && timeoutAt <= now) throw errors.invalid('timeout.atMs', `must be after now (${now})`, { now });
  const key = requireActiveKey(ctx, 'suspend');
  const bound = bindWaitpoints(ctx, row.execution_id, input.waitpoints, now);
  const keys = new Set(bound.map((b) => b.waitpointKey));
  for (const k of conditionKeys(input.resumeCondition)) {
    if (!keys.has(k)) throw errors.invalid('resumeCondition', `names waitpoint key '${k}', which is not one of the suspension's waitpoints`);
  }

  const upsert = ctx.db.prepare(
    `INSERT INTO ff_waitpoint_pending (waitpoint_id, execution_id, waitpoint_key, token_kid, token, state,
       required_signal_names, created_at_ms, activated_at_ms, expires_at_ms)
     VALUES (:waitpointId, :executionId, :waitpointKey, :kid, :token, 'active', :required, :now, :now, :expiresAt)
     ON CONFLICT (waitpoint_id) DO UPDATE SET state = 'active', required_signal_names = excluded.required_signal_names,
       activated_at_ms = excluded.activated_at_ms, expires_at_ms = excluded.expires_at_ms`,
  );
  const waitpoints: IssuedWaitpoint[] = bound.map((b) => {
    // A pending waitpoint keeps the token it was issued, so whoever holds it can still signal.
    const token = b.token ?? mintToken(key, row.execution_id, b.waitpointId);
    upsert.run({
      waitpointId: b.waitpointId,
      executionId: row.execution_id,
      waitpointKey: b.waitpointKey,
      kid: key.kid,
      token,
      required: JSON.stringify(requiredSignalNames(input.resumeCondition, b.waitpointKey)),
      now,
      expiresAt: timeoutAt,
    });
    return { waitpointId: b.waitpointId, waitpointKey: b.waitpointKey, token };
  });

  const reason = input.reasonCode ?? (input.resumeCondition.kind === 'approval' ? 'waiting_for_approval' : 'waiting_for_signal');
  const suspensionId = input.suspensionId ?? ctx.ids.uuid();
  ctx.db
    .prepare(
      `INSERT OR REPLACE INTO ff_suspension_current (execution_id, suspension_id, attempt_index, suspended_at_ms, reason_code,
         condition, member_map, satisfied_at_ms, timeout_at_ms, timeout_behavior)
       VALUES (:executionId, :suspensionId, :attemptIndex, :now, :reason, :condition, '{}', NULL, :timeoutAt, :behavior)`,
    )
    .run({
      executionId: row.execution_id,
      suspensionId,
      attemptIndex: row.attempt_index,
      now,
      reason,
      condition: JSON.stringify(input.resumeCondition),
      timeoutAt,
      behavior: STORED_BEHAVIOR[input.timeout?.behavior ?? 'fail'],
    });

  endAttempt(ctx, row.execution_id, row.attempt_index, 'attempt_interrupted', now);
  ctx.db
    .prepare(
      `UPDATE ff_exec_core
          SET lifecycle_phase = 'suspended', ownership_state = 'unowned', eligibility_state = 'not_applicable',
              attempt_state = 'attempt_interrupted', public_state = 'suspended', blocking_reason = :blocking,
              lease_epoch = lease_epoch + 1
        WHERE execution_id = :executionId`,
    )
    .run({ executionId: row.execution_id, blocking: BLOCKING[reason] });
  writeLeaseEvent(
    ctx,
    { executionId: row.execution_id, namespace: row.namespace, instanceTag: row.instance_tag },
    { type: 'released', attemptIndex: row.attempt_index, leaseId: row.lease_id, leaseEpoch: row.lease_epoch, workerInstanceId: row.worker_instance_id },
    now,
  );

  const result: SuspendResult = {
    kind: 'suspended',
    executionId: row.execution_id,
    suspensionId,
    waitpoints,
    timeoutAtMs: timeoutAt,
    handle: { ...input.handle, kind: 'suspended' },
    replayed: false,
  };
  if (input.idempotencyKey !== undefined) {
    ctx.db
      .prepare('INSERT INTO ff_suspend_dedup (execution_id, idempotency_key, outcome_json, created_at_ms) VALUES (:executionId, :key, :outcome, :now)')
      .run({ executionId: row.execution_id, key: input.idempotencyKey, outcome: JSON.stringify(result), now });
  }
  return result;
}

export const suspendOp = defineOperation({
  name: 'suspend',
  family: 'suspension',
  kind: 'write',
  summary: 'The worker parks its execution on waitpoints until its resume condition (signals, an approval) or timeout; its handle goes stale.',
  input: suspendInput,
  run: ({ ctx, now }, input): SuspendResult => suspend(ctx, input, now),
});
