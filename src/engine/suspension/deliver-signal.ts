/**
 * deliverSignal: a signal for a suspended execution's waitpoint, presented
 * with that waitpoint's token. The token is checked first (see
 * hmac-keys.ts); then the signal is filed under the waitpoint's key and the
 * resume condition is evaluated against everything received. Satisfied: the
 * execution becomes resumable. Every accepted delivery writes a signal
 * event.
 *
 * The idempotency key is honoured (FlowFabric ignores it): a second
 * delivery to the same execution with the same key, and a valid token,
 * counts once and returns the first outcome, even after the first resumed
 * the execution.
 */
import type { z } from 'zod';
import { EngineError, errors } from '../../api/errors.js';
import { deliverSignalInput, type DeliverSignalResult } from '../../api/suspension.js';
import type { EngineContext } from '../core/context.js';
import { defineOperation } from '../operation.js';
import { parseToken, tokenRefused, verifyToken } from './hmac-keys.js';
import { makeResumable } from './make-resumable.js';
import { parseCondition, parseMemberMap, storedPayload, type StoredSignal } from './member-map.js';
import { isSatisfied } from './resume-condition.js';
import { firstDelivery, writeSignalEvent } from './signal-event.js';

interface ExecRow {
  namespace: string;
  instance_tag: string | null;
  lifecycle_phase: string;
  public_state: string;
}

interface WaitpointRow {
  execution_id: string;
  waitpoint_key: string;
  token_kid: string;
  state: string;
  expires_at_ms: number | null;
}

export function deliverSignal(ctx: EngineContext, input: z.output<typeof deliverSignalInput>, now: number): DeliverSignalResult {
  const { executionId, waitpointId } = input;
  const exec = ctx.db
    .prepare(
      `SELECT namespace, json_extract(tags, '$."cairn.instance_id"') AS instance_tag, lifecycle_phase, public_state
         FROM ff_exec_core WHERE execution_id = :executionId`,
    )
    .get<ExecRow>({ executionId });
  if (!exec) throw errors.notFound('execution', executionId);
  const first = input.idempotencyKey === undefined ? undefined : firstDelivery(ctx, executionId, input.idempotencyKey);

  const wp = ctx.db
    .prepare('SELECT execution_id, waitpoint_key, token_kid, state, expires_at_ms FROM ff_waitpoint_pending WHERE waitpoint_id = :waitpointId')
    .get<WaitpointRow>({ waitpointId });
  if (!wp && !first) throw errors.notFound('waitpoint', waitpointId);
  if (wp && wp.execution_id !== executionId) throw tokenRefused('wrong_execution', 'the waitpoint belongs to another execution');
  // A replay is checked too, so a key never stands in for a token. Its waitpoint may be gone (a satisfied
  // condition deletes them); the signature needs only the kid, the execution and the waitpoint id.
  verifyToken(ctx, input.waitpointToken, wp?.token_kid ?? parseToken(input.waitpointToken)?.kid ?? '', executionId, waitpointId, now);
  if (first) return { kind: 'accepted', signalId: first.signal_id, effect: first.effect, duplicate: true };
  if (!wp) throw errors.notFound('waitpoint', waitpointId);
  if (wp.expires_at_ms !== null && now >= wp.expires_at_ms) throw tokenRefused('expired', 'the waitpoint has expired', { expiredAtMs: wp.expires_at_ms });

  const suspension = ctx.db
    .prepare('SELECT condition, member_map FROM ff_suspension_current WHERE execution_id = :executionId')
    .get<{ condition: string; member_map: string }>({ executionId });
  if (wp.state !== 'active' || exec.lifecycle_phase !== 'suspended' || !suspension) {
    throw new EngineError('state.execution_not_suspended', `execution ${executionId} is not suspended on waitpoint ${waitpointId}`, {
      executionId,
      waitpointId,
      waitpointState: wp.state,
      publicState: exec.public_state,
    });
  }

  const map = parseMemberMap(suspension.member_map, executionId);
  const signalId = input.signalId ?? ctx.ids.uuid();
  const signal: StoredSignal = {
    signalId,
    signalName: input.signalName,
    signalCategory: input.signalCategory,
    sourceType: input.sourceType,
    sourceIdentity: input.sourceIdentity,
    correlationId: input.correlationId ?? null,
    acceptedAtMs: now,
    ...storedPayload(input.payload),
  };
  (map[wp.waitpoint_key] ??= []).push(signal);
  const satisfied = isSatisfied(parseCondition(suspension.condition, executionId), map);
  if (satisfied) {
    makeResumable(ctx, executionId, JSON.stringify(map), now);
  } else {
    ctx.db.prepare('UPDATE ff_suspension_current SET member_map = :map WHERE execution_id = :executionId').run({ executionId, map: JSON.stringify(map) });
  }
  const effect = satisfied ? 'resume_condition_satisfied' : 'appended_to_waitpoint';
  writeSignalEvent(
    ctx,
    {
      executionId,
      signalId,
      waitpointId,
      signalName: input.signalName,
      sourceIdentity: input.sourceIdentity,
      effect,
      idempotencyKey: input.idempotencyKey ?? null,
      namespace: exec.namespace,
      instanceTag: exec.instance_tag,
    },
    now,
  );
  return { kind: 'accepted', signalId, effect, duplicate: false };
}

export const deliverSignalOp = defineOperation({
  name: 'deliverSignal',
  family: 'suspension',
  kind: 'write',
  summary: "A signal for a suspended execution's waitpoint, with its token; resumable once the condition is met. Same idempotency key: counted once.",
  input: deliverSignalInput,
  run: ({ ctx, now }, input): DeliverSignalResult => deliverSignal(ctx, input, now),
});
