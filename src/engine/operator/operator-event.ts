/**
 * The operator-event outbox: one row per operator action on an execution or
 * a flow (cancel, flow cancel, replay, …), written in the transaction of the
 * action and announced on the `operator` channel after COMMIT.
 *
 * (FlowFabric's SQLite backend puts a flow's id in the execution_id column of
 * a flow-level event; here a flow event has execution_id NULL and its own
 * flow_id column.)
 */
import type { OperatorEventType } from '../../api/events.js';
import type { EngineContext } from '../core/context.js';

export type { OperatorEventType } from '../../api/events.js';

export interface OperatorEventScope {
  executionId: string | null;
  flowId: string | null;
  namespace: string | null;
  instanceTag: string | null;
}

export function writeOperatorEvent(
  ctx: EngineContext,
  scope: OperatorEventScope,
  type: OperatorEventType,
  details: Record<string, unknown>,
  now: number,
): number {
  const row = ctx.db
    .prepare(
      `INSERT INTO ff_operator_event (execution_id, flow_id, event_type, details, occurred_at_ms, namespace, instance_tag)
       VALUES (:executionId, :flowId, :type, :details, :now, :namespace, :instanceTag)
       RETURNING event_id`,
    )
    .get<{ event_id: number }>({
      executionId: scope.executionId,
      flowId: scope.flowId,
      type,
      details: JSON.stringify(details),
      now,
      namespace: scope.namespace,
      instanceTag: scope.instanceTag,
    })!;
  ctx.emit({ channel: 'operator', eventId: row.event_id });
  return row.event_id;
}
