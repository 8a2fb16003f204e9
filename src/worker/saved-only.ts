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
 * over from the saved image, its writes are saved once they pause for
 * SHARED_SAVE_MS, without waiting for the debounce (saveSoonWhenShared).
 * Under a steady stream of writes the debounce still saves every
 * `persistDebounceMs`. Saving after every call, or every 50 ms of a stream,
 * took most of the worker's time instead: 16 callers in the leader tab fell
 * from 64-75 % to 29-37 % of in-worker throughput with a follower connected.
 */
import * as Comlink from 'comlink';
import { realTimer, type Timer, type TimerId } from '../worker-runtime/worker-runtime-timer.js';
import type { BackendService } from './backend-service.js';
import type { BackendEvent, EventSink } from './protocol.js';

/** While another tab is connected, the leader's own writes are saved once they pause this long. */
export const SHARED_SAVE_MS = 50;

const scheduled = new WeakMap<BackendService, TimerId>();

/** After a batch on the leader tab's own connection: if another tab depends on the saved image, save once writes pause (the reply does not wait). */
export function saveSoonWhenShared(service: BackendService | undefined, timer: Timer = realTimer): void {
  if (!service || service.config.persistence === 'memory') return;
  if (service.connectionCount <= 1 || !service.unsavedChanges) return;
  const previous = scheduled.get(service);
  if (previous !== undefined) timer.clearTimeout(previous);
  scheduled.set(
    service,
    timer.setTimeout(() => {
      scheduled.delete(service);
      service.saveInBackground();
    }, SHARED_SAVE_MS),
  );
}

export class SavedOnly {
  constructor(private readonly service: () => BackendService | undefined) {}

  /** Resolves once every commit made so far is saved. */
  saved(): Promise<void> | undefined {
    const service = this.service();
    if (!service || service.config.persistence === 'memory') return undefined;
    if (!service.unsavedChanges) return undefined;
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
