/**
 * One claimed execution, from lease to outcome: read the payload, run the
 * handler while renewing the lease every third of its TTL, then complete or
 * fail it. A refused handle (lease lost) aborts the job's signal and ends
 * the job without retrying anything. Nothing here throws: every failure
 * becomes an event.
 */
import type { Payload } from '../api/common.js';
import type { Handle } from '../api/handle.js';
import { encodeResult } from './encode-result.js';
import type { JobContext, JobHandler } from './job-context.js';
import { leaseLostCode } from './lease-lost.js';
import { failureClassOf, reasonOf } from './permanent-error.js';
import type { WorkerRuntimeClient } from './worker-runtime-client.js';
import type { JobRef, WorkerRuntimeEvent, WorkerRuntimeOp } from './worker-runtime-events.js';
import type { TimerId, WorkerRuntimeTimer } from './worker-runtime-timer.js';

export interface JobRunDeps {
  client: WorkerRuntimeClient;
  timer: WorkerRuntimeTimer;
  emit(event: WorkerRuntimeEvent): void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export class JobRun {
  readonly ref: JobRef;
  /** Settles (never rejects) when the job is over: outcome reported, lease lost, or abandoned. Set by start(). */
  done: Promise<void> = Promise.resolve();
  private readonly controller = new AbortController();
  private renewTimer: TimerId | undefined;
  private renewal: Promise<void> | undefined;
  /** The handler is done with the lease (returned, threw or handed it back): stop renewing. */
  private released = false;
  private handedBack = false;
  private lost = false;
  private abandoned = false;

  constructor(
    private readonly handle: Handle,
    private readonly handler: JobHandler,
    private readonly deps: JobRunDeps,
  ) {
    this.ref = { executionId: handle.executionId, laneId: handle.laneId, attemptIndex: handle.attemptIndex };
  }

  /** Announce the claim, start renewing, run the handler; returns `done`. */
  start(): Promise<void> {
    this.deps.emit({ type: 'claimed', ...this.ref });
    this.scheduleRenewal();
    this.done = this.run();
    return this.done;
  }

  /**
   * stop() gave up waiting: abort the signal, stop renewing (the lease lapses
   * and the execution becomes reclaimable), and never call the backend for
   * this job again, whatever the handler does later.
   */
  abandon(): void {
    if (this.abandoned) return;
    this.abandoned = true;
    this.released = true;
    this.clearRenewal();
    this.controller.abort(new Error('worker runtime stopped before this job finished'));
  }

  private async run(): Promise<void> {
    const outcome = await this.runHandler();
    this.released = true;
    this.clearRenewal();
    // A renewal already in flight must land first: it may be the call that finds the lease lost.
    await this.renewal;
    if (this.abandoned || this.handedBack || this.lost) return;
    if (outcome.ok) await this.complete(outcome.value);
    else if (leaseLostCode(outcome.error)) this.leaseLost(outcome.error);
    else await this.fail(outcome.error);
  }

  private async runHandler(): Promise<Outcome> {
    try {
      const description = await this.call('describeExecution', () => this.deps.client.describeExecution({ executionId: this.ref.executionId }));
      return { ok: true, value: await this.handler(this.context(description?.payload ?? null)) };
    } catch (error) {
      return { ok: false, error };
    }
  }

  private context(payload: JobContext['payload']): JobContext {
    const { client } = this.deps;
    const handle = this.handle;
    return {
      handle,
      ...this.ref,
      payload,
      signal: this.controller.signal,
      progress: (percent, message) =>
        this.guarded(() =>
          client.progress({ handle, ...(percent === undefined ? {} : { percent }), ...(message === undefined ? {} : { message }) }),
        ),
      appendFrame: (frame) => this.guarded(() => client.appendFrame({ ...frame, handle })),
      reportUsage: (budgetId, usage, dedupKey) =>
        this.guarded(() => client.reportUsage({ handle, budgetId, usage, ...(dedupKey === undefined ? {} : { dedupKey }) })),
      delay: (untilMs) =>
        this.guarded(async () => {
          const result = await client.delay({ handle, delayUntil: untilMs });
          this.handedBack = true;
          this.released = true;
          this.clearRenewal();
          this.deps.emit({ type: 'delayed', ...this.ref, delayUntil: result.kind === 'delayed' ? result.delayUntil : untilMs });
          return result;
        }),
      suspend: (input) =>
        this.guarded(async () => {
          const result = await client.suspend({ ...input, handle });
          this.handedBack = true;
          this.released = true;
          this.clearRenewal();
          this.deps.emit({ type: 'suspended', ...this.ref, suspensionId: result.suspensionId, waitpointIds: result.waitpoints.map((w) => w.waitpointId) });
          return result;
        }),
      observeSignals: () => this.guarded(() => client.observeSignals({ handle })),
    };
  }

  /** A call the handler makes through its context: refused after abandonment, and a lease-lost refusal is noticed. */
  private async guarded<T>(call: () => T | Promise<T>): Promise<T> {
    if (this.abandoned) throw new Error('worker runtime stopped: this job was abandoned');
    try {
      return await call();
    } catch (error) {
      if (leaseLostCode(error)) this.leaseLost(error);
      throw error;
    }
  }

  /** A runtime-made call: failures other than a lost lease are reported as `error` events, then rethrown. */
  private async call<T>(op: WorkerRuntimeOp, body: () => T | Promise<T>): Promise<T> {
    try {
      return await body();
    } catch (error) {
      if (!leaseLostCode(error)) this.reportError(op, error);
      throw error;
    }
  }

  private async complete(value: unknown): Promise<void> {
    if (this.abandoned) return;
    let result: Payload | undefined;
    try {
      result = encodeResult(value);
    } catch (error) {
      return this.fail(error);
    }
    try {
      await this.call('completeExecution', () =>
        this.deps.client.completeExecution(result === undefined ? { handle: this.handle } : { handle: this.handle, result }),
      );
      this.deps.emit({ type: 'completed', ...this.ref });
    } catch (error) {
      if (leaseLostCode(error)) return this.leaseLost(error);
      // Still holding the lease (e.g. the result was too large): fail the attempt rather than let the lease lapse.
      await this.fail(new Error(`completeExecution was refused: ${reasonOf(error)}`));
    }
  }

  private async fail(error: unknown): Promise<void> {
    if (this.abandoned) return;
    const reason = reasonOf(error);
    const failureClass = failureClassOf(error);
    try {
      const result = await this.call('failExecution', () => this.deps.client.failExecution({ handle: this.handle, reason, failureClass }));
      if (result.kind === 'retry_scheduled') {
        this.deps.emit({ type: 'retry_scheduled', ...this.ref, reason, failureClass, delayUntil: result.delayUntil, retryCount: result.retryCount });
      } else {
        this.deps.emit({ type: 'failed', ...this.ref, reason, failureClass });
      }
    } catch (refusal) {
      if (leaseLostCode(refusal)) this.leaseLost(refusal);
    }
  }

  // ── lease renewal ────────────────────────────────────────────────────

  private scheduleRenewal(): void {
    // A third of the TTL leaves two more chances before the lease runs out if one renewal fails.
    const every = Math.max(1, Math.floor(this.handle.leaseTtlMs / 3));
    this.renewTimer = this.deps.timer.setTimeout(() => {
      this.renewTimer = undefined;
      this.renewal = this.renew();
    }, every);
  }

  private clearRenewal(): void {
    if (this.renewTimer !== undefined) this.deps.timer.clearTimeout(this.renewTimer);
    this.renewTimer = undefined;
  }

  private async renew(): Promise<void> {
    if (this.released) return;
    try {
      await this.call('renewLease', () => this.deps.client.renewLease({ handle: this.handle }));
    } catch (error) {
      if (leaseLostCode(error)) {
        this.leaseLost(error);
        return;
      }
      // Another failure (e.g. transport): keep the schedule; the lease may still be valid.
    }
    if (!this.released && !this.lost) this.scheduleRenewal();
  }

  private leaseLost(error: unknown): void {
    if (this.lost || this.abandoned) return;
    this.lost = true;
    this.released = true;
    this.clearRenewal();
    this.deps.emit({ type: 'lease_lost', ...this.ref, code: leaseLostCode(error) ?? 'unknown', message: reasonOf(error) });
    this.controller.abort(error);
  }

  private reportError(op: WorkerRuntimeOp, error: unknown): void {
    if (this.abandoned) return;
    const code = (error as { code?: unknown } | null | undefined)?.code;
    this.deps.emit({ type: 'error', op, message: reasonOf(error), code: typeof code === 'string' ? code : null, error, job: this.ref });
  }
}
