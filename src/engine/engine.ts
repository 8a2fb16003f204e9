/**
 * The engine: every public operation, each validated by its zod schema
 * before anything runs, then executed as one synchronous transaction.
 * Operations live one per file beside this one; this class only wires them.
 */
import { EngineError, errors } from '../api/errors.js';
import { advanceTimeInput, advanceTimeToInput } from '../api/time.js';
import {
  claimInput,
  completeExecutionInput,
  createExecutionInput,
  createExecutionsInput,
  delayExecutionInput,
  executionRef,
  failExecutionInput,
  progressInput,
  renewLeaseInput,
  type ClaimInput,
  type CompleteExecutionInput,
  type CompleteExecutionResult,
  type CreateExecutionInput,
  type CreateExecutionResult,
  type CreateExecutionsInput,
  type CreateExecutionsResult,
  type DelayExecutionInput,
  type DelayExecutionResult,
  type ExecutionRef,
  type FailExecutionInput,
  type FailExecutionResult,
  type ProgressInput,
  type ProgressResult,
  type RenewLeaseInput,
  type RenewLeaseResult,
} from '../api/executions.js';
import type { Handle } from '../api/handle.js';
import {
  listExecutionsInput,
  type ExecutionDescription,
  type ExecutionInfo,
  type ListExecutionsInput,
  type ListExecutionsResult,
  type ListLanesResult,
} from '../api/reads.js';
import type { Payload } from '../api/common.js';
import type { PublicState } from '../api/states.js';
import {
  heartbeatWorkerInput,
  listWorkersInput,
  markWorkerDeadInput,
  registerWorkerInput,
  type HeartbeatWorkerInput,
  type HeartbeatWorkerResult,
  type ListWorkersInput,
  type ListWorkersResult,
  type MarkWorkerDeadInput,
  type MarkWorkerDeadResult,
  type RegisterWorkerInput,
  type RegisterWorkerResult,
} from '../api/workers.js';
import {
  issueReclaimGrantInput,
  listExpiredLeasesInput,
  reclaimExecutionInput,
  type IssueReclaimGrantInput,
  type IssueReclaimGrantResult,
  type ListExpiredLeasesInput,
  type ListExpiredLeasesResult,
  type ReclaimExecutionInput,
  type ReclaimExecutionResult,
} from '../api/reclaim.js';
import {
  budgetRef,
  createBudgetInput,
  listBudgetEventsInput,
  listBudgetsInput,
  recordSpendInput,
  releaseBudgetInput,
  reportUsageAdminInput,
  reportUsageInput,
  type BudgetRef,
  type BudgetStatus,
  type CreateBudgetInput,
  type CreateBudgetResult,
  type ListBudgetEventsInput,
  type ListBudgetEventsResult,
  type ListBudgetsInput,
  type ListBudgetsResult,
  type RecordSpendInput,
  type ReleaseBudgetInput,
  type ReleaseBudgetResult,
  type ReportUsageAdminInput,
  type ReportUsageInput,
  type ReportUsageResult,
  type ResetBudgetResult,
} from '../api/budgets.js';
import {
  admissionRef,
  checkAdmissionInput,
  createQuotaPolicyInput,
  listQuotaPoliciesInput,
  quotaPolicyRef,
  type CheckAdmissionInput,
  type CheckAdmissionResult,
  type CreateQuotaPolicyInput,
  type CreateQuotaPolicyResult,
  type ListQuotaPoliciesInput,
  type ListQuotaPoliciesResult,
  type QuotaPolicyInfo,
  type QuotaPolicyRef,
  type ReleaseAdmissionInput,
  type ReleaseAdmissionResult,
} from '../api/quotas.js';
import { parseInput } from '../api/validate.js';
import {
  ackCancelMemberInput,
  addExecutionToFlowInput,
  applyDependencyToChildInput,
  cancelExecutionInput,
  cancelFlowInput,
  createFlowInput,
  edgeRef,
  flowRef,
  listEdgesInput,
  listFlowsInput,
  replayExecutionInput,
  setEdgeGroupPolicyInput,
  stageDependencyEdgeInput,
  type AckCancelMemberInput,
  type AckCancelMemberResult,
  type AddExecutionToFlowInput,
  type AddExecutionToFlowResult,
  type ApplyDependencyToChildInput,
  type ApplyDependencyToChildResult,
  type CancelExecutionInput,
  type CancelExecutionResult,
  type CancelFlowInput,
  type CancelFlowResult,
  type CreateFlowInput,
  type CreateFlowResult,
  type EdgeInfo,
  type EdgeRef,
  type EvaluateFlowEligibilityResult,
  type FlowDescription,
  type FlowRef,
  type ListEdgesInput,
  type ListEdgesResult,
  type ListFlowsInput,
  type ListFlowsResult,
  type ReplayExecutionInput,
  type ReplayExecutionResult,
  type SetEdgeGroupPolicyInput,
  type SetEdgeGroupPolicyResult,
  type StageDependencyEdgeInput,
  type StageDependencyEdgeResult,
} from '../api/flows.js';
import { ackCancelMember } from './ack-cancel-member.js';
import { addExecutionToFlow } from './add-execution-to-flow.js';
import { applyDependencyToChild } from './apply-dependency-to-child.js';
import { cancelExecution } from './cancel-execution.js';
import { cancelFlow } from './cancel-flow.js';
import { CompletionCascade } from './cascade.js';
import { createFlow } from './create-flow.js';
import { describeEdge, describeFlow, listEdges, listFlows } from './describe-flow.js';
import { evaluateFlowEligibility } from './evaluate-flow-eligibility.js';
import { replayExecution } from './replay-execution.js';
import { setEdgeGroupPolicy } from './set-edge-group-policy.js';
import { stageDependencyEdge } from './stage-dependency-edge.js';
import { readEventsInput, type ReadEventsInput, type ReadEventsResult } from '../api/events.js';
import { readEvents } from './read-events.js';
import type { Driver } from '../db/driver.js';
import { migrate } from '../db/migrate.js';
import { migrationFiles } from '../db/migration-files.js';
import { createSqlJsDriver } from '../db/sqljs-driver.js';
import { claim } from './claim.js';
import { ManualClock, RealClock, type Clock } from './clock.js';
import { completeExecution } from './complete-execution.js';
import { DEFAULT_LIMITS, type EngineContext, type EngineHooks, type EngineLimits } from './context.js';
import { createExecution } from './create-execution.js';
import { checkPayloadSize } from './payload.js';
import { delayExecution } from './delay-execution.js';
import { failExecution } from './fail-execution.js';
import { randomIds, type IdGenerator } from './ids.js';
import { listExecutions } from './list-executions.js';
import { listLanes } from './list-lanes.js';
import { progress } from './progress.js';
import { describeExecution, getExecutionResult, readExecutionInfo, readExecutionState } from './read-execution.js';
import { renewLease } from './renew-lease.js';
import { readVirtualNow, recordVirtualNow } from './virtual-clock-store.js';
import { heartbeatWorker } from './heartbeat-worker.js';
import { issueReclaimGrant } from './issue-reclaim-grant.js';
import { listExpiredLeases } from './list-expired-leases.js';
import { listWorkers } from './list-workers.js';
import { markWorkerDead } from './mark-worker-dead.js';
import { reclaimExecution } from './reclaim-execution.js';
import { registerWorker } from './register-worker.js';
import { checkAdmission } from './check-admission.js';
import { createBudget } from './create-budget.js';
import { createQuotaPolicy } from './create-quota-policy.js';
import { getBudgetStatus, listBudgets } from './get-budget-status.js';
import { listBudgetEvents } from './list-budget-events.js';
import { listQuotaPolicies, readQuotaPolicy } from './read-quota-policy.js';
import { recordSpend } from './record-spend.js';
import { releaseAdmission } from './release-admission.js';
import { releaseBudget } from './release-budget.js';
import { reportUsage, reportUsageAdmin } from './report-usage.js';
import { resetBudget } from './reset-budget.js';
import { TransactionRunner, type CommitListener } from './transaction.js';
import { buildScanners, type ScannerOptions } from '../scanners/build-scanners.js';
import type { ScannerReport } from '../scanners/scanner.js';
import { ScannerSupervisor, type DueTick, type ScannerState } from '../scanners/supervisor.js';
import type { ScannerTickReport } from './clock.js';

export interface EngineOptions {
  /** Must be `true`: this is a dev-only backend (the analogue of FF_DEV_MODE=1). */
  devMode: true;
  /** @default a fresh in-memory sql.js database */
  driver?: Driver;
  /** @default RealClock */
  clock?: Clock;
  /** @default random UUIDv4s */
  ids?: IdGenerator;
  limits?: Partial<EngineLimits>;
  /** Log the one-line dev-mode banner. @default true */
  banner?: boolean;
  /** Named in the banner. @default 'memory' */
  persistence?: string;
  /**
   * Periodic scanners (budget resets, lease expiry, delayed promotion, …),
   * run on the engine clock: timers with a real clock, `clock.advance()`
   * with a ManualClock. `false` runs none. @default {} (all, default intervals)
   */
  scanners?: ScannerOptions | false;
  /**
   * Fault-injection hooks, for tests only: `beforeDispatch(eventId)` runs
   * inside each completion-event dispatch, and a throw there rolls that
   * dispatch back (the event waits for the dependency reconciler).
   * @default none
   */
  hooks?: EngineHooks;
}

export async function createEngine(options: EngineOptions): Promise<Engine> {
  if ((options as { devMode?: unknown } | undefined)?.devMode !== true) {
    throw new EngineError(
      'validation.invalid_input',
      'ff-backend-browser is a dev-only backend: pass { devMode: true } to createEngine to acknowledge it (the analogue of FF_DEV_MODE=1). Never use it in production.',
      { field: 'devMode' },
    );
  }
  const driver = options.driver ?? (await createSqlJsDriver());
  const clock = options.clock ?? new RealClock();
  const report = migrate(driver, migrationFiles, clock.now());
  if (options.banner !== false) {
    console.info(
      `[ff-backend-browser] dev-only FlowFabric backend on ${driver.kind}, persistence: ${options.persistence ?? 'memory'}, schema v${report.schemaVersion}`,
    );
  }
  const engine = new Engine(driver, clock, options.ids ?? randomIds, { ...DEFAULT_LIMITS, ...options.limits }, report.schemaVersion, options.scanners ?? {}, options.hooks);
  engine.startScanners();
  return engine;
}

export class Engine {
  private readonly tx: TransactionRunner;
  private readonly ctx: EngineContext;
  private readonly cascade: CompletionCascade;
  private readonly supervisor: ScannerSupervisor;
  private readonly reportListeners = new Set<(report: ScannerReport) => void>();
  private closed = false;

  /** @internal use `createEngine` */
  constructor(
    readonly driver: Driver,
    readonly clock: Clock,
    ids: IdGenerator,
    limits: EngineLimits,
    readonly schemaVersion: number,
    scanners: ScannerOptions | false = false,
    hooks?: EngineHooks,
  ) {
    this.tx = new TransactionRunner(driver);
    this.ctx = { db: driver, clock, ids, limits, emit: this.tx.emit, ...(hooks ? { hooks } : {}) };
    // Every write (operations and scanner ticks alike) is followed by the
    // dispatch of the flow completions it wrote: see cascade.ts.
    this.cascade = new CompletionCascade(this.ctx, this.tx, (eventId, error) =>
      console.warn(`[ff-backend-browser] dispatch of completion event ${eventId} failed; the dependency reconciler will retry it:`, error),
    );
    this.tx.onCommit(this.cascade.collect);
    const host = { ctx: this.ctx, run: this.cascade.run.bind(this.cascade), read: this.tx.read.bind(this.tx) };
    this.supervisor = new ScannerSupervisor(
      clock,
      scanners === false ? [] : buildScanners(host, scanners),
      (report) => this.reportListeners.forEach((listener) => listener(report)),
      (scanner, error) => console.warn(`[ff-backend-browser] scanner ${scanner} tick failed:`, error),
    );
  }

  /** @internal called once by createEngine */
  startScanners(): void {
    if (this.clock instanceof ManualClock) {
      // Resume virtual time where this database left it (before the scanners attach, so nothing ticks).
      const saved = this.tx.read('startScanners', () => readVirtualNow(this.ctx));
      if (saved !== null && saved > this.clock.now()) this.clock.advanceTo(saved);
    }
    this.supervisor.start();
    if (this.clock instanceof ManualClock) this.clock.attach(this.supervisor);
  }

  /** Keep the virtual time in the database, so a reload or an import resumes from it. */
  private recordTime<T>(reports: T): T {
    const now = this.clock.now();
    this.tx.run('recordVirtualTime', () => recordVirtualNow(this.ctx, now));
    return reports;
  }

  /** Run a write operation: validate, then one transaction on the engine clock, then the completion cascade. */
  private write<T>(op: string, body: (now: number) => T): T {
    this.assertOpen(op);
    return this.cascade.run(op, () => body(this.clock.now()));
  }

  private read<T>(op: string, body: () => T): T {
    this.assertOpen(op);
    return this.tx.read(op, body);
  }

  private assertOpen(op: string): void {
    if (this.closed) throw new EngineError('closed', `${op}: the engine is closed`, { op });
  }

  /** Called after every commit with the outbox events it produced. */
  onCommit(listener: CommitListener): () => void {
    return this.tx.onCommit(listener);
  }

  // ── executions ────────────────────────────────────────────────────────

  createExecution(input: CreateExecutionInput): CreateExecutionResult {
    const parsed = parseInput('createExecution', createExecutionInput, input);
    checkPayloadSize('payload', parsed.payload, this.ctx.limits.maxPayloadBytes);
    return this.write('createExecution', (now) => createExecution(this.ctx, parsed, now));
  }

  /** Create many executions in one transaction: all or nothing. */
  createExecutions(input: CreateExecutionsInput): CreateExecutionsResult {
    const parsed = parseInput('createExecutions', createExecutionsInput, input);
    parsed.executions.forEach((e, i) => checkPayloadSize(`executions.${i}.payload`, e.payload, this.ctx.limits.maxPayloadBytes));
    return this.write('createExecutions', (now) => ({
      kind: 'created_batch',
      results: parsed.executions.map((e) => createExecution(this.ctx, e, now)),
    }));
  }

  /** The best claimable execution of the lane for this worker, or null. */
  claim(input: ClaimInput): Handle | null {
    const parsed = parseInput('claim', claimInput, input);
    return this.write('claim', (now) => claim(this.ctx, parsed, now));
  }

  renewLease(input: RenewLeaseInput): RenewLeaseResult {
    const parsed = parseInput('renewLease', renewLeaseInput, input);
    return this.write('renewLease', (now) => renewLease(this.ctx, parsed, now));
  }

  progress(input: ProgressInput): ProgressResult {
    const parsed = parseInput('progress', progressInput, input);
    return this.write('progress', (now) => progress(this.ctx, parsed, now));
  }

  completeExecution(input: CompleteExecutionInput): CompleteExecutionResult {
    const parsed = parseInput('completeExecution', completeExecutionInput, input);
    checkPayloadSize('result', parsed.result, this.ctx.limits.maxPayloadBytes);
    return this.write('completeExecution', (now) => completeExecution(this.ctx, parsed, now));
  }

  failExecution(input: FailExecutionInput): FailExecutionResult {
    const parsed = parseInput('failExecution', failExecutionInput, input);
    return this.write('failExecution', (now) => failExecution(this.ctx, parsed, now));
  }

  /** The worker hands the execution back until `delayUntil`. */
  delay(input: DelayExecutionInput): DelayExecutionResult {
    const parsed = parseInput('delay', delayExecutionInput, input);
    return this.write('delay', (now) => delayExecution(this.ctx, parsed, now));
  }

  // ── reads ─────────────────────────────────────────────────────────────

  readExecutionState(input: ExecutionRef): PublicState | null {
    const { executionId } = parseInput('readExecutionState', executionRef, input);
    return this.read('readExecutionState', () => readExecutionState(this.ctx, executionId));
  }

  readExecutionInfo(input: ExecutionRef): ExecutionInfo | null {
    const { executionId } = parseInput('readExecutionInfo', executionRef, input);
    return this.read('readExecutionInfo', () => readExecutionInfo(this.ctx, executionId));
  }

  getExecutionResult(input: ExecutionRef): Payload | null {
    const { executionId } = parseInput('getExecutionResult', executionRef, input);
    return this.read('getExecutionResult', () => getExecutionResult(this.ctx, executionId));
  }

  describeExecution(input: ExecutionRef): ExecutionDescription | null {
    const { executionId } = parseInput('describeExecution', executionRef, input);
    return this.read('describeExecution', () => describeExecution(this.ctx, executionId));
  }

  listExecutions(input: ListExecutionsInput = {}): ListExecutionsResult {
    const parsed = parseInput('listExecutions', listExecutionsInput, input);
    return this.read('listExecutions', () => listExecutions(this.ctx, parsed));
  }

  listLanes(): ListLanesResult {
    return this.read('listLanes', () => listLanes(this.ctx));
  }

  // ── budgets and quotas ────────────────────────────────────────────────
  // (budget and quota methods go here)

  /** Create a budget; creating it again is `already_satisfied` and changes nothing. */
  createBudget(input: CreateBudgetInput): CreateBudgetResult {
    const parsed = parseInput('createBudget', createBudgetInput, input);
    return this.write('createBudget', (now) => createBudget(this.ctx, parsed, now));
  }

  /** Zero every dimension now and restart the reset schedule from now. */
  resetBudget(input: BudgetRef): ResetBudgetResult {
    const parsed = parseInput('resetBudget', budgetRef, input);
    return this.write('resetBudget', (now) => resetBudget(this.ctx, parsed, now));
  }

  getBudgetStatus(input: BudgetRef): BudgetStatus {
    const { budgetId } = parseInput('getBudgetStatus', budgetRef, input);
    return this.read('getBudgetStatus', () => getBudgetStatus(this.ctx, budgetId));
  }

  listBudgets(input: ListBudgetsInput = {}): ListBudgetsResult {
    const parsed = parseInput('listBudgets', listBudgetsInput, input);
    return this.read('listBudgets', () => listBudgets(this.ctx, parsed));
  }

  listBudgetEvents(input: ListBudgetEventsInput): ListBudgetEventsResult {
    const parsed = parseInput('listBudgetEvents', listBudgetEventsInput, input);
    return this.read('listBudgetEvents', () => listBudgetEvents(this.ctx, parsed));
  }

  /** A worker reports usage; its handle is fenced like completeExecution. */
  reportUsage(input: ReportUsageInput): ReportUsageResult {
    const parsed = parseInput('reportUsage', reportUsageInput, input);
    return this.write('reportUsage', (now) => reportUsage(this.ctx, parsed, now));
  }

  reportUsageAdmin(input: ReportUsageAdminInput): ReportUsageResult {
    const parsed = parseInput('reportUsageAdmin', reportUsageAdminInput, input);
    return this.write('reportUsageAdmin', (now) => reportUsageAdmin(this.ctx, parsed, now));
  }

  /** Report usage and book it to an execution, so releaseBudget can give it back. */
  recordSpend(input: RecordSpendInput): ReportUsageResult {
    const parsed = parseInput('recordSpend', recordSpendInput, input);
    return this.write('recordSpend', (now) => recordSpend(this.ctx, parsed, now));
  }

  releaseBudget(input: ReleaseBudgetInput): ReleaseBudgetResult {
    const parsed = parseInput('releaseBudget', releaseBudgetInput, input);
    return this.write('releaseBudget', (now) => releaseBudget(this.ctx, parsed, now));
  }

  createQuotaPolicy(input: CreateQuotaPolicyInput): CreateQuotaPolicyResult {
    const parsed = parseInput('createQuotaPolicy', createQuotaPolicyInput, input);
    return this.write('createQuotaPolicy', (now) => createQuotaPolicy(this.ctx, parsed, now));
  }

  checkAdmission(input: CheckAdmissionInput): CheckAdmissionResult {
    const parsed = parseInput('checkAdmission', checkAdmissionInput, input);
    return this.write('checkAdmission', (now) => checkAdmission(this.ctx, parsed, now));
  }

  releaseAdmission(input: ReleaseAdmissionInput): ReleaseAdmissionResult {
    const parsed = parseInput('releaseAdmission', admissionRef, input);
    return this.write('releaseAdmission', (now) => releaseAdmission(this.ctx, parsed, now));
  }

  /** The policy with its current concurrency and window count, or null. */
  readQuotaPolicy(input: QuotaPolicyRef): QuotaPolicyInfo | null {
    const { quotaPolicyId } = parseInput('readQuotaPolicy', quotaPolicyRef, input);
    return this.read('readQuotaPolicy', () => readQuotaPolicy(this.ctx, quotaPolicyId, this.clock.now()));
  }

  listQuotaPolicies(input: ListQuotaPoliciesInput = {}): ListQuotaPoliciesResult {
    const parsed = parseInput('listQuotaPolicies', listQuotaPoliciesInput, input);
    return this.read('listQuotaPolicies', () => listQuotaPolicies(this.ctx, parsed, this.clock.now()));
  }

  // ── workers, expired leases and reclaim ───────────────────────────────
  // (worker registry and reclaim methods go here)

  /** Register a worker instance, or refresh a live one (heartbeat, lanes, capabilities). */
  registerWorker(input: RegisterWorkerInput): RegisterWorkerResult {
    const parsed = parseInput('registerWorker', registerWorkerInput, input);
    return this.write('registerWorker', (now) => registerWorker(this.ctx, parsed, now));
  }

  /** Push a live instance's expiry out by its liveness TTL. */
  heartbeatWorker(input: HeartbeatWorkerInput): HeartbeatWorkerResult {
    const parsed = parseInput('heartbeatWorker', heartbeatWorkerInput, input);
    return this.write('heartbeatWorker', (now) => heartbeatWorker(this.ctx, parsed, now));
  }

  /** Declare an instance dead; the row stays, with state `dead`. */
  markWorkerDead(input: MarkWorkerDeadInput): MarkWorkerDeadResult {
    const parsed = parseInput('markWorkerDead', markWorkerDeadInput, input);
    return this.write('markWorkerDead', (now) => markWorkerDead(this.ctx, parsed, now));
  }

  /** Registered instances, alive and dead, of one namespace or of all. */
  listWorkers(input: ListWorkersInput = {}): ListWorkersResult {
    const parsed = parseInput('listWorkers', listWorkersInput, input);
    return this.read('listWorkers', () => listWorkers(this.ctx, parsed));
  }

  /** Live leases of active executions that ran out at or before `asOf` (default: now). */
  listExpiredLeases(input: ListExpiredLeasesInput = {}): ListExpiredLeasesResult {
    const parsed = parseInput('listExpiredLeases', listExpiredLeasesInput, input);
    return this.read('listExpiredLeases', () => listExpiredLeases(this.ctx, parsed, parsed.asOf ?? this.clock.now()));
  }

  /** A grant to reclaim an execution whose lease expired or was revoked. */
  issueReclaimGrant(input: IssueReclaimGrantInput): IssueReclaimGrantResult {
    const parsed = parseInput('issueReclaimGrant', issueReclaimGrantInput, input);
    return this.write('issueReclaimGrant', (now) => issueReclaimGrant(this.ctx, parsed, now));
  }

  /** Redeem a reclaim grant: a new attempt under a new lease epoch, or the reclaim cap ends the execution. */
  reclaimExecution(input: ReclaimExecutionInput): ReclaimExecutionResult {
    const parsed = parseInput('reclaimExecution', reclaimExecutionInput, input);
    return this.write('reclaimExecution', (now) => reclaimExecution(this.ctx, parsed, now));
  }

  // ── flows, dependencies and operator ops ──────────────────────────────

  /** Create a flow (`open`, graph revision 0); creating it again is `already_satisfied`. */
  createFlow(input: CreateFlowInput = {}): CreateFlowResult {
    const parsed = parseInput('createFlow', createFlowInput, input);
    return this.write('createFlow', (now) => createFlow(this.ctx, parsed, now));
  }

  /** Make an existing execution a member of a flow (graph revision + 1). */
  addExecutionToFlow(input: AddExecutionToFlowInput): AddExecutionToFlowResult {
    const parsed = parseInput('addExecutionToFlow', addExecutionToFlowInput, input);
    return this.write('addExecutionToFlow', (now) => addExecutionToFlow(this.ctx, parsed, now));
  }

  /** Stage upstream → downstream, compare-and-set on the graph revision; it gates nothing until applied. */
  stageDependencyEdge(input: StageDependencyEdgeInput): StageDependencyEdgeResult {
    const parsed = parseInput('stageDependencyEdge', stageDependencyEdgeInput, input);
    return this.write('stageDependencyEdge', (now) => stageDependencyEdge(this.ctx, parsed, now));
  }

  /** Apply a staged edge: it joins the child's edge group, which blocks the child until satisfied. */
  applyDependencyToChild(input: ApplyDependencyToChildInput): ApplyDependencyToChildResult {
    const parsed = parseInput('applyDependencyToChild', applyDependencyToChildInput, input);
    return this.write('applyDependencyToChild', (now) => applyDependencyToChild(this.ctx, parsed, now));
  }

  /** all_of, any_of { onSatisfied } or quorum { k, onSatisfied } for a child's edge group. */
  setEdgeGroupPolicy(input: SetEdgeGroupPolicyInput): SetEdgeGroupPolicyResult {
    const parsed = parseInput('setEdgeGroupPolicy', setEdgeGroupPolicyInput, input);
    return this.write('setEdgeGroupPolicy', (now) => setEdgeGroupPolicy(this.ctx, parsed, now));
  }

  /** May this execution run, as far as its flow is concerned? */
  evaluateFlowEligibility(input: ExecutionRef): EvaluateFlowEligibilityResult {
    const { executionId } = parseInput('evaluateFlowEligibility', executionRef, input);
    return this.read('evaluateFlowEligibility', () => evaluateFlowEligibility(this.ctx, executionId));
  }

  /** The flow with its members (and counts by state), edges, edge groups and cancel backlog, or null. */
  describeFlow(input: FlowRef): FlowDescription | null {
    const { flowId } = parseInput('describeFlow', flowRef, input);
    return this.read('describeFlow', () => describeFlow(this.ctx, flowId));
  }

  listFlows(input: ListFlowsInput = {}): ListFlowsResult {
    const parsed = parseInput('listFlows', listFlowsInput, input);
    return this.read('listFlows', () => listFlows(this.ctx, parsed));
  }

  listEdges(input: ListEdgesInput): ListEdgesResult {
    const parsed = parseInput('listEdges', listEdgesInput, input);
    return this.read('listEdges', () => listEdges(this.ctx, parsed));
  }

  describeEdge(input: EdgeRef): EdgeInfo | null {
    const { flowId, edgeId } = parseInput('describeEdge', edgeRef, input);
    return this.read('describeEdge', () => describeEdge(this.ctx, flowId, edgeId));
  }

  /** End a flow `cancelled`, cancelling its members by policy (cancel_all, cancel_pending, let_active_finish). */
  cancelFlow(input: CancelFlowInput): CancelFlowResult {
    const parsed = parseInput('cancelFlow', cancelFlowInput, input);
    return this.write('cancelFlow', (now) => cancelFlow(this.ctx, parsed, now));
  }

  /** Take a member out of its flow's cancel backlog. */
  ackCancelMember(input: AckCancelMemberInput): AckCancelMemberResult {
    const parsed = parseInput('ackCancelMember', ackCancelMemberInput, input);
    return this.write('ackCancelMember', () => ackCancelMember(this.ctx, parsed));
  }

  /** Operator cancel: ends a running attempt (its handle goes stale), then the execution, `cancelled`. */
  cancelExecution(input: CancelExecutionInput): CancelExecutionResult {
    const parsed = parseInput('cancelExecution', cancelExecutionInput, input);
    return this.write('cancelExecution', (now) => cancelExecution(this.ctx, parsed, now));
  }

  /** Operator replay: an ended execution runs again (a flow member waits for its dependencies again). */
  replayExecution(input: ReplayExecutionInput): ReplayExecutionResult {
    const parsed = parseInput('replayExecution', replayExecutionInput, input);
    return this.write('replayExecution', (now) => replayExecution(this.ctx, parsed, now));
  }

  // ── outbox reads (subscriptions) ──────────────────────────────────────

  /** Events of one outbox (completion, lease, budget) after an event id, oldest first: the subscription catch-up read. */
  readEvents(input: ReadEventsInput): ReadEventsResult {
    const parsed = parseInput('readEvents', readEventsInput, input);
    return this.read('readEvents', () => readEvents(this.ctx, parsed));
  }

  // ── scanners and virtual time ─────────────────────────────────────────

  /** Called with every scanner tick's report. */
  onScannerReport(listener: (report: ScannerReport) => void): () => void {
    this.reportListeners.add(listener);
    return () => this.reportListeners.delete(listener);
  }

  scannerStates(): ScannerState[] {
    return this.supervisor.states();
  }

  /** Run one tick of a scanner now, outside its schedule. */
  runScanner(input: { scanner: string }): Promise<ScannerReport | null> {
    this.assertOpen('runScanner');
    return this.supervisor.runNow(input.scanner);
  }

  /** The engine clock's reading. */
  now(): number {
    return this.clock.now();
  }

  private manualClock(op: string): ManualClock {
    this.assertOpen(op);
    if (!(this.clock instanceof ManualClock)) throw errors.unavailable(op, 'the engine runs on a real clock; create it with a ManualClock for virtual time');
    return this.clock;
  }

  /** Virtual time: move forward by `ms`, running every scanner tick that falls due. */
  advanceTime(input: { ms: number }): ScannerTickReport[] {
    const { ms } = parseInput('advanceTime', advanceTimeInput, input);
    return this.recordTime(this.manualClock('advanceTime').advance(ms));
  }

  /** Virtual time: jump to `at`, running every scanner tick due on the way. */
  advanceTimeTo(input: { at: number }): ScannerTickReport[] {
    const { at } = parseInput('advanceTimeTo', advanceTimeToInput, input);
    const clock = this.manualClock('advanceTimeTo');
    if (at < clock.now()) throw errors.invalid('at', `time never goes backwards: ${at} is before now (${clock.now()})`);
    return this.recordTime(clock.advanceTo(at));
  }

  /** Virtual time: run the scanner ticks due now. */
  runDueScanners(): ScannerTickReport[] {
    return this.recordTime(this.manualClock('runDueScanners').runDue());
  }

  /** Virtual time: the next scanner tick that would do work (optionally of one scanner), e.g. the next budget reset. */
  nextDue(input: { scanner?: string } = {}): DueTick | null {
    this.manualClock('nextDue');
    return this.supervisor.nextDue(input.scanner);
  }

  /** Stop the scanners, waiting up to `graceMs` for a running tick; returns how many did not finish. */
  shutdown(input: { graceMs?: number } = {}): Promise<number> {
    return this.supervisor.shutdown(input.graceMs ?? 0);
  }

  // ── lifecycle ─────────────────────────────────────────────────────────

  /** The whole database image (a consistent snapshot between operations). */
  exportImage(): Uint8Array {
    this.assertOpen('exportImage');
    return this.driver.exportImage();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    void this.supervisor.shutdown(0);
    if (this.clock instanceof ManualClock) this.clock.attach(undefined);
    this.driver.close();
  }
}
