/**
 * What issueReclaimGrant and reclaimExecution read about the execution, and
 * the one rule both apply: only an `active` execution whose lease expired or
 * was revoked can be reclaimed.
 */
import { errors } from '../../api/errors.js';
import type { LifecyclePhase, OwnershipState } from '../../api/states.js';
import type { EngineContext } from '../core/context.js';

export interface ReclaimTarget {
  execution_id: string;
  lane_id: string;
  namespace: string;
  instance_tag: string | null;
  flow_id: string | null;
  lifecycle_phase: LifecyclePhase;
  ownership_state: OwnershipState;
  attempt_index: number;
  attempt_count: number;
  lease_epoch: number;
  lease_reclaim_count: number;
  policy: string;
  /** Of the current attempt (null when it has no row). */
  lease_id: string | null;
  worker_instance_id: string | null;
}

const RECLAIMABLE: ReadonlySet<OwnershipState> = new Set(['lease_expired_reclaimable', 'lease_revoked']);

/** The execution joined to its current attempt; `not_found` when it does not exist. */
export function readReclaimTarget(ctx: EngineContext, executionId: string): ReclaimTarget {
  const row = ctx.db
    .prepare(
      `SELECT e.execution_id, e.lane_id, e.namespace, json_extract(e.tags, '$."cairn.instance_id"') AS instance_tag,
              e.flow_id, e.lifecycle_phase, e.ownership_state, e.attempt_index, e.attempt_count, e.lease_epoch,
              e.lease_reclaim_count, e.policy, a.lease_id, a.worker_instance_id
         FROM ff_exec_core e
         LEFT JOIN ff_attempt a ON a.execution_id = e.execution_id AND a.attempt_index = e.attempt_index
        WHERE e.execution_id = :executionId`,
    )
    .get<ReclaimTarget>({ executionId });
  if (!row) throw errors.notFound('execution', executionId);
  return row;
}

/** Why the execution cannot be reclaimed, or null when it can. */
export function notReclaimableDetail(row: ReclaimTarget): string | null {
  if (row.lifecycle_phase !== 'active') return `lifecycle_phase=${row.lifecycle_phase} (expected active)`;
  if (!RECLAIMABLE.has(row.ownership_state)) {
    return `ownership_state=${row.ownership_state} (expected lease_expired_reclaimable or lease_revoked)`;
  }
  return null;
}
