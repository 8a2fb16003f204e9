/**
 * A subscription that outlives the session it was made on (worker:
 * 'leader', where the engine moves to another tab's worker when its tab
 * goes). It remembers the cursor of the last event it delivered on each
 * channel, and attaches to each new session from there: the event hub
 * catches up from those cursors, so the subscriber sees no gap and no
 * duplicate across the handoff.
 *
 * - Outbox channels (completion, lease, budget, signal) start from an explicit
 *   cursor even when the caller gave none: the head at subscribe time, read
 *   first. That is what "from now" means, written down, so a resume after a
 *   handoff knows where "now" was.
 * - A resume point past the new engine's head means the engine lost events
 *   this subscriber saw (a crash before they were saved; only possible for
 *   the leader tab's own subscribers, as a follower only sees saved state):
 *   it resumes from the head instead of skipping the next events.
 * - Scanner reports live in the worker's memory: on a new worker the
 *   subscription replays that worker's whole ring, all of which is newer.
 *
 * Deliveries from a session it has left behind are dropped; the new session
 * redelivers them from the cursor.
 */
import type { OutboxChannel } from '../api/events.js';
import { BACKEND_CHANNELS, type BackendChannel, type BackendEvent, type SubscribeOptions } from '../worker/protocol.js';
import type { BrowserBackend, Subscription } from './browser-backend.js';

/** A scanner cursor of no worker (its epoch never matches): resume at the oldest report a new worker kept. */
const SCANNER_FROM_START = 'scanner:0:0';

export class ResumableSubscription {
  /** Resume point per channel: the last delivered event's cursor, or where the subscription started. */
  private readonly cursors = new Map<BackendChannel, string>();
  private readonly channels: BackendChannel[];
  private readonly filter: SubscribeOptions['filter'];
  /** Bumped on every attach: deliveries of an earlier session are dropped. */
  private generation = 0;
  private attached: Subscription | undefined;
  private active = true;

  constructor(
    options: SubscribeOptions,
    private readonly callback: (event: BackendEvent) => void,
  ) {
    this.channels = [...(options.channels ?? BACKEND_CHANNELS)];
    this.filter = options.filter;
    for (const cursor of options.from ?? []) this.cursors.set(channelOf(cursor), cursor);
  }

  get isActive(): boolean {
    return this.active;
  }

  /** The first session: outbox channels without a cursor start at the current head. */
  async start(backend: BrowserBackend): Promise<Subscription> {
    const outbox = this.channels.filter((c): c is OutboxChannel => c !== 'scanner' && !this.cursors.has(c));
    const heads = await Promise.all(outbox.map((channel) => head(backend, channel)));
    outbox.forEach((channel, i) => this.cursors.set(channel, `${channel}:${heads[i]!}`));
    return this.attach(backend);
  }

  /** A later session: resume from the cursors; `newWorker` when the engine is not the one the last session reached. */
  async resume(backend: BrowserBackend, newWorker: boolean): Promise<void> {
    // Whatever the old session still delivers is redelivered by this one, from the cursors as they are now.
    this.generation++;
    this.attached = undefined;
    const outbox = this.channels.filter((c): c is OutboxChannel => c !== 'scanner' && this.cursors.has(c));
    const heads = await Promise.all(outbox.map((channel) => head(backend, channel)));
    outbox.forEach((channel, i) => {
      if (eventIdOf(this.cursors.get(channel)!) > heads[i]!) this.cursors.set(channel, `${channel}:${heads[i]!}`);
    });
    if (newWorker && this.channels.includes('scanner')) this.cursors.set('scanner', SCANNER_FROM_START);
    await this.attach(backend);
  }

  /** Stop delivery at once; tell the session's worker if it is still there. */
  async unsubscribe(): Promise<void> {
    if (!this.active) return;
    this.active = false;
    const attached = this.attached;
    this.attached = undefined;
    await attached?.unsubscribe().catch(() => {});
  }

  private async attach(backend: BrowserBackend): Promise<Subscription> {
    const generation = ++this.generation;
    const live = (): boolean => this.active && this.generation === generation;
    // The catch-up arrives before subscribe() resolves: the filter is in place first.
    const sub = await backend.subscribe({ channels: this.channels, from: [...this.cursors.values()], ...(this.filter ? { filter: this.filter } : {}) }, (event) => {
      if (!live()) return;
      this.cursors.set(channelOf(event.cursor), event.cursor);
      // A throw is reported by the session's delivery loop, like any subscriber's, and delivery goes on.
      this.callback(event);
    });
    if (live()) this.attached = sub;
    else void sub.unsubscribe().catch(() => {});
    return sub;
  }
}

async function head(backend: BrowserBackend, channel: OutboxChannel): Promise<number> {
  return (await backend.readEvents({ channel, afterEventId: Number.MAX_SAFE_INTEGER, limit: 1 })).lastEventId;
}

function channelOf(cursor: string): BackendChannel {
  return String(cursor).split(':')[0] as BackendChannel;
}

function eventIdOf(cursor: string): number {
  const id = Number(String(cursor).split(':')[1]);
  return Number.isSafeInteger(id) ? id : 0;
}
