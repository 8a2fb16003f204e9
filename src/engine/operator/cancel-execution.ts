/**
 * cancelExecution (FlowFabric's operator cancel_execution), and
 * `cancelMember`, the one cancel path shared with cancelFlow and the
 * sibling cancel of a satisfied any_of / quorum group.
 *
 * Cancelling a running execution ends its attempt (outcome `cancelled`),
 * drops the lease with a `revoked` lease event and bumps the execution's
 * lease epoch, so the worker's handle is stale from here on. Every cancel
 * then goes through finishExecution: a `cancelled` completion event, which a
 * flow member's dependents are dispatched from.
 *
 * (The reference writes no completion event for an operator cancel and does
 * not bump the epoch, so a worker could still complete a cancelled
 * execution; both are fixed here.)
 */
import type { z } from 'zod';
import { EngineError, errors } from '../../api/errors.js';
import type { CancelExecutionResult } from '../../api/flows.js';
import { cancelExecutionInput } from '../../api/flows.js';
import type { LifecyclePhase, PublicState } from '../../api/states.js';
import type { EngineContext } from '../core/context.js';
import { writeOperatorEvent } from './operator-event.js';
import { revokeLease } from '../executions/fence.js';
import { endAttempt, finishExecution } from '../executions/terminal.js';
import { defineOperation } from '../operation.js';
import { clearSuspension } from '../suspension/make-resumable.js';

export interface CancelTarget {
  execution_id: string;
  namespace: string;
  instance_tag: string | null;
  flow_id: string | null;
  lifecycle_phase: LifecyclePhase;
  public_state: PublicState;
  attempt_index: number;
  attempt_count: number;
  lease_epoch: number;
  /** Of the current attempt; null when it has no row. */
  lease_id: string | null;
  worker_instance_id: string | null;
  /** NULL while the current attempt is live. */
  attempt_outcome: string | null;
}

export const CANCEL_TARGET_SELECT = `
  SELECT e.execution_id, e.namespace, json_extract(e.tags, '$."cairn.instance_id"') AS instance_tag, e.flow_id,
         e.lifecycle_phase, e.public_state, e.attempt_index, e.attempt_count, e.lease_epoch,
         a.lease_id, a.worker_instance_id, a.outcome AS attempt_outcome
    FROM ff_exec_core e
    LEFT JOIN ff_attempt a ON a.execution_id = e.execution_id AND a.attempt_index = e.attempt_index`;

export function readCancelTarget(ctx: EngineContext, executionId: string): CancelTarget | undefined {
  return ctx.db.prepare(`${CANCEL_TARGET_SELECT} WHERE e.execution_id = :executionId`).get<CancelTarget>({ executionId });
}

/** A claimed attempt that has not ended holds (or held, if it expired) a lease. */
export function hasLiveAttempt(t: CancelTarget): boolean {
  return t.attempt_count > 0 && t.lease_id !== null && t.attempt_outcome === null && t.lifecycle_phase !== 'runnable';
}

/** End a not-yet-terminal execution `cancelled`; returns its completion event id. */
export function cancelMember(ctx: EngineContext, t: CancelTarget, now: number, why: { reason: string; source: string }): number {
  if (hasLiveAttempt(t)) {
    endAttempt(ctx, t.execution_id, t.attempt_index, 'cancelled', now, why.reason || null);
    revokeLease(ctx, t, 'revoked', now);
  }
  // A cancelled suspension's waitpoints go, so their tokens stop working and nothing lists them.
  if (t.lifecycle_phase === 'suspended') clearSuspension(ctx, t.execution_id);
  return finishExecution(ctx, t, 'cancelled', now, { cancellationReason: why.reason, cancelledBy: why.source });
}

export function cancelExecution(ctx: EngineContext, input: z.output<typeof cancelExecutionInput>, now: number): CancelExecutionResult {
  const t = readCancelTarget(ctx, input.executionId);
  if (!t) throw errors.notFound('execution', input.executionId);
  if (t.lifecycle_phase === 'terminal') {
    return t.public_state === 'cancelled'
      ? { kind: 'already_cancelled', executionId: t.execution_id }
      : { kind: 'already_terminal', executionId: t.execution_id, publicState: t.public_state };
  }
  if (hasLiveAttempt(t) && input.source !== 'operator_override') {
    if (input.leaseEpoch === undefined) {
      throw errors.invalid('leaseEpoch', `required when source is '${input.source}' (not operator_override) and the execution is running`);
    }
    if (input.leaseEpoch !== t.lease_epoch) {
      throw new EngineError('state.stale_lease', 'leaseEpoch is stale: the execution has been claimed, reclaimed or revoked since', {
        executionId: t.execution_id,
        leaseEpoch: input.leaseEpoch,
        currentLeaseEpoch: t.lease_epoch,
      });
    }
  }
  cancelMember(ctx, t, now, { reason: input.reason, source: input.source });
  writeOperatorEvent(
    ctx,
    { executionId: t.execution_id, flowId: t.flow_id, namespace: t.namespace, instanceTag: t.instance_tag },
    'cancelled',
    { reason: input.reason, source: input.source },
    now,
  );
  return { kind: 'cancelled', executionId: t.execution_id, publicState: 'cancelled' };
}

export const cancelExecutionOp = defineOperation({
  name: 'cancelExecution',
  family: 'operator',
  kind: 'write',
  summary: 'Operator cancel: ends a running attempt (its handle goes stale), then the execution, `cancelled`.',
  input: cancelExecutionInput,
  run: ({ ctx, now }, input): CancelExecutionResult => cancelExecution(ctx, input, now),
});
