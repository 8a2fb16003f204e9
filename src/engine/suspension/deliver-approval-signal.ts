/**
 * deliverApprovalSignal: the operator's approve/reject. The caller names the
 * execution's lane (a mismatch is refused, `lane_mismatch:`) and the
 * waitpoint; the engine presents the waitpoint's stored token itself, so the
 * caller never sees it, and the delivery goes through deliverSignal's checks
 * (a retired kid or an expired waitpoint still refuses it). With an
 * idempotency suffix the key `approval:<signalName>:<suffix>` is honoured
 * (FlowFabric ignores it, so its approvals are never deduplicated).
 */
import type { z } from 'zod';
import { errors } from '../../api/errors.js';
import { deliverApprovalSignalInput, type DeliverSignalResult } from '../../api/suspension.js';
import type { EngineContext } from '../core/context.js';
import { defineOperation } from '../operation.js';
import { deliverSignal } from './deliver-signal.js';
import { firstDelivery } from './signal-event.js';

export function deliverApprovalSignal(ctx: EngineContext, input: z.output<typeof deliverApprovalSignalInput>, now: number): DeliverSignalResult {
  const exec = ctx.db.prepare('SELECT lane_id FROM ff_exec_core WHERE execution_id = :executionId').get<{ lane_id: string }>({ executionId: input.executionId });
  if (!exec) throw errors.notFound('execution', input.executionId);
  if (exec.lane_id !== input.laneId) {
    throw errors.invalid('laneId', `lane_mismatch: laneId=${input.laneId} but the execution is in lane ${exec.lane_id}`, { executionLaneId: exec.lane_id });
  }
  const idempotencyKey = input.idempotencySuffix === undefined ? undefined : `approval:${input.signalName}:${input.idempotencySuffix}`;
  // A replayed approval is answered even though satisfaction deleted the waitpoint (and its token).
  const first = idempotencyKey === undefined ? undefined : firstDelivery(ctx, input.executionId, idempotencyKey);
  if (first) return { kind: 'accepted', signalId: first.signal_id, effect: first.effect, duplicate: true };
  const wp = ctx.db
    .prepare('SELECT token FROM ff_waitpoint_pending WHERE waitpoint_id = :waitpointId AND execution_id = :executionId')
    .get<{ token: string }>({ waitpointId: input.waitpointId, executionId: input.executionId });
  if (!wp) throw errors.notFound('waitpoint', input.waitpointId);
  return deliverSignal(
    ctx,
    {
      executionId: input.executionId,
      waitpointId: input.waitpointId,
      waitpointToken: wp.token,
      signalName: input.signalName,
      signalCategory: 'approval',
      sourceType: 'operator',
      sourceIdentity: input.sourceIdentity,
      ...(idempotencyKey !== undefined ? { idempotencyKey } : {}),
    },
    now,
  );
}

export const deliverApprovalSignalOp = defineOperation({
  name: 'deliverApprovalSignal',
  family: 'suspension',
  kind: 'write',
  summary: "The operator approves (`approved`) or rejects a waitpoint; the engine presents the waitpoint's token itself.",
  input: deliverApprovalSignalInput,
  run: ({ ctx, now }, input): DeliverSignalResult => deliverApprovalSignal(ctx, input, now),
});
