/**
 * Delivery of outbox events to subscribers, shared by the in-process
 * engine's `subscribe<Channel>` methods and the worker's event hub (which
 * adds scanner reports and page connections on top).
 *
 * Each subscription has a cursor per channel. After a commit that wrote
 * outbox rows, the pending channels are drained once the current call
 * returns (a microtask, so a burst of commits is one delivery): every
 * interested subscription reads its rows past its cursor and gets them in
 * one batch, the cursor advancing in the same synchronous step. Delivery is
 * therefore in order, after the commit, with no gap and no duplicate; a
 * subscription that resumes from a cursor gets the catch-up synchronously
 * when it opens, then live events.
 *
 * Filtered events advance the cursor without being delivered. A cursor
 * below what retention deleted is refused with `state.cursor_expired`
 * (details say where to resume), never resumed with a silent gap; a live
 * subscription cannot expire because the trimmer has pending events
 * delivered first (Engine.onBeforeTrim).
 */
import { EngineError, errors } from '../../api/errors.js';
import { MAX_READ_EVENTS, OUTBOX_CHANNELS, type OutboxChannel, type ReadEventsInput, type ReadEventsResult } from '../../api/events.js';
import { matchesFilter, type DeliveredEvent, type EventFilter } from '../../api/subscriptions.js';
import type { CommittedEvent } from '../core/context.js';

/** What delivery needs from an engine (the hub's engine is replaced on import/reset, hence a getter). */
export interface OutboxSource {
  readEvents(input: ReadEventsInput): ReadEventsResult;
  onBeforeTrim(listener: () => void): () => void;
}

export interface OutboxSubscription {
  readonly id: number;
  /** Last event id passed (delivered or filtered out) per channel. */
  readonly cursors: Map<OutboxChannel, number>;
  readonly filter: EventFilter | undefined;
  readonly deliver: (events: DeliveredEvent[]) => void;
  /** Set by close(): a callback that unsubscribes stops the rest of the current batch. */
  closed: boolean;
}

const OUTBOX = new Set<string>(OUTBOX_CHANNELS);
const OUTBOX_CURSOR = new RegExp(`^(${OUTBOX_CHANNELS.join('|')}):(\\d+)$`);

export class OutboxDelivery {
  private readonly subs = new Map<number, OutboxSubscription>();
  private nextId = 1;
  private readonly dirty = new Set<OutboxChannel>();
  private flushQueued = false;
  /** The source whose trimmer calls deliverDirty first. */
  private trimHooked: OutboxSource | undefined;
  private readonly deliverPending = (): void => this.deliverDirty();

  constructor(
    private readonly source: () => OutboxSource,
    private readonly onError: (err: unknown) => void = (err) => console.warn('[ff-backend-browser] event delivery failed:', err),
  ) {}

  get size(): number {
    return this.subs.size;
  }

  /**
   * Open a subscription: resolve each `from` cursor (refusing an expired
   * one before anything is delivered), deliver the catch-up, then register
   * for live events, all in one synchronous step so no commit slips between.
   */
  open(channels: Iterable<OutboxChannel>, from: ReadonlyMap<OutboxChannel, string>, filter: EventFilter | undefined, deliver: OutboxSubscription['deliver']): OutboxSubscription {
    const cursors = new Map<OutboxChannel, number>();
    for (const channel of channels) {
      const cursor = from.get(channel);
      cursors.set(channel, cursor === undefined ? this.head(channel) : this.retainedCursor(channel, cursor));
    }
    const sub: OutboxSubscription = { id: this.nextId++, cursors, filter, deliver, closed: false };
    for (const channel of cursors.keys()) this.drain(sub, channel);
    if (!sub.closed) this.subs.set(sub.id, sub);
    return sub;
  }

  /** Stop delivery; false when it was already closed. */
  close(sub: OutboxSubscription): boolean {
    sub.closed = true;
    return this.subs.delete(sub.id);
  }

  onCommit(events: readonly CommittedEvent[]): void {
    if (this.subs.size === 0) return;
    for (const e of events) if (OUTBOX.has(e.channel)) this.dirty.add(e.channel as OutboxChannel);
    if (this.dirty.size > 0 && !this.flushQueued) {
      this.flushQueued = true;
      this.hookTrimmer();
      queueMicrotask(() => this.deliverDirty());
    }
  }

  /** After the database was replaced: continue every subscription from the new database's newest events. */
  rebase(): void {
    for (const sub of this.subs.values()) for (const channel of sub.cursors.keys()) sub.cursors.set(channel, this.head(channel));
  }

  /** Deliver what commits left pending (also run by the trimmer before it deletes). */
  deliverDirty(): void {
    this.flushQueued = false;
    const channels = [...this.dirty];
    this.dirty.clear();
    try {
      for (const sub of [...this.subs.values()]) for (const channel of channels) if (sub.cursors.has(channel)) this.drain(sub, channel);
    } catch (err) {
      // Runs in a microtask, where a throw would be an uncaught error; a closed engine is no news.
      if (!(err instanceof EngineError && err.code === 'closed')) this.onError(err);
    }
  }

  /** Pass every event of `channel` after the subscription's cursor, in pages, delivering those its filter keeps. */
  private drain(sub: OutboxSubscription, channel: OutboxChannel): void {
    for (;;) {
      // A subscriber's callback may unsubscribe: nothing more reaches it.
      if (sub.closed) return;
      const after = sub.cursors.get(channel)!;
      const { events } = this.source().readEvents({ channel, afterEventId: after, limit: MAX_READ_EVENTS });
      if (events.length === 0) return;
      sub.cursors.set(channel, events[events.length - 1]!.eventId);
      const kept = events.filter((e) => matchesFilter(e, sub.filter)).map((e) => ({ ...e, cursor: `${channel}:${e.eventId}` }));
      if (kept.length > 0) sub.deliver(kept);
      if (events.length < MAX_READ_EVENTS) return;
    }
  }

  private hookTrimmer(): void {
    const source = this.source();
    if (this.trimHooked === source) return;
    this.trimHooked = source;
    source.onBeforeTrim(this.deliverPending);
  }

  /** The event id a `from` cursor resumes after; a typed refusal when retention deleted events after it. */
  private retainedCursor(channel: OutboxChannel, cursor: string): number {
    const after = parseOutboxCursor(cursor).eventId;
    const { cursorExpired } = this.source().readEvents({ channel, afterEventId: after, limit: 1 });
    if (cursorExpired === null) return after;
    const resumeCursor = `${channel}:${cursorExpired.trimmedThroughEventId}`;
    throw new EngineError(
      'state.cursor_expired',
      `cursor '${cursor}' is older than the retained ${channel} events: resume from '${resumeCursor}', and re-read what you derive from them`,
      { channel, cursor, ...cursorExpired, resumeCursor },
    );
  }

  private head(channel: OutboxChannel): number {
    return this.source().readEvents({ channel, afterEventId: Number.MAX_SAFE_INTEGER, limit: 1 }).lastEventId;
  }
}

/** `<channel>:<eventId>` as delivered with an event; a typed refusal for anything else. */
export function parseOutboxCursor(cursor: string): { channel: OutboxChannel; eventId: number } {
  const match = OUTBOX_CURSOR.exec(cursor);
  if (!match || !Number.isSafeInteger(Number(match[2]))) {
    throw errors.invalid('from', `not a cursor: '${cursor}' (expected '<channel>:<eventId>' as delivered with an event)`);
  }
  return { channel: match[1] as OutboxChannel, eventId: Number(match[2]) };
}
