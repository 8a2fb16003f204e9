/**
 * The page's one event feed. On start it shows the newest events of each
 * outbox, then subscribes from exactly there (the per-channel cursors), so
 * nothing is missed and nothing is shown twice; every delivered event is
 * also handed to `store.emitEvent` for the other panels. "Load more" pages
 * older events through `readEvents` cursors, per outbox.
 *
 * Items are ordered by engine time, not arrival. Because each outbox is
 * paged on its own, the feed keeps a horizon: the newest of the oldest
 * loaded times of the outboxes that still have older events. Above it every
 * event is loaded, so only items above it are shown and the order has no
 * holes; each "load more" moves it back.
 */
import type { OutboxChannel } from '../../api/events.js';
import type { BackendChannel, BackendEvent } from '../../worker/protocol.js';
import type { DevtoolsStore } from '../store.js';
import { describeEvent, type TimelineItem } from './timeline-item.js';

export const OUTBOXES: readonly OutboxChannel[] = ['completion', 'lease', 'budget', 'operator', 'signal', 'stream'];
export const CHANNELS: readonly BackendChannel[] = [...OUTBOXES, 'scanner'];
/** Events of each outbox read at start and per "load more". */
export const PAGE = 50;
/** Longest an event waits before the panels re-read (UI time). */
const INVALIDATE_MS = 50;
/** Most items kept; the oldest go first (they can be loaded again). */
const KEPT = 5_000;

interface OutboxPosition {
  /** Lowest event id loaded (older ones are read from below it); null before the first read. */
  oldestId: number | null;
  oldestAt: number;
  /** Nothing older is left (or retention took it). */
  exhausted: boolean;
}

export class TimelineFeed {
  private items = new Map<string, TimelineItem>();
  private sorted: TimelineItem[] | null = [];
  readonly cursors = new Map<BackendChannel, string>();
  private readonly positions = new Map<OutboxChannel, OutboxPosition>();
  private readonly listeners = new Set<() => void>();
  private unsubscribe: (() => void) | null = null;
  private stopped = false;
  private invalidating = false;
  loading = false;

  constructor(private readonly store: DevtoolsStore) {}

  async start(): Promise<void> {
    await this.backfill();
    const from = OUTBOXES.map((c) => this.cursors.get(c)).filter((c): c is string => c !== undefined);
    const sub = await this.store.backend.subscribe({ channels: [...CHANNELS], from }, (e) => this.onEvent(e));
    if (this.stopped) void sub.unsubscribe();
    else this.unsubscribe = () => void sub.unsubscribe().catch(() => {});
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
    this.listeners.clear();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Newest first: (time, then cursor) descending. */
  all(): TimelineItem[] {
    this.sorted ??= [...this.items.values()].sort((a, b) => b.at - a.at || (a.key < b.key ? 1 : -1));
    return this.sorted;
  }

  /** Items at or after this time are complete for the given outboxes; null when everything is loaded. */
  horizon(channels: readonly BackendChannel[] = CHANNELS): number | null {
    let h: number | null = null;
    for (const c of OUTBOXES) {
      const p = this.positions.get(c);
      if (!channels.includes(c) || !p || p.exhausted) continue;
      h = h === null ? p.oldestAt : Math.max(h, p.oldestAt);
    }
    return h;
  }

  /** Whether any of these outboxes has older events to load. */
  hasMore(channels: readonly BackendChannel[] = CHANNELS): boolean {
    return OUTBOXES.some((c) => channels.includes(c) && this.positions.get(c)?.exhausted === false);
  }

  /** Read the page of events before the oldest loaded one, of each selected outbox that has more. */
  async loadMore(channels: readonly BackendChannel[] = CHANNELS): Promise<void> {
    if (this.loading) return;
    this.loading = true;
    this.changed();
    try {
      const horizon = this.horizon(channels);
      // Only the outboxes at the horizon hold it back; the others already reach further.
      const behind = OUTBOXES.filter((c) => channels.includes(c) && this.positions.get(c)?.exhausted === false && this.positions.get(c)!.oldestAt >= (horizon ?? 0));
      await Promise.all(behind.map((c) => this.readBefore(c)));
    } finally {
      this.loading = false;
      this.changed();
    }
  }

  /** After reset or import: forget everything and read the heads again (the subscription carries on). */
  async restart(): Promise<void> {
    this.items.clear();
    this.sorted = null;
    this.positions.clear();
    // Live subscriptions move to the new database's newest events; the cursors shown follow from the heads.
    this.cursors.clear();
    this.changed();
    await this.backfill();
  }

  private async backfill(): Promise<void> {
    const backend = this.store.backend;
    await Promise.all(
      OUTBOXES.map(async (channel) => {
        const head = (await backend.readEvents({ channel, afterEventId: 0, limit: 1 })).lastEventId;
        this.positions.set(channel, { oldestId: head + 1, oldestAt: Number.POSITIVE_INFINITY, exhausted: head === 0 });
        if (!this.cursors.has(channel)) this.cursors.set(channel, `${channel}:${head}`);
        if (head > 0) await this.readBefore(channel);
      }),
    );
    this.changed();
  }

  private async readBefore(channel: OutboxChannel): Promise<void> {
    const p = this.positions.get(channel);
    if (!p || p.oldestId === null || p.exhausted) return;
    const after = Math.max(0, p.oldestId - 1 - PAGE);
    const { events, cursorExpired } = await this.store.backend.readEvents({ channel, afterEventId: after, limit: PAGE });
    const older = events.filter((e) => e.eventId < p.oldestId!);
    for (const e of older) this.add({ ...e, cursor: `${channel}:${e.eventId}` } as BackendEvent);
    const first = older[0];
    if (first) {
      p.oldestId = first.eventId;
      p.oldestAt = first.occurredAtMs;
    }
    // Below `after` there is nothing, or retention deleted it.
    if (after === 0 || cursorExpired !== null || older.length === 0) {
      p.exhausted = true;
    }
  }

  private onEvent(event: BackendEvent): void {
    this.cursors.set(event.channel, event.cursor);
    this.add(event);
    this.trim();
    this.store.emitEvent(event);
    this.invalidateSoon();
    this.changed();
  }

  /** Panels re-read soon after events, but a burst of events costs one refresh per INVALIDATE_MS, not one each. */
  private invalidateSoon(): void {
    if (this.invalidating) return;
    this.invalidating = true;
    setTimeout(() => {
      this.invalidating = false;
      this.store.invalidate();
    }, INVALIDATE_MS);
  }

  private add(event: BackendEvent): void {
    // A scanner tick that did nothing is noise.
    if (event.channel === 'scanner' && event.report.processed === 0 && event.report.errors === 0) return;
    const item = describeEvent(event);
    if (this.items.has(item.key)) return;
    this.items.set(item.key, item);
    this.sorted = null;
  }

  /** Drop the oldest items past KEPT; their outboxes can page them in again. */
  private trim(): void {
    if (this.items.size <= KEPT) return;
    const keep = this.all().slice(0, KEPT);
    const droppedFrom = new Set(this.all().slice(KEPT).map((i) => i.channel));
    this.items = new Map(keep.map((i) => [i.key, i]));
    this.sorted = keep;
    for (const [channel, p] of this.positions) {
      if (!droppedFrom.has(channel)) continue;
      const kept = keep.filter((i) => i.channel === channel);
      const oldest = kept.reduce<TimelineItem | undefined>((o, i) => (o === undefined || i.eventId < o.eventId ? i : o), undefined);
      if (!oldest) continue;
      p.oldestId = oldest.eventId;
      p.oldestAt = oldest.at;
      p.exhausted = false;
    }
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }
}

const feeds = new WeakMap<DevtoolsStore, TimelineFeed>();

/** The store's feed (one per store: every timeline view shares it). */
export function timelineFeed(store: DevtoolsStore): TimelineFeed {
  let feed = feeds.get(store);
  if (!feed) {
    feed = new TimelineFeed(store);
    feeds.set(store, feed);
  }
  return feed;
}

/** Start the store's feed (the shell does, so events flow on every view); returns its stop. */
export function startTimelineFeed(store: DevtoolsStore): () => void {
  const feed = timelineFeed(store);
  const offReplaced = store.onDatabaseReplaced(() => void feed.restart().catch((err: unknown) => store.notify(err, 'Reloading the timeline')));
  feed.start().catch((err: unknown) => store.notify(err, 'Subscribing to events'));
  return () => {
    offReplaced();
    feed.stop();
  };
}
