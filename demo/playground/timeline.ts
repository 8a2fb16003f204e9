/**
 * The event timeline: completion, lease, budget and scanner events as the
 * backend delivers them to a subscription, newest first. On load it shows
 * the last few events of each outbox, then subscribes from exactly there
 * (the cursors), so nothing is missed and nothing shown twice.
 */
import type { BackendChannel, BackendEvent, BrowserBackend } from '../../src/index.js';
import type { App, Panel } from './app.js';
import { byTestId, h, panel, setText, syncList } from './dom.js';
import { formatClockTime, shortId } from './format.js';

const KEPT = 200;
/** Events of each outbox shown from before the page loaded. */
const BACKFILL = 30;
const OUTBOXES = ['completion', 'lease', 'budget', 'operator', 'signal', 'stream'] as const;
const CHANNELS: readonly BackendChannel[] = [...OUTBOXES, 'scanner'];

interface Item {
  key: string;
  channel: BackendChannel;
  type: string;
  at: number;
  text: string;
}

export class TimelinePanel implements Panel {
  readonly el: HTMLElement;
  private items: Item[] = [];
  private readonly cursors = new Map<BackendChannel, string>();
  private readonly show = new Map<BackendChannel, HTMLInputElement>();
  private readonly renewals = h('input', { type: 'checkbox', testid: 'timeline-renewals' });

  constructor(private readonly app: App) {
    const filters = h(
      'div',
      { class: 'filters', role: 'group', 'aria-label': 'Channels' },
      CHANNELS.map((c) => {
        const box = h('input', { type: 'checkbox', checked: true, testid: `timeline-filter-${c}`, onChange: () => app.invalidate() });
        this.show.set(c, box);
        return h('label', { class: `check chip ch-${c}` }, box, ` ${c}`);
      }),
      h('label', { class: 'check' }, this.renewals, ' lease renewals'),
    );
    this.renewals.addEventListener('change', () => app.invalidate());
    this.el = panel(
      'timeline',
      'Event timeline',
      'What a subscriber receives: completions, the lease lifecycle, budget resets and breaches, operator actions, signal deliveries, stream frames, scanner ticks that did work. Each event carries a resume cursor.',
      filters,
      h('ol', { class: 'timeline', testid: 'timeline' }),
      h('p', { class: 'muted small', testid: 'timeline-cursors' }),
    );
  }

  /** Show the newest events, then subscribe from right after them. */
  async start(): Promise<void> {
    const backend = this.app.backend;
    const from: string[] = [];
    for (const channel of OUTBOXES) {
      const head = await backend.readEvents({ channel, afterEventId: 0, limit: 1 });
      const { events } = await backend.readEvents({ channel, afterEventId: Math.max(0, head.lastEventId - BACKFILL), limit: BACKFILL });
      for (const e of events) this.add({ ...e, cursor: `${channel}:${e.eventId}` });
      from.push(`${channel}:${head.lastEventId}`);
    }
    this.items.sort((a, b) => b.at - a.at);
    await subscribe(backend, from, (e) => {
      this.add(e);
      this.app.emitEvent(e);
      this.app.invalidate();
    });
  }

  refresh(): void {
    const visible = this.items.filter((i) => this.show.get(i.channel)?.checked !== false && (i.type !== 'renewed' || this.renewals.checked));
    syncList(byTestId(this.el, 'timeline'), visible.slice(0, 80), (i) => i.key, itemElement, () => {});
    setText(byTestId(this.el, 'timeline-cursors'), `Resume cursors: ${[...this.cursors.values()].join(' · ') || 'none yet'}`);
  }

  clear(): void {
    this.items = [];
  }

  private add(event: BackendEvent): void {
    this.cursors.set(event.channel, event.cursor);
    if (event.channel === 'scanner' && event.report.processed === 0 && event.report.errors === 0) return;
    this.items.unshift(describe(event));
    if (this.items.length > KEPT) this.items.length = KEPT;
  }
}

function subscribe(backend: BrowserBackend, from: string[], onEvent: (e: BackendEvent) => void): Promise<unknown> {
  return backend.subscribe({ channels: [...CHANNELS], from }, onEvent);
}

function describe(e: BackendEvent): Item {
  const key = e.cursor;
  switch (e.channel) {
    case 'completion':
      return { key, channel: e.channel, type: e.outcome, at: e.occurredAtMs, text: `${shortId(e.executionId)} ended ${e.outcome}` };
    case 'lease':
      return {
        key,
        channel: e.channel,
        type: e.eventType,
        at: e.occurredAtMs,
        text: `${shortId(e.executionId)} lease ${e.eventType} · attempt ${e.attemptIndex + 1}, epoch ${e.leaseEpoch}${e.workerInstanceId ? ` · ${e.workerInstanceId}` : ''}`,
      };
    case 'budget': {
      const what = e.eventType === 'reset' ? `reset (${String(e.details['trigger'] ?? '')})` : e.eventType === 'breach' ? `hard breach on ${e.dimension}` : `${e.eventType.replace('_', ' ')} on ${e.dimension}`;
      return { key, channel: e.channel, type: e.eventType, at: e.occurredAtMs, text: `budget ${e.budgetId}: ${what}` };
    }
    case 'operator': {
      const subject = e.executionId !== null ? shortId(e.executionId) : `flow ${shortId(e.flowId ?? '')}`;
      return { key, channel: e.channel, type: e.eventType, at: e.occurredAtMs, text: `${subject}: operator ${e.eventType.replace(/_/g, ' ')}` };
    }
    case 'signal':
      return { key, channel: e.channel, type: e.effect, at: e.occurredAtMs, text: `${shortId(e.executionId)} signal ${e.signalName ?? ''} · ${e.effect.replaceAll('_', ' ')}` };
    case 'stream':
      return { key, channel: e.channel, type: e.mode, at: e.occurredAtMs, text: `${shortId(e.executionId)} frame ${e.frameId} (${e.fields['frame_type'] ?? e.mode})` };
    case 'scanner':
      return {
        key,
        channel: e.channel,
        type: e.report.scanner,
        at: e.report.at,
        text: `${e.report.scanner}: ${e.report.processed} processed${e.report.errors ? `, ${e.report.errors} errors` : ''}`,
      };
  }
}

function itemElement(item: Item): HTMLElement {
  return h(
    'li',
    { class: `timeline-item ch-${item.channel} t-${item.type}`, testid: 'timeline-item', 'data-channel': item.channel, 'data-type': item.type },
    h('time', { class: 'mono muted' }, formatClockTime(item.at)),
    h('span', { class: `chip ch-${item.channel}` }, item.channel),
    h('span', { class: 'timeline-text', title: item.text }, item.text),
  );
}
