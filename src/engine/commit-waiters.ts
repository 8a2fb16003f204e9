/**
 * What a `wait` operation (tailStream) waits on: the next commit, or the
 * engine clock reaching a deadline, whichever comes first. A ManualClock
 * wakes waiters when an advance moves it, so a wait ends when virtual time
 * passes its deadline and never on the wall clock; a real clock sets a timer.
 *
 * A waiter only learns that something happened: the operation looks again
 * (one indexed read) and decides whether to return or to wait once more.
 * Every commit wakes every waiter, so a wait also sees changes that wrote no
 * event of its own channel (the attempt ending, which closes a stream). With
 * no waiter, a commit costs one empty-set check.
 */
import { EngineError } from '../api/errors.js';
import type { WallTimer } from '../worker-runtime/worker-runtime-timer.js';
import { ManualClock, type Clock } from './time/clock.js';

interface Waiter {
  until: number;
  wake(): void;
  fail(error: Error): void;
  timer: unknown;
}

export class CommitWaiters {
  private readonly waiting = new Set<Waiter>();
  private closed = false;
  private readonly detach: () => void;

  constructor(
    private readonly clock: Clock,
    private readonly timer: WallTimer,
  ) {
    this.detach = clock instanceof ManualClock ? clock.onMove(() => this.timeMoved()) : () => {};
  }

  get size(): number {
    return this.waiting.size;
  }

  /** Resolves at the next commit, or once the engine clock reaches `until`; rejects with `closed` when the engine closes. */
  next(until: number): Promise<void> {
    if (this.closed) return Promise.reject(closedError());
    if (this.clock.now() >= until) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        until,
        timer: undefined,
        wake: () => this.settle(waiter, resolve),
        fail: (error) => this.settle(waiter, () => reject(error)),
      };
      this.waiting.add(waiter);
      // A real clock passes the deadline by itself; a ManualClock tells us when it moves.
      if (!(this.clock instanceof ManualClock)) waiter.timer = this.timer.setTimeout(() => waiter.wake(), Math.max(0, until - this.clock.now()));
    });
  }

  /** After every commit. */
  committed(): void {
    for (const waiter of [...this.waiting]) waiter.wake();
  }

  /** The engine closed: every wait ends with `closed`. */
  close(): void {
    this.closed = true;
    this.detach();
    for (const waiter of [...this.waiting]) waiter.fail(closedError());
  }

  private timeMoved(): void {
    const now = this.clock.now();
    for (const waiter of [...this.waiting]) if (now >= waiter.until) waiter.wake();
  }

  private settle(waiter: Waiter, done: () => void): void {
    if (!this.waiting.delete(waiter)) return;
    if (waiter.timer !== undefined) this.timer.clearTimeout(waiter.timer);
    done();
  }
}

function closedError(): EngineError {
  return new EngineError('closed', 'the engine closed while a call was waiting', {});
}
