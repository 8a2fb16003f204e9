/**
 * The signal outbox: one ff_signal_event row per accepted delivery (and per
 * timeout signal), with its effect, announced on the `signal` channel after
 * COMMIT. The row also answers a repeated idempotency key.
 */
import type { SignalEffect } from '../../api/suspension.js';
import type { EngineContext } from '../core/context.js';

export interface SignalEventRow {
  executionId: string;
  signalId: string;
  waitpointId: string | null;
  signalName: string;
  sourceIdentity: string;
  effect: SignalEffect;
  idempotencyKey: string | null;
  namespace: string | null;
  instanceTag: string | null;
}

export function writeSignalEvent(ctx: EngineContext, event: SignalEventRow, now: number): number {
  const row = ctx.db
    .prepare(
      `INSERT INTO ff_signal_event (execution_id, signal_id, waitpoint_id, signal_name, source_identity, effect,
         idempotency_key, delivered_at_ms, namespace, instance_tag)
       VALUES (:executionId, :signalId, :waitpointId, :signalName, :sourceIdentity, :effect, :idempotencyKey, :now, :namespace, :instanceTag)
       RETURNING event_id`,
    )
    .get<{ event_id: number }>({ ...event, now })!;
  ctx.emit({ channel: 'signal', eventId: row.event_id });
  return row.event_id;
}

/** The first delivery to `executionId` with this idempotency key, if any. */
export function firstDelivery(ctx: EngineContext, executionId: string, key: string): { signal_id: string; effect: SignalEffect } | undefined {
  return ctx.db
    .prepare(
      `SELECT signal_id, effect FROM ff_signal_event
        WHERE execution_id = :executionId AND idempotency_key = :key ORDER BY delivered_at_ms, event_id LIMIT 1`,
    )
    .get<{ signal_id: string; effect: SignalEffect }>({ executionId, key });
}
