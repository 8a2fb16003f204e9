/**
 * A worker runtime: the claim → run handler → complete/fail loop that every
 * worker would otherwise write by hand (FlowFabric's Rust SDK calls it
 * `WorkerRuntime`). It polls its lanes in turn, runs up to `concurrency`
 * handlers at once, renews their leases, reports outcomes, and drains on
 * stop. It works against the in-process Engine and the browser client
 * alike: every backend call is awaited.
 */
import { errors } from '../api/errors.js';
import type { Handle } from '../api/handle.js';
import type { JobHandler } from './job-context.js';
import { JobRun } from './job-run.js';
import { reasonOf } from './permanent-error.js';
import { Wakeup } from './wakeup.js';
import type { WorkerRuntimeClient } from './worker-runtime-client.js';
import type { WorkerRuntimeEvent, WorkerRuntimeListener, WorkerRuntimeOp } from './worker-runtime-events.js';
import { realTimer, type TimerId, type WorkerRuntimeTimer } from './worker-runtime-timer.js';

export type { JobContext, JobHandler } from './job-context.js';
export type { WorkerRuntimeClient } from './worker-runtime-client.js';
export type { JobRef, WorkerRuntimeEvent, WorkerRuntimeListener } from './worker-runtime-events.js';
export type { WorkerRuntimeTimer } from './worker-runtime-timer.js';
export { ManualTimer } from './manual-timer.js';
export { PermanentError } from './permanent-error.js';

/** FlowFabric's default worker lease. */
const DEFAULT_LEASE_TTL_MS = 30_000;
/** Idle polling: frequent enough to feel instant in a playground, rare enough to cost nothing (one indexed query per lane). */
const DEFAULT_POLL_INTERVAL_MS = 250;
/** How long stop() waits for running handlers unless told otherwise: one default lease. */
const DEFAULT_STOP_GRACE_MS = 30_000;

export interface WorkerRuntimeOptions {
  /** Lanes to claim from, polled in turn (round-robin, so a busy lane never starves the others). */
  lanes: string[];
  /** One handler per lane, and no handler for a lane not in `lanes`. */
  handlers: Record<string, JobHandler>;
  /** Capability tokens this worker holds; it claims only executions whose required capabilities are all here. @default [] */
  capabilities?: string[];
  /** Handlers running at once, across all lanes. @default 1 */
  concurrency?: number;
  /** Lease TTL per claim; renewed every third of it while the handler runs. @default 30_000 */
  leaseTtlMs?: number;
  /** @default 'worker-runtime' */
  workerId?: string;
  /** @default `${workerId}-<random>` */
  workerInstanceId?: string;
  /** Pause after a pass over every lane found no work. @default 250 */
  pollIntervalMs?: number;
  /** Timers for polling, renewals and the stop grace; inject a ManualTimer to drive tests step by step. @default the platform's setTimeout */
  timer?: WorkerRuntimeTimer;
}

export interface WorkerRuntimeError {
  op: WorkerRuntimeOp;
  message: string;
  /** The EngineError code, when the failure had one. */
  code: string | null;
  executionId: string | null;
}

/** Plain data, for a status panel. Counters are totals since the runtime was created. */
export interface WorkerRuntimeStatus {
  state: 'idle' | 'running' | 'stopping' | 'stopped';
  /** Claiming new work (state 'running'). */
  running: boolean;
  /** Handlers running now. */
  inFlight: number;
  claimed: number;
  completed: number;
  /** Ended `failed` (permanent, or out of retries). */
  failed: number;
  retryScheduled: number;
  delayed: number;
  suspended: number;
  leaseLost: number;
  errors: number;
  lastError: WorkerRuntimeError | null;
}

export interface WorkerRuntime {
  readonly workerId: string;
  readonly workerInstanceId: string;
  /** Start claiming. Calling it while running does nothing; after stop() resolves it starts again. */
  start(): void;
  /**
   * Stop claiming, then wait up to `graceMs` for running handlers to finish
   * and report. Handlers still running then are abandoned: their signal is
   * aborted, their lease is left to expire (so the execution becomes
   * reclaimable), and the runtime makes no backend call for them again.
   * Resolves to how many were abandoned. `graceMs: Infinity` waits for all.
   */
  stop(options?: { graceMs?: number }): Promise<number>;
  status(): WorkerRuntimeStatus;
  /** Listen to claimed / completed / failed / retry_scheduled / delayed / suspended / lease_lost / error events; returns the unsubscribe function. */
  onEvent(listener: WorkerRuntimeListener): () => void;
}

export function createWorkerRuntime(client: WorkerRuntimeClient, options: WorkerRuntimeOptions): WorkerRuntime {
  return new Runtime(client, options);
}

function positiveInteger(field: string, value: number | undefined, fallback: number): number {
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n <= 0) throw errors.invalid(field, `must be a positive integer, got ${String(value)}`);
  return n;
}

class Runtime implements WorkerRuntime {
  readonly workerId: string;
  readonly workerInstanceId: string;
  private readonly lanes: string[];
  private readonly handlers: Record<string, JobHandler>;
  private readonly capabilities: string[];
  private readonly concurrency: number;
  private readonly leaseTtlMs: number;
  private readonly pollIntervalMs: number;
  private readonly timer: WorkerRuntimeTimer;
  private readonly wakeup: Wakeup;
  private readonly listeners = new Set<WorkerRuntimeListener>();
  private readonly jobs = new Set<JobRun>();
  private state: WorkerRuntimeStatus['state'] = 'idle';
  /** Bumped by every start(), so a loop left behind by a stop() that timed out can never claim again. */
  private generation = 0;
  private loopDone: Promise<void> = Promise.resolve();
  private stopping: Promise<number> | undefined;
  private nextLane = 0;
  private readonly counts = { claimed: 0, completed: 0, failed: 0, retryScheduled: 0, delayed: 0, suspended: 0, leaseLost: 0, errors: 0 };
  private lastError: WorkerRuntimeError | null = null;

  constructor(
    private readonly client: WorkerRuntimeClient,
    options: WorkerRuntimeOptions,
  ) {
    if (!Array.isArray(options.lanes) || options.lanes.length === 0) throw errors.invalid('lanes', 'name at least one lane');
    for (const lane of options.lanes) {
      if (typeof options.handlers[lane] !== 'function') throw errors.invalid(`handlers.${lane}`, `no handler for lane '${lane}'`);
    }
    for (const lane of Object.keys(options.handlers)) {
      if (!options.lanes.includes(lane)) throw errors.invalid(`handlers.${lane}`, `'${lane}' is not one of the runtime's lanes`);
    }
    this.lanes = [...options.lanes];
    this.handlers = { ...options.handlers };
    this.capabilities = [...(options.capabilities ?? [])];
    this.concurrency = positiveInteger('concurrency', options.concurrency, 1);
    this.leaseTtlMs = positiveInteger('leaseTtlMs', options.leaseTtlMs, DEFAULT_LEASE_TTL_MS);
    this.pollIntervalMs = positiveInteger('pollIntervalMs', options.pollIntervalMs, DEFAULT_POLL_INTERVAL_MS);
    this.workerId = options.workerId ?? 'worker-runtime';
    this.workerInstanceId = options.workerInstanceId ?? `${this.workerId}-${Math.random().toString(36).slice(2, 10)}`;
    this.timer = options.timer ?? realTimer;
    this.wakeup = new Wakeup(this.timer);
  }

  start(): void {
    if (this.state === 'running') return;
    if (this.state === 'stopping') throw errors.unavailable('start', 'stop() is still draining; await it first');
    this.state = 'running';
    this.loopDone = this.loop(++this.generation);
  }

  stop(options: { graceMs?: number } = {}): Promise<number> {
    if (this.stopping) return this.stopping;
    if (this.state !== 'running') return Promise.resolve(0);
    const graceMs = options.graceMs ?? DEFAULT_STOP_GRACE_MS;
    if (!(graceMs >= 0)) throw errors.invalid('graceMs', `must be ≥ 0 (or Infinity), got ${graceMs}`);
    this.state = 'stopping';
    this.wakeup.wake();
    this.stopping = this.drain(graceMs).finally(() => (this.stopping = undefined));
    return this.stopping;
  }

  status(): WorkerRuntimeStatus {
    return { state: this.state, running: this.state === 'running', inFlight: this.jobs.size, ...this.counts, lastError: this.lastError };
  }

  onEvent(listener: WorkerRuntimeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async drain(graceMs: number): Promise<number> {
    let graceTimer: TimerId | undefined;
    const graceOver = new Promise<void>((resolve) => {
      if (Number.isFinite(graceMs)) graceTimer = this.timer.setTimeout(resolve, graceMs);
    });
    const drained = (async () => {
      // The loop may be inside a claim call; whatever it claims is a job to drain too.
      await this.loopDone;
      await Promise.all([...this.jobs].map((job) => job.done));
    })();
    await Promise.race([drained, graceOver]);
    if (graceTimer !== undefined) this.timer.clearTimeout(graceTimer);
    const abandoned = [...this.jobs];
    for (const job of abandoned) job.abandon();
    this.jobs.clear();
    this.state = 'stopped';
    return abandoned.length;
  }

  private isCurrent(generation: number): boolean {
    return generation === this.generation && this.state === 'running';
  }

  private async loop(generation: number): Promise<void> {
    while (this.isCurrent(generation)) {
      if (this.jobs.size >= this.concurrency) {
        await this.wakeup.wait(); // a job finishing (or stop) wakes us
        continue;
      }
      const claimed = await this.claimNext(generation);
      if (claimed) this.launch(generation, claimed.laneId, claimed.handle);
      else if (this.isCurrent(generation)) await this.wakeup.wait(this.pollIntervalMs);
    }
  }

  /** One pass over the lanes, starting after the lane that last yielded work. */
  private async claimNext(generation: number): Promise<{ laneId: string; handle: Handle } | null> {
    for (let i = 0; i < this.lanes.length && this.isCurrent(generation); i++) {
      const index = (this.nextLane + i) % this.lanes.length;
      const laneId = this.lanes[index]!;
      try {
        const handle = await this.client.claim({
          laneId,
          workerId: this.workerId,
          workerInstanceId: this.workerInstanceId,
          capabilities: this.capabilities,
          leaseTtlMs: this.leaseTtlMs,
        });
        if (handle) {
          this.nextLane = (index + 1) % this.lanes.length;
          return { laneId, handle };
        }
      } catch (error) {
        this.reportError('claim', error);
      }
    }
    return null;
  }

  private launch(generation: number, laneId: string, handle: Handle): void {
    // A stop() that gave up while this claim was in flight: make no further call; the lease lapses.
    if (generation !== this.generation || this.state === 'stopped') return;
    const job = new JobRun(handle, this.handlers[laneId]!, { client: this.client, timer: this.timer, emit: (event) => this.emit(event) });
    this.jobs.add(job); // before start(), so status() seen from the 'claimed' listener counts it
    void job.start().then(() => {
      this.jobs.delete(job);
      this.wakeup.wake();
    });
  }

  private reportError(op: WorkerRuntimeOp, error: unknown): void {
    const code = (error as { code?: unknown } | null | undefined)?.code;
    this.emit({ type: 'error', op, message: reasonOf(error), code: typeof code === 'string' ? code : null, error });
  }

  private emit(event: WorkerRuntimeEvent): void {
    this.count(event);
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        // A broken listener must not break the loop (or the other listeners).
        console.warn('[ff-backend-browser] worker runtime event listener threw:', error);
      }
    }
  }

  private count(event: WorkerRuntimeEvent): void {
    switch (event.type) {
      case 'claimed':
        this.counts.claimed++;
        break;
      case 'completed':
        this.counts.completed++;
        break;
      case 'failed':
        this.counts.failed++;
        break;
      case 'retry_scheduled':
        this.counts.retryScheduled++;
        break;
      case 'delayed':
        this.counts.delayed++;
        break;
      case 'suspended':
        this.counts.suspended++;
        break;
      case 'lease_lost':
        this.counts.leaseLost++;
        break;
      case 'error':
        this.counts.errors++;
        this.lastError = { op: event.op, message: event.message, code: event.code, executionId: event.job?.executionId ?? null };
        break;
    }
  }
}
