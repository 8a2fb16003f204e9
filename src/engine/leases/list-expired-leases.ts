/**
 * listExpiredLeases: live leases that ran out at or before `asOf`, on
 * executions still in the `active` phase, whether or not the lease-expiry
 * scanner has marked them yet (`ownershipState` tells). Read-only: deciding
 * to reclaim is the caller's business.
 *
 * Fixes from FlowFabric's SQLite backend: it filters on public states
 * (`claimed`, `running`) that its own typed claim never writes, so those
 * leases were never listed (its D6); it returns synthetic lease ids, where
 * these are the attempt's real ones, usable to cross-check a handle.
 */
import type { z } from 'zod';
import type { ExpiredLease, ListExpiredLeasesResult } from '../../api/reclaim.js';
import { listExpiredLeasesInput } from '../../api/reclaim.js';
import type { OwnershipState } from '../../api/states.js';
import type { EngineContext } from '../core/context.js';
import { decodeCursor, encodeCursor } from '../core/keyset-cursor.js';
import { defineOperation } from '../operation.js';

interface LeaseRow {
  execution_id: string;
  attempt_index: number;
  lease_id: string;
  lease_epoch: number;
  worker_id: string | null;
  worker_instance_id: string;
  lease_expires_at_ms: number;
  ownership_state: OwnershipState;
  lane_id: string;
  namespace: string;
}

export function listExpiredLeases(
  ctx: EngineContext,
  input: z.output<typeof listExpiredLeasesInput>,
  asOf: number,
): ListExpiredLeasesResult {
  const where = [
    'a.lease_expires_at_ms IS NOT NULL',
    'a.lease_expires_at_ms <= :asOf',
    'a.worker_instance_id IS NOT NULL',
    "e.lifecycle_phase = 'active'",
  ];
  const params: Record<string, string | number> = { asOf, limit: input.limit };
  if (input.namespace !== undefined) {
    where.push('e.namespace = :namespace');
    params['namespace'] = input.namespace;
  }
  if (input.cursor !== undefined) {
    const [afterAt, afterId] = decodeCursor('listExpiredLeases', input.cursor, ['number', 'string']);
    where.push('(a.lease_expires_at_ms, a.execution_id) > (:afterAt, :afterId)');
    params['afterAt'] = afterAt;
    params['afterId'] = afterId;
  }
  // CROSS JOIN pins ff_attempt as the outer loop, so the scan walks the
  // partial expiry index in expiry order instead of the whole exec table.
  // Joining on the execution's attempt_index keeps only the current attempt.
  const rows = ctx.db
    .prepare(
      `SELECT a.execution_id, a.attempt_index, a.lease_id, a.lease_epoch, a.worker_id, a.worker_instance_id,
              a.lease_expires_at_ms, e.ownership_state, e.lane_id, e.namespace
         FROM ff_attempt a CROSS JOIN ff_exec_core e
           ON e.execution_id = a.execution_id AND e.attempt_index = a.attempt_index
        WHERE ${where.join(' AND ')}
        ORDER BY a.lease_expires_at_ms, a.execution_id LIMIT :limit`,
    )
    .all<LeaseRow>(params);
  const leases: ExpiredLease[] = rows.map((r) => ({
    executionId: r.execution_id,
    attemptIndex: r.attempt_index,
    leaseId: r.lease_id,
    leaseEpoch: r.lease_epoch,
    workerId: r.worker_id,
    workerInstanceId: r.worker_instance_id,
    leaseExpiresAtMs: r.lease_expires_at_ms,
    ownershipState: r.ownership_state,
    laneId: r.lane_id,
    namespace: r.namespace,
  }));
  const last = rows[rows.length - 1];
  return { leases, nextCursor: rows.length === input.limit && last ? encodeCursor('listExpiredLeases', [last.lease_expires_at_ms, last.execution_id]) : null };
}

export const listExpiredLeasesOp = defineOperation({
  name: 'listExpiredLeases',
  family: 'leases',
  kind: 'read',
  summary: 'Live leases of active executions that ran out at or before `asOf` (default: now), oldest first.',
  input: listExpiredLeasesInput,
  run: ({ ctx, now }, input): ListExpiredLeasesResult => listExpiredLeases(ctx, input, input.asOf ?? now),
});
