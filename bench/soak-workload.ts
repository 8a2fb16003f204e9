/**
 * The soak's workload: what a busy dev session does to the engine, one
 * virtual second at a time (the soak advances the clock between steps, and
 * the scanners do the rest).
 *
 * - 12 budgets resetting every 2 to 13 s, three of them reported to each
 *   second (soft and hard breaches, every fourth report with a dedup key);
 * - executions created every `createEveryS` seconds into one lane, with
 *   retries; every fifth is "flaky" (fails 30 times, a second apart, before
 *   it gives up), so attempt folding is exercised;
 * - 4 worker instances claiming one job each (quota-admitted), renewing
 *   every 5 s, reporting usage against a budget, then completing (70%),
 *   failing for a retry (20%), failing for good (5%) or vanishing (5%: the
 *   lease expires and a rescuer reclaims it);
 * - the workers heartbeat every 5 s; one of them goes quiet for a minute
 *   every 10 minutes, is swept dead, and registers again.
 */
import type { Engine, Handle } from '../src/index.js';
import { prng } from './stats.js';

const LANE = 'soak';
const WORKERS = 4;
const LEASE_TTL_MS = 10_000;
const BUDGETS = 12;

interface Job {
  handle: Handle;
  endsAtS: number;
  fate: 'complete' | 'retry' | 'fail' | 'vanish';
  flaky: boolean;
}

export interface WorkloadCounts {
  created: number;
  completed: number;
  failed: number;
  retried: number;
  reclaimed: number;
  vanished: number;
  usageReports: number;
}

export class SoakWorkload {
  readonly counts: WorkloadCounts = { created: 0, completed: 0, failed: 0, retried: 0, reclaimed: 0, vanished: 0, usageReports: 0 };
  private readonly random = prng(0x50a4);
  private readonly jobs: (Job | null)[] = Array.from({ length: WORKERS + 1 }, () => null);
  private readonly flaky = new Set<string>();
  private second = 0;

  constructor(
    private readonly engine: Engine,
    private readonly createEveryS: number,
  ) {
    for (let i = 0; i < BUDGETS; i++) {
      engine.createBudget({ budgetId: `budget-${i}`, dimensions: [{ name: 'tokens', softLimit: 800, hardLimit: 1_000 }], resetIntervalMs: (2 + i) * 1_000 });
    }
    engine.createQuotaPolicy({ quotaPolicyId: 'soak-q', windowSeconds: 60, maxRequestsPerWindow: 1_000, maxConcurrent: WORKERS + 1 });
    for (let w = 0; w < WORKERS; w++) this.register(w);
  }

  /** One virtual second of activity (the caller then advances the clock by a second). */
  step(): void {
    const s = ++this.second;
    const e = this.engine;
    for (let r = 0; r < 3; r++) {
      const budgetId = `budget-${(3 * s + r) % BUDGETS}`;
      const dedup = (s + r) % 4 === 0 ? { dedupKey: `k-${s}-${r}`, dedupTtlMs: 300_000 } : {};
      e.reportUsageAdmin({ budgetId, usage: { tokens: 50 + Math.floor(this.random() * 350) }, ...dedup });
      this.counts.usageReports++;
    }
    if (s % this.createEveryS === 0) this.create(s);
    for (let w = 0; w < WORKERS; w++) {
      const quiet = w === WORKERS - 1 && s % 600 < 60;
      if (s % 5 === w && !quiet) {
        if (e.heartbeatWorker({ workerInstanceId: `worker-${w}` }).kind === 'not_registered') this.register(w);
      }
      this.work(w, s);
    }
    if (s % 5 === 0) this.rescue(s);
    this.work(WORKERS, s);
  }

  private register(w: number): void {
    this.engine.registerWorker({ workerId: 'soak', workerInstanceId: `worker-${w}`, lanes: [LANE], capabilities: [], livenessTtlMs: 15_000 });
  }

  private create(s: number): void {
    const flaky = (s / this.createEveryS) % 5 === 0;
    const { executionId } = this.engine.createExecution({
      laneId: LANE,
      payload: JSON.stringify({ n: s, kind: flaky ? 'flaky' : 'normal' }),
      retryPolicy: flaky ? { maxRetries: 30, backoff: { type: 'fixed', delayMs: 1_000 } } : { maxRetries: 3, backoff: { type: 'exponential', initialDelayMs: 1_000, maxDelayMs: 8_000, multiplier: 2 } },
    });
    if (flaky) this.flaky.add(executionId);
    this.counts.created++;
  }

  /** Worker slot `w` (the last slot is the rescuer): claim when idle, renew, report usage, finish when due. */
  private work(w: number, s: number): void {
    const e = this.engine;
    let job = this.jobs[w];
    if (!job && w < WORKERS) {
      const handle = e.claim({ laneId: LANE, workerId: 'soak', workerInstanceId: `worker-${w}`, leaseTtlMs: LEASE_TTL_MS });
      if (!handle) return;
      e.checkAdmission({ quotaPolicyId: 'soak-q', executionId: handle.executionId });
      job = this.jobs[w] = this.newJob(handle, s);
    }
    if (!job) return;
    if (job.fate === 'vanish') {
      // Gone without a word: the lease runs out and the rescuer takes it over.
      this.counts.vanished++;
      this.jobs[w] = null;
      return;
    }
    if (s < job.endsAtS) {
      if ((job.endsAtS - s) % 5 === 0) e.renewLease({ handle: job.handle });
      if (s % 3 === 0) e.reportUsage({ handle: job.handle, budgetId: `budget-${w}`, usage: { tokens: 10 } });
      return;
    }
    if (job.fate === 'complete') {
      e.completeExecution({ handle: job.handle, result: JSON.stringify({ ok: true, at: s }) });
      this.counts.completed++;
    } else {
      const result = e.failExecution({ handle: job.handle, reason: `failed at ${s}`, failureClass: job.fate === 'fail' ? 'permanent' : 'transient' });
      if (result.kind === 'retry_scheduled') this.counts.retried++;
      else this.counts.failed++;
    }
    if (job.flaky && this.engine.readExecutionState({ executionId: job.handle.executionId }) === 'failed') this.flaky.delete(job.handle.executionId);
    this.jobs[w] = null;
  }

  private newJob(handle: Handle, s: number): Job {
    const flaky = this.flaky.has(handle.executionId);
    const roll = this.random();
    const fate = flaky ? 'retry' : roll < 0.7 ? 'complete' : roll < 0.9 ? 'retry' : roll < 0.95 ? 'fail' : 'vanish';
    return { handle, endsAtS: s + (flaky ? 1 : 1 + Math.floor(this.random() * 20)), fate, flaky };
  }

  /** The rescuer reclaims one lease the scanner has marked expired, when it is free. */
  private rescue(s: number): void {
    if (this.jobs[WORKERS]) return;
    const expired = this.engine.listExpiredLeases({ limit: 5 }).leases.find((l) => l.ownershipState === 'lease_expired_reclaimable');
    if (!expired) return;
    const grant = { executionId: expired.executionId, workerId: 'rescuer', workerInstanceId: 'rescuer-1' };
    if (this.engine.issueReclaimGrant({ ...grant, laneId: LANE, grantTtlMs: 10_000 }).kind !== 'granted') return;
    const reclaimed = this.engine.reclaimExecution({ ...grant, leaseTtlMs: LEASE_TTL_MS });
    if (reclaimed.kind !== 'claimed') return;
    this.counts.reclaimed++;
    this.jobs[WORKERS] = { handle: reclaimed.handle, endsAtS: s + 3, fate: 'complete', flaky: false };
  }
}
