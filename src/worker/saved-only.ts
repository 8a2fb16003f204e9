/**
 * What a follower tab sees is saved. Under worker: 'leader' the engine runs
 * in the leader tab's dedicated Worker, which dies with that tab: a save
 * started on `pagehide` is cut off (in Chromium, closing a tab ended the
 * worker before its IndexedDB write committed, every time we tried). So a
 * follower's connection answers only once everything it could have seen is
 * in IndexedDB: a call's result waits for a save covering the commits made
 * up to its reply, and so does every event delivery. A write a follower saw
 * succeed, or an event it received, survives the leader tab closing or
 * crashing, and the next leader starts from an image that has it.
 *
 * Nothing waits when nothing is unsaved (reads of a quiet database, now()).
 * Concurrent waits share saves: the persist scheduler runs one at a time and
 * a flush that finds the image current returns at once. A failed save does
 * not hold replies back forever: it is in status().lastError, as for any save.
 * With persistence 'memory' nothing outlives the worker, so nothing waits.
 *
 * The leader tab's own calls do not wait (that is the point of running the
 * engine in its tab), but while another tab is connected, and would take
 * over from the saved image, its writes are saved right after each batch
 * instead of after the debounce (saveSoonWhenShared).
 */
import * as Comlink from 'comlink';
import type { BackendService } from './backend-service.js';
import type { BackendEvent, EventSink } from './protocol.js';

/** After a batch on the leader tab's own connection: save now, without waiting, if another tab depends on the saved image. */
export function saveSoonWhenShared(service: BackendService | undefined): void {
  if (!service || service.config.persistence === 'memory') return;
  const { connections, sequence, persistedSequence } = service.status();
  if (connections > 1 && persistedSequence < sequence) service.saveInBackground();
}

export class SavedOnly {
  constructor(private readonly service: () => BackendService | undefined) {}

  /** Resolves once every commit made so far is saved. */
  saved(): Promise<void> | undefined {
    const service = this.service();
    if (!service || service.config.persistence === 'memory') return undefined;
    const { sequence, persistedSequence } = service.status();
    if (persistedSequence >= sequence) return undefined;
    return service.flush('relaxed').then(
      () => {},
      () => {},
    );
  }

  /** `value` once everything committed up to now is saved. */
  after<T>(value: T | Promise<T>): T | Promise<T> {
    if (value instanceof Promise) return value.then((v) => this.after(v));
    const saved = this.saved();
    return saved ? saved.then(() => value) : value;
  }

  /** A sink that forwards each delivery once it is saved, in order; releasing it releases the page's proxy. */
  sink(target: EventSink): EventSink {
    const queue: BackendEvent[][] = [];
    let draining = false;
    const drain = async (): Promise<void> => {
      draining = true;
      try {
        while (queue.length > 0) {
          // Taken before the save starts, so the save covers every commit these deliveries came from.
          const batch = queue.splice(0);
          await this.saved();
          for (const events of batch) void Promise.resolve(target.deliver(events)).catch(() => {});
        }
      } finally {
        draining = false;
      }
    };
    return {
      deliver(events: BackendEvent[]) {
        queue.push(events);
        if (!draining) void drain();
      },
      // The event hub releases a subscription's sink with Comlink.releaseProxy: pass it on to the page's proxy.
      [Comlink.releaseProxy]() {
        (target as { [Comlink.releaseProxy]?: () => void })[Comlink.releaseProxy]?.();
      },
    } as EventSink;
  }
}
