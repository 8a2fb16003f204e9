/**
 * Subscriptions, worker side: page connections on top of the engine's
 * outbox delivery (src/engine/outbox/outbox-delivery.ts, the same code the
 * in-process `subscribe<Channel>` methods use), plus scanner reports. Each
 * subscriber has a cursor per channel; delivery is in order, after the
 * commit, with no gap and no duplicate, and a subscriber that resumes from a
 * cursor first gets the catch-up from the outbox, then live events. An
 * optional filter (namespace, instance tag) narrows the outbox events sent.
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
 * never resumed with a silent gap. Scanner reports are telemetry (not
 * filtered), so a cursor older than the ring resumes and counts what it
 * lost instead. A live subscription cannot expire: before the trimmer
 * deletes anything it has pending events delivered (Engine.onBeforeTrim).
 */
import * as Comlink from 'comlink';
import { errors } from '../api/errors.js';
import { OUTBOX_CHANNELS, type OutboxChannel } from '../api/events.js';
import { z } from 'zod';
import { eventFilterSchema } from '../api/subscriptions.js';
import { parseInput } from '../api/validate.js';
import type { CommittedEvent } from '../engine/core/context.js';
import type { Engine } from '../engine/engine.js';
import { OutboxDelivery, type OutboxSubscription } from '../engine/outbox/outbox-delivery.js';
import type { ScannerReport } from '../scanners/scanner.js';
import { BACKEND_CHANNELS, type BackendChannel, type BackendEvent, type EventSink, type SubscribeOptions, type SubscriptionInfo } from './protocol.js';

/** Scanner reports kept for replay; at the default intervals, several minutes of history. */
export const SCANNER_RING_SIZE = 1000;

interface Subscription {
  id: number;
  owner: number;
  channels: Set<BackendChannel>;
  outbox: OutboxSubscription;
  /** Last delivered scanner sequence. */
  scannerSeq: number;
  sink: Comlink.Remote<EventSink> | EventSink;
}

const OUTBOX = new Set<BackendChannel>(OUTBOX_CHANNELS);
/** Validates `filter` so an error names `filter.<field>`. */
const FILTER_OPTION = z.strictObject({ filter: eventFilterSchema });

export class EventHub {
  private readonly subs = new Map<number, Subscription>();
  private readonly ring: { seq: number; report: ScannerReport }[] = [];
  private scannerSeq = 0;
  private readonly delivery: OutboxDelivery;
  /** Distinguishes scanner cursors of this worker from an earlier one's. */
  readonly epoch = Math.random().toString(36).slice(2, 10);

  constructor(engine: () => Engine) {
    this.delivery = new OutboxDelivery(engine);
  }

  get size(): number {
    return this.subs.size;
  }

  onCommit(events: readonly CommittedEvent[]): void {
    this.delivery.onCommit(events);
  }

  onScannerReport(report: ScannerReport): void {
    const seq = ++this.scannerSeq;
    this.ring.push({ seq, report });
    if (this.ring.length > SCANNER_RING_SIZE) this.ring.shift();
    for (const sub of this.subs.values()) {
      if (!sub.channels.has('scanner')) continue;
      sub.scannerSeq = seq;
      send(sub.sink, [{ channel: 'scanner', report, cursor: this.scannerCursor(seq) }]);
    }
  }

  subscribe(owner: number, options: SubscribeOptions, sink: EventSink): SubscriptionInfo {
    const channels = new Set<BackendChannel>(options.channels ?? BACKEND_CHANNELS);
    for (const c of channels) if (!BACKEND_CHANNELS.includes(c)) throw errors.invalid('channels', `unknown channel '${String(c)}'`);
    const filter = options.filter === undefined ? undefined : parseInput('subscribe', FILTER_OPTION, { filter: options.filter }).filter;
    const from = new Map<BackendChannel, string>();
    for (const cursor of options.from ?? []) {
      const channel = String(cursor).split(':')[0] as BackendChannel;
      if (!channels.has(channel)) throw errors.invalid('from', `cursor '${cursor}' is for a channel this subscription does not include`);
      from.set(channel, cursor);
    }
    let lost = 0;
    let scannerSeq = this.scannerSeq;
    const scannerFrom = from.get('scanner');
    if (scannerFrom !== undefined) ({ seq: scannerSeq, lost } = this.resolveScannerCursor(scannerFrom));
    const outboxChannels = [...channels].filter((c): c is OutboxChannel => OUTBOX.has(c));
    // Catch-up runs now, synchronously, so no commit can slip between it and live delivery.
    const outbox = this.delivery.open(outboxChannels, from as Map<OutboxChannel, string>, filter, (events) => send(sink, events));
    const sub: Subscription = { id: outbox.id, owner, channels, outbox, scannerSeq, sink };
    const backlog = this.ring.filter((r) => r.seq > sub.scannerSeq);
    if (channels.has('scanner') && backlog.length > 0) {
      sub.scannerSeq = backlog[backlog.length - 1]!.seq;
      send(sink, backlog.map((r) => ({ channel: 'scanner' as const, report: r.report, cursor: this.scannerCursor(r.seq) })));
    }
    this.subs.set(sub.id, sub);
    return { id: sub.id, scannerEventsLost: lost };
  }

  /** Stop delivery and release the page's callback proxy. Unknown ids (already gone) are fine. */
  unsubscribe(owner: number, id: number): boolean {
    const sub = this.subs.get(id);
    if (!sub || sub.owner !== owner) return false;
    this.subs.delete(id);
    this.delivery.close(sub.outbox);
    release(sub.sink);
    return true;
  }

  /** Drop every subscription of a connection (it closed, or its tab vanished). */
  dropOwner(owner: number): void {
    for (const sub of [...this.subs.values()]) if (sub.owner === owner) this.unsubscribe(owner, sub.id);
  }

  /** After the database was replaced: continue every subscription from the new database's newest events. */
  rebase(): void {
    this.delivery.rebase();
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

function send(sink: EventSink | Comlink.Remote<EventSink>, events: BackendEvent[]): void {
  // Fire and forget: a slow or vanished page must not stall the engine.
  void Promise.resolve(sink.deliver(events)).catch(() => {});
}

function release(sink: EventSink | Comlink.Remote<EventSink>): void {
  const releasable = sink as { [Comlink.releaseProxy]?: () => void };
  try {
    releasable[Comlink.releaseProxy]?.();
  } catch {
    // Already released, or the page is gone.
  }
}
