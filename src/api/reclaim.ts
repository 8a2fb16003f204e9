/**
 * Inputs and results of expired leases and reclaim (FlowFabric RFC-024):
 * listExpiredLeases, issueReclaimGrant, reclaimExecution.
 *
 * The path: a lease runs out → the lease-expiry scanner marks the execution
 * `lease_expired_reclaimable` (still `active`) → a worker asks for a reclaim
 * grant → it redeems the grant with reclaimExecution and gets a `reclaimed`
 * handle on a new attempt, under a new lease epoch.
 */
import { z } from 'zod';
import { capabilities, durationMs, executionId, name, pageLimit, timestampMs, uuid } from './common.js';
import type { Handle } from './handle.js';
import type { OwnershipState } from './states.js';

/** The reclaim cap when an execution's policy sets none (FlowFabric's default). */
export const DEFAULT_MAX_RECLAIM_COUNT = 1000;

export const listExpiredLeasesInput = z.strictObject({
  /** Leases that expired at or before this instant. @default the engine clock's now */
  asOf: timestampMs.optional(),
  /** Only executions of this namespace. @default every namespace */
  namespace: name.optional(),
  /** @default 1000 */
  limit: pageLimit.default(1000),
  /** `nextCursor` of the previous page. */
  cursor: z.string().max(512).optional(),
});
export type ListExpiredLeasesInput = z.input<typeof listExpiredLeasesInput>;

export interface ExpiredLease {
  executionId: string;
  attemptIndex: number;
  leaseId: string;
  leaseEpoch: number;
  workerId: string | null;
  workerInstanceId: string;
  leaseExpiresAtMs: number;
  /** `leased` until the lease-expiry scanner marks it `lease_expired_reclaimable`. */
  ownershipState: OwnershipState;
  laneId: string;
  namespace: string;
}

export interface ListExpiredLeasesResult {
  /** Ordered by expiry, then execution id. */
  leases: ExpiredLease[];
  /** Set while more rows may follow; pass it back as `cursor`. */
  nextCursor: string | null;
}

export const issueReclaimGrantInput = z.strictObject({
  executionId,
  /** The grant is bound to this worker id; only it can redeem the grant. */
  workerId: name,
  workerInstanceId: name,
  /** Must be the execution's lane. */
  laneId: name,
  /** Must include every capability the execution requires. @default [] */
  capabilities: capabilities.default([]),
  /** The grant is void this long after it is issued. */
  grantTtlMs: durationMs,
});
export type IssueReclaimGrantInput = z.input<typeof issueReclaimGrantInput>;
export type IssueReclaimGrantResult =
  | { kind: 'granted'; executionId: string; grantKey: string; expiresAtMs: number; laneId: string }
  | { kind: 'not_reclaimable'; detail: string };

export const reclaimExecutionInput = z.strictObject({
  executionId,
  /** Must be the worker id the grant was issued to. */
  workerId: name,
  /** The instance that will hold the new lease (any instance of the worker). */
  workerInstanceId: name,
  leaseTtlMs: durationMs,
  /** A specific grant. @default the caller's most recently issued grant for the execution */
  grantKey: uuid.optional(),
});
export type ReclaimExecutionInput = z.input<typeof reclaimExecutionInput>;
export type ReclaimExecutionResult =
  | { kind: 'claimed'; handle: Handle }
  /** No grant, or it expired (an expired grant is deleted). */
  | { kind: 'grant_not_found' }
  /** The execution is no longer reclaimable; the grant is kept. */
  | { kind: 'not_reclaimable'; detail: string }
  /** The reclaim cap was reached: the execution has ended `failed`. */
  | { kind: 'reclaim_cap_exceeded'; reclaimCount: number };
