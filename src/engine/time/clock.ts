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

/**
 * Safety valve for one advance: a scheduler that keeps finding work at the
 * same instant would otherwise spin forever. Far above any real workload
 * (30 virtual days of daily resets is 30 ticks).
 */
const MAX_TICKS_PER_ADVANCE = 1_000_000;

export class RealClock implements Clock {
  readonly kind = 'real' as const;
  now(): number {
    return Date.now();
  }
}

export class ManualClock implements Clock {
  readonly kind = 'manual' as const;
  private current: number;
  private scheduler: VirtualScheduler | undefined;

  /** @param startMs first reading. @default 1_700_000_000_000 (a fixed, readable instant) */
  constructor(startMs = 1_700_000_000_000) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  /** Connect the scanners this clock drives (done by the engine). */
  attach(scheduler: VirtualScheduler | undefined): void {
    this.scheduler = scheduler;
  }

  /** Move forward by `ms` (≥ 0), running every scanner tick that falls due on the way. */
  advance(ms: number): ScannerTickReport[] {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advance(ms): ms must be a finite number ≥ 0, got ${ms}`);
    return this.advanceTo(this.current + ms);
  }

  /**
   * Jump to `t` (time never goes backwards), running every scanner tick due
   * up to and including `t`, in timestamp order, each with the clock set to
   * its own time.
   */
  advanceTo(t: number): ScannerTickReport[] {
    if (!Number.isFinite(t) || t < this.current) {
      throw new RangeError(`advanceTo(t): t must be a finite time ≥ the current time ${this.current}, got ${t}`);
    }
    const reports: ScannerTickReport[] = [];
    for (let i = 0; this.scheduler && i < MAX_TICKS_PER_ADVANCE; i++) {
      const due = this.scheduler.nextDue();
      if (!due || due.at > t) break;
      this.current = Math.max(this.current, due.at);
      const report = this.scheduler.runDueTick(due);
      if (report) reports.push(report);
    }
    this.current = t;
    return reports;
  }

  /** Run every tick due now, without moving the clock. */
  runDue(): ScannerTickReport[] {
    return this.advanceTo(this.current);
  }

  /** The next tick that would do work, and its scanner (e.g. to jump to the next budget reset). */
  nextDue(scanner?: string): { at: number; scanner: string } | null {
    return this.scheduler?.nextDue(scanner) ?? null;
  }
}
