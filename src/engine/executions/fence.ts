/**
 * Lease fencing. Every handle-taking operation calls `fence()` first, inside
 * its transaction: the handle must come from this backend, name the
 * execution's current attempt and lease epoch, carry that attempt's lease id
 * and worker instance, and the lease must not have expired. Anything else is
 * rejected with a typed error before a single row is written.
 *
 * (The reference backend fences on the attempt row's epoch alone, so a stale
 * handle could still complete an execution after a newer claim; here the
 * epoch lives on the execution and is bumped by every claim.)
 */
import { EngineError } from '../../api/errors.js';
import type { Handle } from '../../api/handle.js';
import type { LeaseEventType, LifecyclePhase, OwnershipState, PublicState, TerminalOutcome } from '../../api/states.js';
import type { EngineContext } from '../core/context.js';
import { writeLeaseEvent } from '../outbox/outbox.js';

export interface FencedRow {
  execution_id: string;
  lane_id: string;
  namespace: string;
  instance_tag: string | null;
  flow_id: string | null;
  lifecycle_phase: LifecyclePhase;
  ownership_state: OwnershipState;
  public_state: PublicState;
  terminal_outcome: TerminalOutcome;
  attempt_index: number;
  lease_epoch: number;
  retry_count: number;
  policy: string;
  lease_id: string | null;
  worker_instance_id: string | null;
  lease_expires_at_ms: number | null;
  /** The TTL the lease was granted or last renewed with. */
  lease_ttl_ms: number | null;
  outcome: string | null;
}

const FENCE_SQL = `
  SELECT e.execution_id, e.lane_id, e.namespace, json_extract(e.tags, '$."cairn.instance_id"') AS instance_tag,
         e.flow_id, e.lifecycle_phase, e.ownership_state, e.public_state, e.terminal_outcome,
         e.attempt_index, e.lease_epoch, e.retry_count, e.policy,
         a.lease_id, a.worker_instance_id, a.lease_expires_at_ms, a.lease_ttl_ms, a.outcome
    FROM ff_exec_core e
    LEFT JOIN ff_attempt a ON a.execution_id = e.execution_id AND a.attempt_index = e.attempt_index
   WHERE e.execution_id = :executionId`;

export function assertOwnBackend(handle: Handle): void {
  if (handle.backend !== 'sqlite') {
    throw new EngineError(
      'validation.handle_from_other_backend',
      `handle was minted by the ${handle.backend} backend; this backend only accepts its own (sqlite) handles`,
      { field: 'handle.backend', expected: 'sqlite', actual: handle.backend },
    );
  }
}

export function fence(ctx: EngineContext, handle: Handle, now: number): FencedRow {
  assertOwnBackend(handle);
  const row = ctx.db.prepare(FENCE_SQL).get<FencedRow>({ executionId: handle.executionId });
  if (!row) throw new EngineError('not_found', `execution not found: ${handle.executionId}`, { entity: 'execution', id: handle.executionId });

  const details = {
    executionId: row.execution_id,
    handleAttemptIndex: handle.attemptIndex,
    currentAttemptIndex: row.attempt_index,
    handleLeaseEpoch: handle.leaseEpoch,
    currentLeaseEpoch: row.lease_epoch,
    lifecyclePhase: row.lifecycle_phase,
    publicState: row.public_state,
  };
  if (handle.attemptIndex !== row.attempt_index || handle.leaseEpoch !== row.lease_epoch || handle.leaseId !== row.lease_id) {
    throw new EngineError('state.stale_lease', 'handle is stale: the execution has been claimed, reclaimed or revoked since', details);
  }
  if (row.lifecycle_phase !== 'active') {
    throw new EngineError(
      'contention.execution_not_active',
      `execution is not active (lifecycle_phase=${row.lifecycle_phase}, public_state=${row.public_state})`,
      { ...details, terminalOutcome: row.terminal_outcome },
    );
  }
  if (row.ownership_state === 'lease_revoked') {
    throw new EngineError('state.lease_revoked', 'the lease was revoked', details);
  }
  if (handle.workerInstanceId !== row.worker_instance_id) {
    throw new EngineError('contention.lease_conflict', 'the lease is held by another worker instance', {
      ...details,
      holder: row.worker_instance_id,
    });
  }
  if (row.ownership_state === 'lease_expired_reclaimable' || row.lease_expires_at_ms === null || row.lease_expires_at_ms <= now) {
    throw new EngineError('state.lease_expired', 'the lease has expired', { ...details, leaseExpiresAtMs: row.lease_expires_at_ms, now });
  }
  return row;
}

/** The lease of an execution's current attempt, as its lease event names it. */
export interface HeldLease {
  execution_id: string;
  namespace: string;
  instance_tag: string | null;
  attempt_index: number;
  lease_id: string | null;
  lease_epoch: number;
  worker_instance_id: string | null;
}

/**
 * The other half of fencing: the engine takes a lease away (an operator
 * cancel, an attempt timeout, an execution deadline). The execution's lease
 * epoch goes up, so the worker's handle gets `state.stale_lease` from here
 * on, and the lease event records the epoch the lease was held under.
 */
export function revokeLease(ctx: EngineContext, lease: HeldLease, type: LeaseEventType, now: number): void {
  ctx.db.prepare('UPDATE ff_exec_core SET lease_epoch = lease_epoch + 1 WHERE execution_id = :executionId').run({ executionId: lease.execution_id });
  leaseEvent(ctx, lease, type, now);
}

/** A lease event about the current attempt's lease (renewed, released, ...), under the epoch it is held with. */
export function leaseEvent(ctx: EngineContext, lease: HeldLease, type: LeaseEventType, now: number): number {
  return writeLeaseEvent(
    ctx,
    { executionId: lease.execution_id, namespace: lease.namespace, instanceTag: lease.instance_tag },
    { type, attemptIndex: lease.attempt_index, leaseId: lease.lease_id, leaseEpoch: lease.lease_epoch, workerInstanceId: lease.worker_instance_id },
    now,
  );
}
