/**
 * The lease-expiry scanner's per-tick body, run inside the caller's
 * transaction (the scanner supervisor owns the timer and the transaction).
 *
 * FlowFabric's SQLite backend never marks a lease expired (its D8), so its
 * reclaim path is unreachable without raw SQL. Here an active execution
 * whose current attempt's lease ran out (lease_expires_at_ms ≤ now) becomes
 * `lease_expired_reclaimable`: still `active` (phase and public state), the
 * attempt still open (outcome NULL, lease expiry kept so listExpiredLeases
 * shows when it lapsed), waiting for a worker to reclaim it. The epoch is not
 * bumped: the fence already refuses the old handle as `state.lease_expired`,
 * and the reclaim that follows bumps it.
 */
import type { EngineContext } from '../core/context.js';
import { writeLeaseEvent } from '../outbox/outbox.js';

interface DueLease {
  execution_id: string;
  namespace: string;
  instance_tag: string | null;
  attempt_index: number;
  lease_id: string;
  lease_epoch: number;
  worker_instance_id: string | null;
}

// ff_attempt drives the join (CROSS JOIN fixes the loop order) so both
// queries walk ff_attempt_lease_expiry_idx in expiry order and stop early.
// Leases already marked stay in that index until reclaimed and are skipped.
const LEASED_CURRENT_ATTEMPT = `
  FROM ff_attempt a CROSS JOIN ff_exec_core e
    ON e.execution_id = a.execution_id AND e.attempt_index = a.attempt_index
 WHERE a.lease_expires_at_ms IS NOT NULL
   AND e.lifecycle_phase = 'active' AND e.ownership_state = 'leased'`;

/** Mark at most `limit` expired leases reclaimable, oldest expiry first; returns how many. */
export function markExpiredLeases(ctx: EngineContext, now: number, limit: number): number {
  const due = ctx.db
    .prepare(
      `SELECT e.execution_id, e.namespace, json_extract(e.tags, '$."cairn.instance_id"') AS instance_tag,
              a.attempt_index, a.lease_id, a.lease_epoch, a.worker_instance_id
        ${LEASED_CURRENT_ATTEMPT} AND a.lease_expires_at_ms <= :now
        ORDER BY a.lease_expires_at_ms, a.execution_id LIMIT :limit`,
    )
    .all<DueLease>({ now, limit });
  const mark = ctx.db.prepare(
    `UPDATE ff_exec_core
        SET ownership_state = 'lease_expired_reclaimable', blocking_reason = 'waiting_for_worker'
      WHERE execution_id = :executionId`,
  );
  for (const lease of due) {
    mark.run({ executionId: lease.execution_id });
    writeLeaseEvent(
      ctx,
      { executionId: lease.execution_id, namespace: lease.namespace, instanceTag: lease.instance_tag },
      {
        type: 'expired',
        attemptIndex: lease.attempt_index,
        leaseId: lease.lease_id,
        leaseEpoch: lease.lease_epoch,
        workerInstanceId: lease.worker_instance_id,
      },
      now,
    );
  }
  return due.length;
}

/** When the next live lease of a leased execution runs out, or null when none is held. */
export function nextLeaseExpiryAt(ctx: EngineContext): number | null {
  const row = ctx.db
    .prepare(`SELECT a.lease_expires_at_ms AS at ${LEASED_CURRENT_ATTEMPT} ORDER BY a.lease_expires_at_ms LIMIT 1`)
    .get<{ at: number }>();
  return row?.at ?? null;
}
