/**
 * The worker registry's audit trail. Append-only; an exact repeat (same
 * instance, same kind, same millisecond) is dropped by the primary key, so a
 * burst of heartbeats in one tick leaves one row.
 */
import type { EngineContext } from '../core/context.js';

export type WorkerEventKind = 'registered' | 'heartbeat' | 'marked_dead' | 'ttl_swept';

export function writeWorkerEvent(
  ctx: EngineContext,
  namespace: string,
  workerInstanceId: string,
  kind: WorkerEventKind,
  now: number,
  reason: string | null = null,
): void {
  ctx.db
    .prepare(
      `INSERT OR IGNORE INTO ff_worker_registry_event (namespace, worker_instance_id, event_at_ms, event_kind, reason)
       VALUES (:namespace, :workerInstanceId, :now, :kind, :reason)`,
    )
    .run({ namespace, workerInstanceId, now, kind, reason });
}
