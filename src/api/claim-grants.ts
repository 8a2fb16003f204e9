/**
 * Claiming one named execution from a grant (FlowFabric RFC-024): a claim
 * grant lets one worker claim one execution (issueClaimGrant, then
 * claimExecution), and issueGrantAndClaim does both in one transaction for
 * an operator. Reclaim grants (src/api/reclaim.ts) are the same idea for an
 * execution whose lease expired or was revoked.
 */
import { z } from 'zod';
import { durationMs, executionId, name, uuid } from './common.js';
import type { Handle } from './handle.js';
import { issueReclaimGrantInput } from './reclaim.js';

/** The same fields as a reclaim grant's request. */
export const issueClaimGrantInput = issueReclaimGrantInput;
export type IssueClaimGrantInput = z.input<typeof issueClaimGrantInput>;
export type IssueClaimGrantResult =
  | { kind: 'granted'; executionId: string; grantKey: string; expiresAtMs: number; laneId: string }
  /** The execution cannot be claimed now, or already has a live claim grant; `detail` says which. */
  | { kind: 'not_claimable'; detail: string };

export const claimExecutionInput = z.strictObject({
  executionId,
  /** Must be the worker id the grant was issued to. */
  workerId: name,
  /** The instance that will hold the lease (any instance of the worker). */
  workerInstanceId: name,
  leaseTtlMs: durationMs,
  /** A specific grant. @default the live claim grant of the execution */
  grantKey: uuid.optional(),
});
export type ClaimExecutionInput = z.input<typeof claimExecutionInput>;

export const issueGrantAndClaimInput = z.strictObject({
  executionId,
  /** Must be the execution's lane. */
  laneId: name,
  leaseTtlMs: durationMs,
  /** Who holds the lease. @default 'operator' */
  workerId: name.default('operator'),
  /** @default 'operator' */
  workerInstanceId: name.default('operator'),
});
export type IssueGrantAndClaimInput = z.input<typeof issueGrantAndClaimInput>;

export interface ClaimFromGrantResult {
  kind: 'claimed';
  handle: Handle;
}

export type IssueGrantAndClaimResult =
  | ClaimFromGrantResult
  /** The execution's lease had expired or been revoked and it was reclaimed once too often: it has ended `failed`. */
  | { kind: 'reclaim_cap_exceeded'; reclaimCount: number };
