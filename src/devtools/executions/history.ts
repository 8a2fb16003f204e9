/**
 * `<ff-dt-execution-history>`: one execution's history on the engine's
 * clock: a Gantt chart of its attempts, waits, backoffs, lease ticks,
 * suspension and signals, then every outbox event about it, each dated.
 *
 * Events come from `readEvents`, read per outbox and kept when they are
 * about this execution. The first load walks each outbox in pages; later
 * refreshes read only what is new after the cursor it reached.
 */
import { html, nothing, type PropertyDeclarations } from 'lit';
import type { OutboxChannel, OutboxEvent } from '../../api/events.js';
import type { ExecutionDescription } from '../../api/reads.js';
import type { SuspensionInfo } from '../../api/suspension.js';
import { DtElement } from '../base.js';
import { defineElement } from '../define.js';
import { formatTime } from '../format.js';
import { buildRows, chartTemplate, eventLabel, legendTemplate } from './history-chart.js';

/** The outboxes whose events name an execution. */
const CHANNELS: readonly OutboxChannel[] = ['lease', 'completion', 'operator', 'signal', 'stream'];
const PAGE = 1000;
/** Pages per outbox per refresh, so a huge outbox is walked over a few refreshes instead of blocking one. */
const PAGES_PER_LOAD = 10;
/** Events listed under the chart (newest first). */
const LISTED = 200;

export class DtExecutionHistory extends DtElement {
  static override properties: PropertyDeclarations = { executionId: {}, description: { state: true } };
  declare executionId: string;
  declare description: ExecutionDescription | null | undefined;
  private suspension: SuspensionInfo | null = null;
  private events: OutboxEvent[] = [];
  private cursors = new Map<OutboxChannel, number>();
  /** Whose events `events` holds. */
  private loadedFor = '';
  private caughtUp = false;

  constructor() {
    super();
    this.executionId = '';
    this.description = undefined;
  }

  override clear(): void {
    this.reset();
  }

  private reset(): void {
    this.description = undefined;
    this.suspension = null;
    this.events = [];
    this.cursors = new Map();
    this.loadedFor = '';
    this.caughtUp = false;
  }

  override async load(): Promise<void> {
    const id = this.executionId;
    if (!id) return;
    if (id !== this.loadedFor) {
      this.reset();
      this.loadedFor = id;
    }
    const backend = this.store.backend;
    const [description, suspension] = await Promise.all([backend.describeExecution({ executionId: id }), backend.readSuspension({ executionId: id })]);
    let caughtUp = true;
    const fresh: OutboxEvent[] = [];
    for (const channel of CHANNELS) {
      for (let page = 0; ; page++) {
        if (page === PAGES_PER_LOAD) {
          caughtUp = false;
          break;
        }
        const after = this.cursors.get(channel) ?? 0;
        const { events } = await backend.readEvents({ channel, afterEventId: after, limit: PAGE });
        if (id !== this.loadedFor) return;
        for (const e of events) if ('executionId' in e && e.executionId === id) fresh.push(e);
        const last = events.at(-1);
        if (last) this.cursors.set(channel, last.eventId);
        if (events.length < PAGE) break;
      }
    }
    if (id !== this.loadedFor) return;
    if (fresh.length > 0) this.events = [...this.events, ...fresh].sort((a, b) => a.occurredAtMs - b.occurredAtMs || a.eventId - b.eventId);
    this.caughtUp = caughtUp;
    this.suspension = suspension;
    this.description = description;
  }

  override render(): unknown {
    const d = this.description;
    if (d === undefined) return html`<section class="execution-history" data-testid="execution-history" data-loaded="false"><p class="muted">Loading the history…</p></section>`;
    if (d === null) return html`<section class="execution-history" data-testid="execution-history" data-loaded="true"><p class="muted">No such execution.</p></section>`;
    const now = this.store.now;
    const rows = buildRows(d, this.suspension, this.events, now);
    const ends = rows.flatMap((r) => [...r.segments.map((s) => s.to), ...r.markers.map((m) => m.at)]);
    const terminal = d.stateVector.lifecyclePhase === 'terminal';
    const to = Math.max(terminal ? (d.completedAtMs ?? d.createdAtMs) : now, ...ends, d.createdAtMs + 1);
    const listed = [...this.events].reverse().slice(0, LISTED);
    return html`<section class="execution-history" data-testid="execution-history" data-loaded="true" aria-label="History">
      <h4>History</h4>
      ${d.foldedAttempts ? html`<p class="small muted">${d.foldedAttempts.count} older attempts were folded away by retention.</p>` : nothing}
      ${chartTemplate(rows, d.createdAtMs, to)} ${legendTemplate()}
      <ol class="history-events" data-testid="history-events" aria-label="Events of this execution">
        ${listed.map(
          (e) => html`<li class="history-event" data-testid="history-event" data-channel=${e.channel}>
            <time datetime=${new Date(e.occurredAtMs).toISOString()}>${formatTime(e.occurredAtMs, true)}</time><span class="chip ch-${e.channel}">${e.channel}</span><span>${eventLabel(e)}</span>
          </li>`,
        )}
        <li class="history-event" data-testid="history-event" data-channel="created">
          <time datetime=${new Date(d.createdAtMs).toISOString()}>${formatTime(d.createdAtMs, true)}</time><span class="chip">created</span><span>in lane ${d.laneId}</span>
        </li>
      </ol>
      ${this.caughtUp ? nothing : html`<p class="small muted" data-testid="history-scanning">Still reading older events…</p>`}
      ${this.events.length > LISTED ? html`<p class="small muted">${this.events.length - LISTED} older events are on the chart only.</p>` : nothing}
    </section>`;
  }
}
defineElement('ff-dt-execution-history', DtExecutionHistory);
