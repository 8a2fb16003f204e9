/**
 * Every public operation of the engine, grouped by family: the one list.
 * The Engine's methods, the worker's allow-list, the browser client's types
 * and docs/api.md are derived from it. To add an operation, define it in its
 * own file under src/engine/<family>/ and add one line here.
 */
import { getBudgetStatusOp } from './budgets/get-budget-status.js';
import { createBudgetOp } from './budgets/create-budget.js';
import { listBudgetEventsOp } from './budgets/list-budget-events.js';
import { listBudgetsOp } from './budgets/list-budgets.js';
import { recordSpendOp } from './budgets/record-spend.js';
import { releaseBudgetOp } from './budgets/release-budget.js';
import { reportUsageAdminOp } from './budgets/report-usage-admin.js';
import { reportUsageOp } from './budgets/report-usage.js';
import { resetBudgetOp } from './budgets/reset-budget.js';
import { claimExecutionOp } from './executions/claim-execution.js';
import { claimOp } from './executions/claim.js';
import { completeExecutionOp } from './executions/complete-execution.js';
import { createExecutionOp } from './executions/create-execution.js';
import { createExecutionsOp } from './executions/create-executions.js';
import { delayOp } from './executions/delay-execution.js';
import { failExecutionOp } from './executions/fail-execution.js';
import { issueClaimGrantOp } from './executions/issue-claim-grant.js';
import { issueGrantAndClaimOp } from './executions/issue-grant-and-claim.js';
import { progressOp } from './executions/progress.js';
import { renewLeaseOp } from './executions/renew-lease.js';
import { ackCancelMemberOp } from './flows/ack-cancel-member.js';
import { addExecutionToFlowOp } from './flows/add-execution-to-flow.js';
import { applyDependencyToChildOp } from './flows/apply-dependency-to-child.js';
import { cancelFlowOp } from './flows/cancel-flow.js';
import { createFlowOp } from './flows/create-flow.js';
import { describeEdgeOp } from './flows/describe-edge.js';
import { describeFlowOp } from './flows/describe-flow.js';
import { evaluateFlowEligibilityOp } from './flows/evaluate-flow-eligibility.js';
import { listEdgesOp } from './flows/list-edges.js';
import { listFlowsOp } from './flows/list-flows.js';
import { setEdgeGroupPolicyOp } from './flows/set-edge-group-policy.js';
import { stageDependencyEdgeOp } from './flows/stage-dependency-edge.js';
import { issueReclaimGrantOp } from './leases/issue-reclaim-grant.js';
import { listExpiredLeasesOp } from './leases/list-expired-leases.js';
import { reclaimExecutionOp } from './leases/reclaim-execution.js';
import { cancelExecutionOp } from './operator/cancel-execution.js';
import { changePriorityOp } from './operator/change-priority.js';
import { replayExecutionOp } from './operator/replay-execution.js';
import { revokeLeaseOp } from './operator/revoke-lease.js';
import { readEventsOp } from './outbox/read-events.js';
import { appendFrameOp } from './streams/append-frame.js';
import { readStreamOp } from './streams/read-stream.js';
import { readSummaryOp } from './streams/read-summary.js';
import { tailStreamOp } from './streams/tail-stream.js';
import { checkAdmissionOp } from './quotas/check-admission.js';
import { createQuotaPolicyOp } from './quotas/create-quota-policy.js';
import { listQuotaPoliciesOp } from './quotas/list-quota-policies.js';
import { readQuotaPolicyOp } from './quotas/read-quota-policy.js';
import { releaseAdmissionOp } from './quotas/release-admission.js';
import { capabilitiesOp } from './reads/capabilities.js';
import { describeExecutionOp } from './reads/describe-execution.js';
import { explainExecutionOp } from './reads/explain-execution.js';
import { getExecutionResultOp } from './reads/get-execution-result.js';
import { listExecutionsOp } from './reads/list-executions.js';
import { listLanesOp } from './reads/list-lanes.js';
import { readExecutionInfoOp } from './reads/read-execution-info.js';
import { readExecutionStateOp } from './reads/read-execution-state.js';
import { getExecutionTagOp } from './tags/get-execution-tag.js';
import { getFlowTagOp } from './tags/get-flow-tag.js';
import { setExecutionTagOp } from './tags/set-execution-tag.js';
import { setFlowTagOp } from './tags/set-flow-tag.js';
import { claimResumedExecutionOp } from './suspension/claim-resumed-execution.js';
import { createWaitpointOp } from './suspension/create-waitpoint.js';
import { deliverApprovalSignalOp } from './suspension/deliver-approval-signal.js';
import { deliverSignalOp } from './suspension/deliver-signal.js';
import { listPendingWaitpointsOp } from './suspension/list-pending-waitpoints.js';
import { observeSignalsOp } from './suspension/observe-signals.js';
import { readSuspensionOp } from './suspension/read-suspension.js';
import { readWaitpointTokenOp } from './suspension/read-waitpoint-token.js';
import { resumeExecutionOp } from './suspension/resume-execution.js';
import { rotateWaitpointHmacSecretAllOp } from './suspension/rotate-waitpoint-hmac-secret-all.js';
import { seedWaitpointHmacSecretOp } from './suspension/seed-waitpoint-hmac-secret.js';
import { suspendOp } from './suspension/suspend.js';
import { advanceTimeToOp } from './time/advance-time-to.js';
import { advanceTimeOp } from './time/advance-time.js';
import { clockStateOp } from './time/clock-state.js';
import { nextDueOp } from './time/next-due.js';
import { pauseClockOp } from './time/pause-clock.js';
import { playClockOp } from './time/play-clock.js';
import { nowOp } from './time/now.js';
import { runDueScannersOp } from './time/run-due-scanners.js';
import { runScannerOp } from './time/run-scanner.js';
import { scannerStatesOp } from './time/scanner-states.js';
import { shutdownOp } from './time/shutdown.js';
import { heartbeatWorkerOp } from './workers/heartbeat-worker.js';
import { listWorkersOp } from './workers/list-workers.js';
import { markWorkerDeadOp } from './workers/mark-worker-dead.js';
import { registerWorkerOp } from './workers/register-worker.js';

export const OPERATIONS = [
  // executions
  createExecutionOp,
  createExecutionsOp,
  claimOp,
  renewLeaseOp,
  progressOp,
  completeExecutionOp,
  failExecutionOp,
  delayOp,
  issueClaimGrantOp,
  claimExecutionOp,
  issueGrantAndClaimOp,
  // reads
  readExecutionStateOp,
  readExecutionInfoOp,
  getExecutionResultOp,
  describeExecutionOp,
  explainExecutionOp,
  listExecutionsOp,
  listLanesOp,
  capabilitiesOp,
  // budgets
  createBudgetOp,
  resetBudgetOp,
  getBudgetStatusOp,
  listBudgetsOp,
  listBudgetEventsOp,
  reportUsageOp,
  reportUsageAdminOp,
  recordSpendOp,
  releaseBudgetOp,
  // quotas
  createQuotaPolicyOp,
  checkAdmissionOp,
  releaseAdmissionOp,
  readQuotaPolicyOp,
  listQuotaPoliciesOp,
  // workers
  registerWorkerOp,
  heartbeatWorkerOp,
  markWorkerDeadOp,
  listWorkersOp,
  // expired leases and reclaim
  listExpiredLeasesOp,
  issueReclaimGrantOp,
  reclaimExecutionOp,
  // flows and dependencies
  createFlowOp,
  addExecutionToFlowOp,
  stageDependencyEdgeOp,
  applyDependencyToChildOp,
  setEdgeGroupPolicyOp,
  evaluateFlowEligibilityOp,
  describeFlowOp,
  listFlowsOp,
  listEdgesOp,
  describeEdgeOp,
  cancelFlowOp,
  ackCancelMemberOp,
  // tags
  setExecutionTagOp,
  getExecutionTagOp,
  setFlowTagOp,
  getFlowTagOp,
  // suspension, waitpoints and signals
  seedWaitpointHmacSecretOp,
  rotateWaitpointHmacSecretAllOp,
  suspendOp,
  createWaitpointOp,
  listPendingWaitpointsOp,
  readWaitpointTokenOp,
  readSuspensionOp,
  deliverSignalOp,
  deliverApprovalSignalOp,
  observeSignalsOp,
  claimResumedExecutionOp,
  resumeExecutionOp,
  // operator controls
  cancelExecutionOp,
  replayExecutionOp,
  changePriorityOp,
  revokeLeaseOp,
  // streams
  appendFrameOp,
  readStreamOp,
  tailStreamOp,
  readSummaryOp,
  // outbox reads
  readEventsOp,
  // scanners and virtual time
  scannerStatesOp,
  runScannerOp,
  shutdownOp,
  nowOp,
  advanceTimeOp,
  advanceTimeToOp,
  runDueScannersOp,
  nextDueOp,
  playClockOp,
  pauseClockOp,
  clockStateOp,
] as const;
