/**
 * Time is injected: the engine and the scanners read it only from a Clock.
 * `RealClock` follows the wall clock; `ManualClock` moves only when told,
 * which makes retries, leases and budget resets testable in microseconds.
 */
export interface Clock {
  /** Unix milliseconds. */
  now(): number;
}

export class RealClock implements Clock {
  readonly kind = 'real' as const;
  now(): number {
    return Date.now();
  }
}

export class ManualClock implements Clock {
  readonly kind = 'manual' as const;
  private current: number;

  /** @param startMs first reading. @default 1_700_000_000_000 (a fixed, readable instant) */
  constructor(startMs = 1_700_000_000_000) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  /** Move forward by `ms` (≥ 0). */
  advance(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advance(ms): ms must be a finite number ≥ 0, got ${ms}`);
    this.current += ms;
    return this.current;
  }

  /** Jump to `t`; time never goes backwards. */
  advanceTo(t: number): number {
    if (!Number.isFinite(t) || t < this.current) {
      throw new RangeError(`advanceTo(t): t must be ≥ the current time ${this.current}, got ${t}`);
    }
    this.current = t;
    return this.current;
  }
}
