/**
 * Writers for the hot-path outboxes. Each insert returns its event id and
 * queues a wake-up that is delivered only after COMMIT.
 */
import type { LeaseEventType, TerminalOutcome } from '../../api/states.js';
import type { EngineContext } from '../core/context.js';

export interface EventScope {
  executionId: string;
  namespace: string | null;
  instanceTag: string | null;
}

export function writeLeaseEvent(
  ctx: EngineContext,
  scope: EventScope,
  event: {
    type: LeaseEventType;
    attemptIndex: number;
    leaseId: string | null;
    leaseEpoch: number;
    workerInstanceId: string | null;
  },
  now: number,
): number {
  const row = ctx.db
    .prepare(
      `INSERT INTO ff_lease_event (execution_id, attempt_index, lease_id, lease_epoch, event_type,
         worker_instance_id, occurred_at_ms, namespace, instance_tag)
       VALUES (:executionId, :attemptIndex, :leaseId, :leaseEpoch, :type, :workerInstanceId, :now, :namespace, :instanceTag)
       RETURNING event_id`,
    )
    .get<{ event_id: number }>({
      executionId: scope.executionId,
      attemptIndex: event.attemptIndex,
      leaseId: event.leaseId,
      leaseEpoch: event.leaseEpoch,
      type: event.type,
      workerInstanceId: event.workerInstanceId,
      now,
      namespace: scope.namespace,
      instanceTag: scope.instanceTag,
    })!;
  ctx.emit({ channel: 'lease', eventId: row.event_id });
  return row.event_id;
}

/**
 * A completion event. Events outside a flow have nothing to dispatch, so
 * they are written already dispatched; flow members stay pending until the
 * dependency dispatcher marks them in the transaction that applies their hops.
 */
export function writeCompletionEvent(
  ctx: EngineContext,
  scope: EventScope & { flowId: string | null },
  outcome: Exclude<TerminalOutcome, 'none'>,
  now: number,
): number {
  const row = ctx.db
    .prepare(
      `INSERT INTO ff_completion_event (execution_id, flow_id, outcome, namespace, instance_tag,
         occurred_at_ms, committed_at_ms, dispatched_at_ms)
       VALUES (:executionId, :flowId, :outcome, :namespace, :instanceTag, :now, :now, :dispatchedAt)
       RETURNING event_id`,
    )
    .get<{ event_id: number }>({
      executionId: scope.executionId,
      flowId: scope.flowId,
      outcome,
      namespace: scope.namespace,
      instanceTag: scope.instanceTag,
      now,
      dispatchedAt: scope.flowId === null ? now : null,
    })!;
  ctx.emit({ channel: 'completion', eventId: row.event_id });
  return row.event_id;
}
