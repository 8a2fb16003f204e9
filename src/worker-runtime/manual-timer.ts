/**
 * A Timer that fires only when told, for deterministic tests:
 * `advance(ms)` runs every callback that falls due, in due order (ties in
 * scheduling order), including callbacks scheduled by earlier ones within
 * the same advance. It is separate from the engine's ManualClock on purpose:
 * a test can move engine time (lease expiry, backoff) without letting the
 * runtime renew or the worker save, or the reverse.
 */
import type { TimerId, WallTimer } from './worker-runtime-timer.js';

interface PendingTimer {
  id: number;
  at: number;
  callback: () => void;
}

export class ManualTimer implements WallTimer {
  private current = 0;
  private nextId = 1;
  private readonly timers = new Map<number, PendingTimer>();

  /** Virtual milliseconds elapsed since construction. */
  now(): number {
    return this.current;
  }

  /** How many callbacks are waiting. */
  get pending(): number {
    return this.timers.size;
  }

  setTimeout(callback: () => void, ms: number): TimerId {
    const id = this.nextId++;
    this.timers.set(id, { id, at: this.current + Math.max(0, ms), callback });
    return id;
  }

  clearTimeout(id: TimerId): void {
    if (typeof id === 'number') this.timers.delete(id);
  }

  /** Move forward by `ms` (≥ 0), firing every callback due on the way; returns how many fired. */
  advance(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advance(ms): ms must be a finite number ≥ 0, got ${ms}`);
    const target = this.current + ms;
    let fired = 0;
    for (let next = this.earliest(); next && next.at <= target; next = this.earliest()) {
      this.timers.delete(next.id);
      this.current = next.at;
      next.callback();
      fired++;
    }
    this.current = target;
    return fired;
  }

  private earliest(): PendingTimer | undefined {
    let best: PendingTimer | undefined;
    for (const timer of this.timers.values()) {
      if (!best || timer.at < best.at || (timer.at === best.at && timer.id < best.id)) best = timer;
    }
    return best;
  }
}
