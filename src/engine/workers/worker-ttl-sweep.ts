/**
 * The worker TTL sweep's per-tick body, run inside the caller's transaction
 * (the scanner supervisor owns the timer and the transaction).
 *
 * Decision: FlowFabric deletes a lapsed registration. Here the row is kept
 * and marked `dead`, with a `ttl_swept` audit event, so a UI can still show
 * the instance, its lanes and when it was last seen; re-registering the
 * instance revives the row. The boundary is the one used everywhere in this
 * engine: a registration has lapsed once expires_at_ms ≤ now (a heartbeat
 * at exactly that instant is already refused).
 */
import type { EngineContext } from '../core/context.js';
import { writeWorkerEvent } from './worker-event.js';

/** Mark at most `limit` lapsed instances dead, earliest expiry first; returns how many. */
export function sweepExpiredWorkers(ctx: EngineContext, now: number, limit: number): number {
  // Walks ff_worker_registry_expiry_idx (alive rows only), so a tick costs
  // O(rows due), whatever the number of live or dead instances.
  const due = ctx.db
    .prepare(
      `SELECT namespace, worker_instance_id FROM ff_worker_registry
        WHERE state = 'alive' AND expires_at_ms <= :now
        ORDER BY expires_at_ms, namespace, worker_instance_id LIMIT :limit`,
    )
    .all<{ namespace: string; worker_instance_id: string }>({ now, limit });
  const kill = ctx.db.prepare(
    `UPDATE ff_worker_registry SET state = 'dead' WHERE namespace = :namespace AND worker_instance_id = :workerInstanceId`,
  );
  for (const row of due) {
    kill.run({ namespace: row.namespace, workerInstanceId: row.worker_instance_id });
    writeWorkerEvent(ctx, row.namespace, row.worker_instance_id, 'ttl_swept', now);
  }
  return due.length;
}

/** When the next alive registration lapses, or null when none is alive. */
export function nextWorkerExpiryAt(ctx: EngineContext): number | null {
  const row = ctx.db
    .prepare(`SELECT MIN(expires_at_ms) AS at FROM ff_worker_registry WHERE state = 'alive'`)
    .get<{ at: number | null }>();
  return row?.at ?? null;
}
