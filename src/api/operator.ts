/**
 * Inputs and results of the operator controls added beside cancel and
 * replay (those two live with the flows contract, src/api/flows.ts):
 * changePriority, revokeLease, and what the backend reports about itself
 * (capabilities).
 */
import { z } from 'zod';
import { executionId, name, priority } from './common.js';

export const changePriorityInput = z.strictObject({
  executionId,
  /**
   * The new priority; higher is claimed first. The same range createExecution
   * accepts (a 32-bit signed integer): anything outside it is refused as
   * `validation.invalid_input`, never clamped.
   */
  priority,
});
export type ChangePriorityInput = z.input<typeof changePriorityInput>;
export interface ChangePriorityResult {
  kind: 'changed';
  executionId: string;
  previousPriority: number;
  priority: number;
}

export const revokeLeaseInput = z.strictObject({
  executionId,
  /** Revoke only if this instance holds the lease. @default whoever holds it */
  workerInstanceId: name.optional(),
  /** Revoke only if this is the current lease (the handle's `leaseId`). @default the current lease */
  expectedLeaseId: z.string().min(1).max(256).optional(),
  /** Recorded on the `lease_revoked` operator event. @default 'operator_revoke' */
  reason: z.string().max(4096).default('operator_revoke'),
});
export type RevokeLeaseInput = z.input<typeof revokeLeaseInput>;

/** Why a revoke found nothing to do (FlowFabric's reasons). */
export type RevokeNothingReason = 'no_active_lease' | 'different_worker_instance_id' | 'lease_id_mismatch';

export type RevokeLeaseResult =
  | {
      kind: 'revoked';
      executionId: string;
      /** The lease that was revoked. */
      leaseId: string;
      /** Its epoch: the worker's handle is refused (`state.lease_revoked`) and the next reclaim moves past it. */
      leaseEpoch: number;
      attemptIndex: number;
      workerInstanceId: string | null;
    }
  /** Nothing was revoked and nothing changed. */
  | { kind: 'already_satisfied'; executionId: string; reason: RevokeNothingReason };

/** The backend's identity, FlowFabric's `BackendIdentity`. */
export interface BackendIdentity {
  /** The backend family: handles this backend mints say the same (`sqlite`). */
  family: 'sqlite';
  /** This package's version. */
  version: { major: number; minor: number; patch: number };
  /** FlowFabric's RFC-017 stage the surface matches. */
  rfc017Stage: string;
}

/**
 * FlowFabric's `Supports` flags, grouped by family, camelCased. Each flag is
 * true exactly when the operations (and outbox channels) behind it are part
 * of this engine, so the answer cannot drift from what the engine does.
 */
export interface Supports {
  // operator controls
  cancelExecution: boolean;
  changePriority: boolean;
  replayExecution: boolean;
  revokeLease: boolean;
  // reads
  readExecutionState: boolean;
  readExecutionInfo: boolean;
  getExecutionResult: boolean;
  // budgets and quotas
  budgetAdmin: boolean;
  quotaAdmin: boolean;
  releaseAdmission: boolean;
  readQuotaPolicyLimits: boolean;
  blockExecutionForAdmission: boolean;
  readBudgetUsageAndLimits: boolean;
  // waitpoints
  rotateWaitpointHmacSecretAll: boolean;
  seedWaitpointHmacSecret: boolean;
  listPendingWaitpoints: boolean;
  // flow cancel
  cancelFlowHeader: boolean;
  cancelFlowWaitTimeout: boolean;
  cancelFlowWaitIndefinite: boolean;
  ackCancelMember: boolean;
  // claims and reclaim
  claimForWorker: boolean;
  issueReclaimGrant: boolean;
  issueGrantAndClaim: boolean;
  claimExecution: boolean;
  // lifecycle
  prepare: boolean;
  // subscriptions
  subscribeLeaseHistory: boolean;
  subscribeCompletion: boolean;
  subscribeSignalDelivery: boolean;
  subscribeOperatorEvents: boolean;
  subscribeInstanceTags: boolean;
  // streams
  streamDurableSummary: boolean;
  streamBestEffortLive: boolean;
  // workers and leases
  registerWorker: boolean;
  heartbeatWorker: boolean;
  markWorkerDead: boolean;
  listExpiredLeases: boolean;
  listWorkers: boolean;
  // tags
  executionTags: boolean;
  flowTags: boolean;
}

export interface Capabilities {
  identity: BackendIdentity;
  supports: Supports;
}
