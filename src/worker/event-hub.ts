/**
 * Subscriptions, worker side. Each subscriber has a cursor per channel. After
 * a commit that wrote outbox rows, the hub reads each interested
 * subscriber's rows past its cursor and sends them in one batch, advancing
 * the cursor in the same synchronous step: delivery is in order, with no
 * gap and no duplicate, and a subscriber that resumes from a cursor first
 * gets the catch-up from the outbox, then live events.
 *
 * Scanner reports have no outbox: the hub keeps the newest SCANNER_RING_SIZE
 * in a ring, numbered by a sequence tagged with this worker's epoch. A
 * cursor older than the ring (or from an earlier worker) resumes at the
 * oldest kept report and counts the rest as lost.
 *
 * Cursors: `completion:<eventId>`, `lease:<eventId>`, `budget:<eventId>`,
 * `stream:<eventId>`, `scanner:<epoch>:<seq>`. Outbox cursors are stable within one database;
 * after importSnapshot()/reset() live subscriptions move to the new
 * database's newest event.
 *
 * Retention: an outbox cursor below what the retention trimmer has deleted
 * is refused with `state.cursor_expired` (its details name where to resume),
 * never resumed with a silent gap. Scanner reports are telemetry, so a
 * cursor older than the ring resumes and counts what it lost instead. A live
 * subscription cannot expire: before the trimmer deletes anything it has the
 * hub deliver what is pending (Engine.onBeforeTrim).
 */
import * as Comlink from 'comlink';
import { EngineError, errors } from '../api/errors.js';
import { MAX_READ_EVENTS, OUTBOX_CHANNELS, type OutboxChannel } from '../api/events.js';
import type { CommittedEvent } from '../engine/core/context.js';
import type { Engine } from '../engine/engine.js';
import type { ScannerReport } from '../scanners/scanner.js';
import { BACKEND_CHANNELS, type BackendChannel, type BackendEvent, type EventSink, type SubscribeOptions, type SubscriptionInfo } from './protocol.js';

/** Scanner reports kept for replay; at the default intervals, several minutes of history. */
export const SCANNER_RING_SIZE = 1000;

interface Subscription {
  id: number;
  owner: number;
  channels: Set<BackendChannel>;
  /** Last delivered event id per outbox channel. */
  cursors: Map<OutboxChannel, number>;
  /** Last delivered scanner sequence. */
  scannerSeq: number;
  sink: Comlink.Remote<EventSink> | EventSink;
}

const OUTBOX = new Set<string>(OUTBOX_CHANNELS);

export class EventHub {
  private readonly subs = new Map<number, Subscription>();
  private readonly ring: { seq: number; report: ScannerReport }[] = [];
  private scannerSeq = 0;
  private nextId = 1;
  private readonly dirty = new Set<OutboxChannel>();
  private flushQueued = false;
  /** Distinguishes scanner cursors of this worker from an earlier one's. */
  readonly epoch = Math.random().toString(36).slice(2, 10);
  /** The engine whose trimmer calls deliverDirty first (the engine is replaced on import/reset). */
  private trimHooked: Engine | undefined;
  private readonly deliverPending = (): void => this.deliverDirty();

  constructor(private readonly engine: () => Engine) {}

  get size(): number {
    return this.subs.size;
  }

  onCommit(events: readonly CommittedEvent[]): void {
    if (this.subs.size === 0) return;
    for (const e of events) if (OUTBOX.has(e.channel)) this.dirty.add(e.channel as OutboxChannel);
    // Deliver after the current operation returns, once per burst (a batch create, a scanner tick).
    if (this.dirty.size > 0 && !this.flushQueued) {
      this.flushQueued = true;
      this.hookTrimmer();
      queueMicrotask(() => this.deliverDirty());
    }
  }

  onScannerReport(report: ScannerReport): void {
    const seq = ++this.scannerSeq;
    this.ring.push({ seq, report });
    if (this.ring.length > SCANNER_RING_SIZE) this.ring.shift();
    for (const sub of this.subs.values()) {
      if (!sub.channels.has('scanner')) continue;
      sub.scannerSeq = seq;
      this.send(sub, [{ channel: 'scanner', report, cursor: this.scannerCursor(seq) }]);
    }
  }

  subscribe(owner: number, options: SubscribeOptions, sink: EventSink): SubscriptionInfo {
    const channels = new Set<BackendChannel>(options.channels ?? BACKEND_CHANNELS);
    for (const c of channels) if (!BACKEND_CHANNELS.includes(c)) throw errors.invalid('channels', `unknown channel '${String(c)}'`);
    const from = new Map<BackendChannel, string>();
    for (const cursor of options.from ?? []) {
      const channel = String(cursor).split(':')[0] as BackendChannel;
      if (!channels.has(channel)) throw errors.invalid('from', `cursor '${cursor}' is for a channel this subscription does not include`);
      from.set(channel, cursor);
    }
    const sub: Subscription = { id: this.nextId++, owner, channels, cursors: new Map(), scannerSeq: this.scannerSeq, sink };
    for (const channel of OUTBOX_CHANNELS) {
      if (!channels.has(channel)) continue;
      const cursor = from.get(channel);
      sub.cursors.set(channel, cursor === undefined ? this.head(channel) : this.retainedCursor(channel, cursor));
    }
    let lost = 0;
    const scannerFrom = from.get('scanner');
    if (scannerFrom !== undefined) ({ seq: sub.scannerSeq, lost } = this.resolveScannerCursor(scannerFrom));
    // Catch-up runs now, synchronously, so no commit can slip between it and live delivery.
    for (const channel of sub.cursors.keys()) this.drain(sub, channel);
    const backlog = this.ring.filter((r) => r.seq > sub.scannerSeq);
    if (channels.has('scanner') && backlog.length > 0) {
      sub.scannerSeq = backlog[backlog.length - 1]!.seq;
      this.send(sub, backlog.map((r) => ({ channel: 'scanner' as const, report: r.report, cursor: this.scannerCursor(r.seq) })));
    }
    this.subs.set(sub.id, sub);
    return { id: sub.id, scannerEventsLost: lost };
  }

  /** Stop delivery and release the page's callback proxy. Unknown ids (already gone) are fine. */
  unsubscribe(owner: number, id: number): boolean {
    const sub = this.subs.get(id);
    if (!sub || sub.owner !== owner) return false;
    this.subs.delete(id);
    release(sub.sink);
    return true;
  }

  /** Drop every subscription of a connection (it closed, or its tab vanished). */
  dropOwner(owner: number): void {
    for (const sub of [...this.subs.values()]) if (sub.owner === owner) this.unsubscribe(owner, sub.id);
  }

  /** After the database was replaced: continue every subscription from the new database's newest events. */
  rebase(): void {
    for (const sub of this.subs.values()) for (const channel of sub.cursors.keys()) sub.cursors.set(channel, this.head(channel));
  }

  private deliverDirty(): void {
    this.flushQueued = false;
    const channels = [...this.dirty];
    this.dirty.clear();
    try {
      for (const sub of this.subs.values()) for (const channel of channels) if (sub.cursors.has(channel)) this.drain(sub, channel);
    } catch (err) {
      // Runs in a microtask, where a throw would be an uncaught error; the engine was closed in between.
      if (!(err instanceof EngineError && err.code === 'closed')) console.warn('[ff-backend-browser] event delivery failed:', err);
    }
  }

  /** Send every event of `channel` past the subscriber's cursor, in pages, advancing the cursor. */
  private drain(sub: Subscription, channel: OutboxChannel): void {
    for (;;) {
      const after = sub.cursors.get(channel)!;
      const { events } = this.engine().readEvents({ channel, afterEventId: after, limit: MAX_READ_EVENTS });
      if (events.length === 0) return;
      sub.cursors.set(channel, events[events.length - 1]!.eventId);
      this.send(sub, events.map((e) => ({ ...e, cursor: `${channel}:${e.eventId}` })));
      if (events.length < MAX_READ_EVENTS) return;
    }
  }

  /** A long advance can run the trimmer before the microtask delivers: it delivers first instead. */
  private hookTrimmer(): void {
    const engine = this.engine();
    if (this.trimHooked === engine) return;
    this.trimHooked = engine;
    engine.onBeforeTrim(this.deliverPending);
  }

  /** The event id a `from` cursor resumes after; a typed refusal when retention deleted events after it. */
  private retainedCursor(channel: OutboxChannel, cursor: string): number {
    const after = parseOutboxCursor(cursor);
    const { cursorExpired } = this.engine().readEvents({ channel, afterEventId: after, limit: 1 });
    if (cursorExpired === null) return after;
    const resumeCursor = `${channel}:${cursorExpired.trimmedThroughEventId}`;
    throw new EngineError(
      'state.cursor_expired',
      `cursor '${cursor}' is older than the retained ${channel} events: resume from '${resumeCursor}', and re-read what you derive from them`,
      { channel, cursor, ...cursorExpired, resumeCursor },
    );
  }

  private head(channel: OutboxChannel): number {
    return this.engine().readEvents({ channel, afterEventId: Number.MAX_SAFE_INTEGER, limit: 1 }).lastEventId;
  }

  private send(sub: Subscription, events: BackendEvent[]): void {
    // Fire and forget: a slow or vanished page must not stall the engine.
    void Promise.resolve(sub.sink.deliver(events)).catch(() => {});
  }

  private scannerCursor(seq: number): string {
    return `scanner:${this.epoch}:${seq}`;
  }

  private resolveScannerCursor(cursor: string): { seq: number; lost: number } {
    const match = /^scanner:([a-z0-9]+):(\d+)$/.exec(cursor);
    if (!match) throw errors.invalid('from', `not a scanner cursor: '${cursor}'`);
    const oldest = this.ring[0]?.seq ?? this.scannerSeq + 1;
    if (match[1] !== this.epoch) return { seq: oldest - 1, lost: oldest - 1 };
    const seq = Math.min(Number(match[2]), this.scannerSeq);
    return seq >= oldest - 1 ? { seq, lost: 0 } : { seq: oldest - 1, lost: oldest - 1 - seq };
  }
}

const OUTBOX_CURSOR = new RegExp(`^(${OUTBOX_CHANNELS.join('|')}):(\\d+)$`);

function parseOutboxCursor(cursor: string): number {
  // Any readable outbox's name: the list is OUTBOX_CHANNELS, not a copy of it.
  const match = OUTBOX_CURSOR.exec(cursor);
  if (!match) throw errors.invalid('from', `not a cursor: '${cursor}' (expected '<channel>:<eventId>' as delivered with an event)`);
  return Number(match[2]);
}

function release(sink: EventSink | Comlink.Remote<EventSink>): void {
  const releasable = sink as { [Comlink.releaseProxy]?: () => void };
  try {
    releasable[Comlink.releaseProxy]?.();
  } catch {
    // Already released, or the page is gone.
  }
}
