/**
 * The engine: every public operation, each validated by its zod schema
 * before anything runs, then executed as one synchronous transaction.
 * Operations live one per file beside this one; this class only wires them.
 */
import { EngineError } from '../api/errors.js';
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
import { parseInput } from '../api/validate.js';
import type { Driver } from '../db/driver.js';
import { migrate } from '../db/migrate.js';
import { migrationFiles } from '../db/migration-files.js';
import { createSqlJsDriver } from '../db/sqljs-driver.js';
import { claim } from './claim.js';
import { RealClock, type Clock } from './clock.js';
import { completeExecution } from './complete-execution.js';
import { DEFAULT_LIMITS, type EngineContext, type EngineLimits } from './context.js';
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
import { TransactionRunner, type CommitListener } from './transaction.js';

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
  return new Engine(driver, clock, options.ids ?? randomIds, { ...DEFAULT_LIMITS, ...options.limits }, report.schemaVersion);
}

export class Engine {
  private readonly tx: TransactionRunner;
  private readonly ctx: EngineContext;
  private closed = false;

  /** @internal use `createEngine` */
  constructor(
    readonly driver: Driver,
    readonly clock: Clock,
    ids: IdGenerator,
    limits: EngineLimits,
    readonly schemaVersion: number,
  ) {
    this.tx = new TransactionRunner(driver);
    this.ctx = { db: driver, clock, ids, limits, emit: this.tx.emit };
  }

  /** Run a write operation: validate, then one transaction on the engine clock. */
  private write<T>(op: string, body: (now: number) => T): T {
    this.assertOpen(op);
    return this.tx.run(op, () => body(this.clock.now()));
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

  // ── workers, expired leases and reclaim ───────────────────────────────
  // (worker registry and reclaim methods go here)

  // ── lifecycle ─────────────────────────────────────────────────────────

  /** The whole database image (a consistent snapshot between operations). */
  exportImage(): Uint8Array {
    this.assertOpen('exportImage');
    return this.driver.exportImage();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.driver.close();
  }
}
