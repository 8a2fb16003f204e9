/**
 * How the claim loop waits without spinning: until a timeout, or until
 * something wakes it (a job finished and freed a slot, or stop() was
 * called). A wake that arrives while nobody is waiting is remembered, so
 * the next wait returns at once instead of missing it.
 */
import type { TimerId, WorkerRuntimeTimer } from './worker-runtime-timer.js';

export class Wakeup {
  private waiter: (() => void) | undefined;
  private woken = false;

  constructor(private readonly timer: WorkerRuntimeTimer) {}

  /** Resolve after `ms`, or on the next wake(); without `ms`, only on wake(). */
  wait(ms?: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      let id: TimerId | undefined;
      this.waiter = () => {
        if (id !== undefined) this.timer.clearTimeout(id);
        this.waiter = undefined;
        resolve();
      };
      if (ms !== undefined) id = this.timer.setTimeout(() => this.waiter?.(), ms);
    });
  }

  wake(): void {
    if (this.waiter) this.waiter();
    else this.woken = true;
  }
}
