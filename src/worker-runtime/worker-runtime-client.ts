/**
 * What a worker runtime needs from a backend: just the methods it calls.
 * Both the in-process `Engine` (which returns values) and the browser
 * client (which returns promises) satisfy it, because every method may
 * return either; the runtime awaits every call.
 */
import type {
  ClaimInput,
  CompleteExecutionInput,
  CompleteExecutionResult,
  DelayExecutionInput,
  DelayExecutionResult,
  ExecutionRef,
  FailExecutionInput,
  FailExecutionResult,
  ProgressInput,
  ProgressResult,
  RenewLeaseInput,
  RenewLeaseResult,
} from '../api/executions.js';
import type { ReportUsageInput, ReportUsageResult } from '../api/budgets.js';
import type { Handle } from '../api/handle.js';
import type { ExecutionDescription } from '../api/reads.js';
import type { ObserveSignalsInput, ResumeSignal, SuspendInput, SuspendResult } from '../api/suspension.js';
import type { AppendFrameInput, AppendFrameResult } from '../api/streams.js';

/** A value, or a promise of it: the in-process engine is synchronous, the worker client is not. */
export type MaybePromise<T> = T | Promise<T>;

export interface WorkerRuntimeClient {
  claim(input: ClaimInput): MaybePromise<Handle | null>;
  renewLease(input: RenewLeaseInput): MaybePromise<RenewLeaseResult>;
  completeExecution(input: CompleteExecutionInput): MaybePromise<CompleteExecutionResult>;
  failExecution(input: FailExecutionInput): MaybePromise<FailExecutionResult>;
  delay(input: DelayExecutionInput): MaybePromise<DelayExecutionResult>;
  suspend(input: SuspendInput): MaybePromise<SuspendResult>;
  observeSignals(input: ObserveSignalsInput): MaybePromise<ResumeSignal[]>;
  progress(input: ProgressInput): MaybePromise<ProgressResult>;
  reportUsage(input: ReportUsageInput): MaybePromise<ReportUsageResult>;
  appendFrame(input: AppendFrameInput): MaybePromise<AppendFrameResult>;
  /** The only read that returns an execution's payload. */
  describeExecution(input: ExecutionRef): MaybePromise<ExecutionDescription | null>;
}
