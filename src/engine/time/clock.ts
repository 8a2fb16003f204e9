/**
 * Time is injected: the engine and the scanners read it only from a Clock.
 * `RealClock` follows the wall clock; `ManualClock` moves only when told,
 * which makes retries, leases and budget resets testable in microseconds.
 */
export interface Clock {
  readonly kind: 'real' | 'manual';
  /** Unix milliseconds. */
  now(): number;
}

/** What a ManualClock drives as it advances: the scanner supervisor. */
export interface VirtualScheduler {
  nextDue(scanner?: string): { at: number; scanner: string } | null;
  runDueTick(due: { at: number; scanner: string }): ScannerTickReport | null;
}

/** A scanner's report as the clock sees it (see src/scanners/scanner.ts). */
export interface ScannerTickReport {
  scanner: string;
  at: number;
  processed: number;
  errors: number;
}

/** How much work one advance may do before it stops short. */
export interface AdvanceLimits {
  /** Scanner ticks at most. @default 1_000_000 (MAX_TICKS_PER_ADVANCE, the safety cap) */
  maxTicks?: number | undefined;
  /** Real milliseconds at most, checked between ticks; the first tick always runs, so every call makes progress. @default no limit */
  maxWallMs?: number | undefined;
}

/**
 * What an advance of virtual time did. It never skips work: either every
 * tick due up to `target` ran and the clock is at `target` (`finished`), or
 * it stopped at the last instant it processed and says why. Call it again
 * with the same target to go on.
 */
export interface AdvanceResult {
  /** The reports of the ticks that ran, in the order they ran. */
  reports: ScannerTickReport[];
  /** Where the clock now stands: `target` when finished, otherwise the time of the last tick that ran (or where the advance started, if none did). */
  reachedAt: number;
  /** Where the advance was asked to go. */
  target: number;
  /** True when every tick due up to and including `target` ran. */
  finished: boolean;
  /** Scanner ticks that ran. */
  ticks: number;
  /** Why it stopped short: the tick budget (the caller's `maxTicks` or the safety cap) or `maxWallMs`; null when finished. */
  stoppedBy: 'maxTicks' | 'maxWallMs' | null;
}

/**
 * Safety valve for one advance: a scheduler that keeps finding work (a
 * dispatch that fails every retry, say) would otherwise spin for as long as
 * the advance covers. Far above any real workload, since idle ticks and idle
 * budgets cost nothing. Hitting it is reported (`finished: false`), never
 * hidden: the clock stays where the work stopped.
 */
export const MAX_TICKS_PER_ADVANCE = 1_000_000;

export class RealClock implements Clock {
  readonly kind = 'real' as const;
  now(): number {
    return Date.now();
  }
}

export interface ManualClockOptions {
  /** Real time in milliseconds, for `maxWallMs`. @default performance.now */
  wallNow?: () => number;
}

export class ManualClock implements Clock {
  readonly kind = 'manual' as const;
  private current: number;
  private scheduler: VirtualScheduler | undefined;
  private readonly wallNow: () => number;
  private readonly moveListeners = new Set<(now: number) => void>();

  /**
   * @param startMs first reading. @default the current wall time, so virtual
   * time starts where the page's (or the test's) `Date.now()` is; pass a
   * fixed instant for reproducible runs.
   */
  constructor(startMs = Date.now(), options: ManualClockOptions = {}) {
    this.current = startMs;
    this.wallNow = options.wallNow ?? (() => performance.now());
  }

  now(): number {
    return this.current;
  }

  /**
   * Called after every advance that moved the clock (what ends a wait on
   * virtual time, such as tailStream's `blockMs`). Returns the unsubscribe.
   */
  onMove(listener: (now: number) => void): () => void {
    this.moveListeners.add(listener);
    return () => this.moveListeners.delete(listener);
  }

  /** Connect the scanners this clock drives (done by the engine). */
  attach(scheduler: VirtualScheduler | undefined): void {
    this.scheduler = scheduler;
  }

  /** Move forward by `ms` (≥ 0), running every scanner tick that falls due on the way (see advanceTo). */
  advance(ms: number, limits: AdvanceLimits = {}): AdvanceResult {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advance(ms): ms must be a finite number ≥ 0, got ${ms}`);
    return this.advanceTo(this.current + ms, limits);
  }

  /**
   * Jump to `t` (time never goes backwards), running every scanner tick due
   * up to and including `t`, in timestamp order, each with the clock set to
   * its own time. Stopped short by `limits` or the safety cap, the clock
   * stays at the last tick that ran and the result says `finished: false`.
   */
  advanceTo(t: number, limits: AdvanceLimits = {}): AdvanceResult {
    if (!Number.isFinite(t) || t < this.current) {
      throw new RangeError(`advanceTo(t): t must be a finite time ≥ the current time ${this.current}, got ${t}`);
    }
    const from = this.current;
    const maxTicks = limits.maxTicks ?? MAX_TICKS_PER_ADVANCE;
    const deadline = limits.maxWallMs === undefined ? Number.POSITIVE_INFINITY : this.wallNow() + limits.maxWallMs;
    const reports: ScannerTickReport[] = [];
    let ticks = 0;
    let stoppedBy: AdvanceResult['stoppedBy'] = null;
    while (this.scheduler) {
      const due = this.scheduler.nextDue();
      if (!due || due.at > t) break;
      if (ticks >= maxTicks) {
        stoppedBy = 'maxTicks';
        break;
      }
      if (ticks > 0 && deadline !== Number.POSITIVE_INFINITY && this.wallNow() >= deadline) {
        stoppedBy = 'maxWallMs';
        break;
      }
      this.current = Math.max(this.current, due.at);
      const report = this.scheduler.runDueTick(due);
      ticks++;
      if (report) reports.push(report);
    }
    // Only a finished advance may move past the work: time with a tick still due never passes by unprocessed.
    if (stoppedBy === null) this.current = t;
    if (this.current !== from) for (const listener of [...this.moveListeners]) listener(this.current);
    return { reports, reachedAt: this.current, target: t, finished: stoppedBy === null, ticks, stoppedBy };
  }

  /** Run every tick due now, without moving the clock. */
  runDue(limits: AdvanceLimits = {}): AdvanceResult {
    return this.advanceTo(this.current, limits);
  }

  /** The next tick that would do work, and its scanner (e.g. to jump to the next budget reset). */
  nextDue(scanner?: string): { at: number; scanner: string } | null {
    return this.scheduler?.nextDue(scanner) ?? null;
  }
}
