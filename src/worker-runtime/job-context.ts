/** What a handler receives for one claimed execution, and what it may return. */
import type { ReportUsageResult } from '../api/budgets.js';
import type { Payload } from '../api/common.js';
import type { DelayExecutionResult, ProgressResult } from '../api/executions.js';
import type { Handle } from '../api/handle.js';
import type { ResumeSignal, SuspendInput, SuspendResult } from '../api/suspension.js';
import type { AppendFrameInput, AppendFrameResult } from '../api/streams.js';

export interface JobContext {
  /** The lease this job runs under; pass it to any other handle-taking call. */
  readonly handle: Handle;
  readonly executionId: string;
  readonly laneId: string;
  /** 0 for the first attempt, then one more per retry or reclaim. */
  readonly attemptIndex: number;
  /** The execution's payload as created (text or bytes), or null. */
  readonly payload: Payload | null;
  /**
   * Aborted when the lease is lost (a renewal or a call was refused) or when
   * `stop()` gives up on this job after its grace. Pass it to fetch() etc.
   */
  readonly signal: AbortSignal;
  /** Record progress; a field left out keeps its old value. */
  progress(percent?: number, message?: string): Promise<ProgressResult>;
  /**
   * Append a frame to this attempt's stream (see appendFrame): output,
   * events, summary patches or best-effort live frames. Refused with
   * `state.stream_closed` once the attempt has ended, which the runtime
   * treats as a lost lease.
   */
  appendFrame(frame: Omit<AppendFrameInput, 'handle'>): Promise<AppendFrameResult>;
  /** Report usage against a budget under this job's lease (fenced like completion). */
  reportUsage(budgetId: string, usage: Record<string, number>, dedupKey?: string): Promise<ReportUsageResult>;
  /**
   * Hand the execution back until `untilMs` (engine clock). This is not a
   * retry; the runtime stops renewing and will not complete or fail it, so
   * return right after.
   */
  delay(untilMs: number): Promise<DelayExecutionResult>;
  /**
   * Suspend the execution on waitpoints until its resume condition (or
   * timeout): hand the returned tokens to whoever signals. Like delay(), the
   * runtime stops renewing and will not complete or fail it, so return right
   * after. Once resumed, a claim runs the handler again with a handle of
   * kind `resumed`; it reads what arrived with observeSignals().
   */
  suspend(input: Omit<SuspendInput, 'handle'>): Promise<SuspendResult>;
  /** The signals that resumed this execution (empty unless `handle.kind` is `resumed`). */
  observeSignals(): Promise<ResumeSignal[]>;
}

/**
 * Runs one execution. Its return value becomes the result: a string or
 * Uint8Array as is, `undefined` for none, anything else JSON-encoded. A
 * throw fails the attempt: `transient` (retried under the execution's
 * policy) unless the error is a PermanentError or carries a `failureClass`.
 */
export type JobHandler = (job: JobContext) => unknown;
