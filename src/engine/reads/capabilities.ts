/**
 * capabilities (FlowFabric's `EngineBackend::capabilities`): what this
 * backend is and what it supports, in the shape FlowFabric's backends report
 * it: an identity and one flag per feature, grouped by family.
 *
 * Each flag is computed from the operation table (handed to every
 * operation as `operationNames`) and the outbox channels this engine was
 * built with, never written down by hand, so it cannot claim
 * something the engine does not do (or miss something it gained). Flags
 * for features FlowFabric's SQLite backend also leaves out stay false:
 * `claimForWorker` (claims here go through `claim`, with no scheduler),
 * `subscribeInstanceTags`, `blockExecutionForAdmission`,
 * `readBudgetUsageAndLimits`. Unlike FlowFabric's SQLite backend,
 * `issueReclaimGrant` is reported true, because it is implemented.
 */
import { OUTBOX_CHANNELS } from '../../api/events.js';
import type { Capabilities, Supports } from '../../api/operator.js';
import { noInput } from '../../api/time.js';
import { defineOperation } from '../operation.js';

/** package.json's version (a unit test keeps them equal). */
export const PACKAGE_VERSION = '0.1.0';

/**
 * The operations (by name) and outbox channels a flag needs; an empty list
 * can never be met, `always` needs nothing.
 */
const NEEDS: Record<keyof Supports, { ops?: string[]; channels?: string[]; always?: true }> = {
  cancelExecution: { ops: ['cancelExecution'] },
  changePriority: { ops: ['changePriority'] },
  replayExecution: { ops: ['replayExecution'] },
  revokeLease: { ops: ['revokeLease'] },
  readExecutionState: { ops: ['readExecutionState'] },
  readExecutionInfo: { ops: ['readExecutionInfo'] },
  getExecutionResult: { ops: ['getExecutionResult'] },
  budgetAdmin: { ops: ['createBudget', 'resetBudget', 'getBudgetStatus', 'reportUsageAdmin'] },
  quotaAdmin: { ops: ['createQuotaPolicy', 'checkAdmission'] },
  releaseAdmission: { ops: ['releaseAdmission'] },
  readQuotaPolicyLimits: { ops: ['readQuotaPolicy'] },
  blockExecutionForAdmission: { ops: [] },
  readBudgetUsageAndLimits: { ops: [] },
  rotateWaitpointHmacSecretAll: { ops: ['rotateWaitpointHmacSecretAll'] },
  seedWaitpointHmacSecret: { ops: ['seedWaitpointHmacSecret'] },
  listPendingWaitpoints: { ops: ['listPendingWaitpoints'] },
  cancelFlowHeader: { ops: ['cancelFlow'] },
  cancelFlowWaitTimeout: { ops: [] },
  cancelFlowWaitIndefinite: { ops: [] },
  ackCancelMember: { ops: ['ackCancelMember'] },
  claimForWorker: { ops: [] },
  issueReclaimGrant: { ops: ['issueReclaimGrant', 'reclaimExecution'] },
  issueGrantAndClaim: { ops: ['issueGrantAndClaim'] },
  claimExecution: { ops: ['issueClaimGrant', 'claimExecution'] },
  // Migrations run when the engine is created, so there is nothing left to prepare (FlowFabric's SQLite backend: a no-op).
  prepare: { always: true },
  subscribeLeaseHistory: { ops: ['readEvents'], channels: ['lease'] },
  subscribeCompletion: { ops: ['readEvents'], channels: ['completion'] },
  subscribeSignalDelivery: { ops: ['readEvents'], channels: ['signal'] },
  subscribeOperatorEvents: { ops: ['readEvents'], channels: ['operator'] },
  subscribeInstanceTags: { ops: [] },
  streamDurableSummary: { ops: ['appendFrame', 'readSummary'] },
  streamBestEffortLive: { ops: ['appendFrame', 'tailStream'] },
  registerWorker: { ops: ['registerWorker'] },
  heartbeatWorker: { ops: ['heartbeatWorker'] },
  markWorkerDead: { ops: ['markWorkerDead'] },
  listExpiredLeases: { ops: ['listExpiredLeases'] },
  listWorkers: { ops: ['listWorkers'] },
  executionTags: { ops: ['setExecutionTag', 'getExecutionTag'] },
  flowTags: { ops: ['setFlowTag', 'getFlowTag'] },
};

export function capabilities(ops: ReadonlySet<string>): Capabilities {
  const channels = new Set<string>(OUTBOX_CHANNELS);
  const supports = {} as Supports;
  for (const [flag, need] of Object.entries(NEEDS) as Array<[keyof Supports, (typeof NEEDS)[keyof Supports]]>) {
    const needOps = need.ops ?? [];
    supports[flag] = need.always === true || (needOps.length > 0 && needOps.every((n) => ops.has(n)) && (need.channels ?? []).every((c) => channels.has(c)));
  }
  const [major, minor, patch] = PACKAGE_VERSION.split('.').map(Number) as [number, number, number];
  return { identity: { family: 'sqlite', version: { major, minor, patch }, rfc017Stage: 'Phase-4' }, supports };
}

export const capabilitiesOp = defineOperation({
  name: 'capabilities',
  family: 'reads',
  kind: 'read',
  summary: "What this backend is and supports, flag by flag, in FlowFabric's `Capabilities` shape.",
  input: noInput,
  run: ({ operationNames }): Capabilities => capabilities(operationNames),
});
