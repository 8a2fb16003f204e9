/**
 * `<ff-dt-timeline>`: the event timeline, newest first by engine time.
 * Compact on the overview (the newest few, channel filters); with the
 * `full` attribute (the #/timeline view) it also filters by event type and
 * execution id and loads older events page by page. Every item is dated and
 * links to what it is about. The feed itself (backfill + subscription) is
 * shared per store: see timeline-feed.ts.
 */
import { html, nothing, type PropertyDeclarations } from 'lit';
import type { BackendChannel } from '../../worker/protocol.js';
import { DtElement } from '../base.js';
import { defineElement } from '../define.js';
import { formatTime } from '../format.js';
import { CHANNELS, timelineFeed, type TimelineFeed } from './timeline-feed.js';
import { itemTemplate, type TimelineItem } from './timeline-item.js';
import '../executions/why-waiting.js';
import '../executions/history.js';

/** Items shown on the overview. */
const COMPACT = 40;
/** Items shown per screen in the full view before "show more" (what is loaded stays in memory). */
const FULL_STEP = 300;

export class DtTimelinePanel extends DtElement {
  static override properties: PropertyDeclarations = {
    ...DtElement.properties,
    full: { type: Boolean },
    offChannels: { state: true },
    renewals: { state: true },
    typeFilter: { state: true },
    execFilter: { state: true },
    shown: { state: true },
  };
  declare full: boolean;
  /** Channels switched off. */
  declare offChannels: Set<BackendChannel>;
  declare renewals: boolean;
  declare typeFilter: string;
  declare execFilter: string;
  declare shown: number;
  private feed: TimelineFeed | null = null;
  private offFeed: (() => void) | null = null;

  constructor() {
    super();
    this.full = false;
    this.offChannels = new Set();
    this.renewals = false;
    this.typeFilter = '';
    this.execFilter = '';
    this.shown = FULL_STEP;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.attachFeed();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.offFeed?.();
    this.offFeed = null;
    this.feed = null;
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    super.willUpdate(changed);
    if (changed.has('store')) this.attachFeed();
  }

  private attachFeed(): void {
    if (!this.store || !this.isConnected) return;
    const feed = timelineFeed(this.store);
    if (feed === this.feed) return;
    this.offFeed?.();
    this.feed = feed;
    this.offFeed = feed.onChange(() => this.requestUpdate());
  }

  private selectedChannels(): BackendChannel[] {
    return CHANNELS.filter((c) => !this.offChannels.has(c));
  }

  private visible(feed: TimelineFeed): { items: TimelineItem[]; horizon: number | null; types: string[] } {
    const channels = this.selectedChannels();
    const horizon = feed.horizon(channels);
    const exec = this.execFilter.trim().toLowerCase();
    const types = new Set<string>();
    const items = feed.all().filter((i) => {
      if (this.offChannels.has(i.channel) || (i.type === 'renewed' && !this.renewals)) return false;
      if (horizon !== null && i.at < horizon) return false;
      types.add(i.type);
      if (this.full && this.typeFilter && i.type !== this.typeFilter) return false;
      return !(this.full && exec && !(i.executionId ?? '').toLowerCase().includes(exec));
    });
    return { items, horizon, types: [...types].sort() };
  }

  override render(): unknown {
    if (!this.feed) return nothing;
    const feed = this.feed;
    const { items, horizon, types } = this.visible(feed);
    const limit = this.full ? this.shown : COMPACT;
    return html`<section class="panel panel-timeline ${this.full ? 'timeline-full' : ''}" data-testid="panel-timeline" aria-labelledby="panel-timeline-title">
      <header class="panel-head">
        <h2 id="panel-timeline-title">Event timeline</h2>
        <p class="blurb">
          What a subscriber receives: completions, the lease lifecycle, budget resets and breaches, operator actions, signal deliveries, stream frames, scanner ticks that did work. Newest first, on the engine's
          clock; each item links to its execution.
          ${this.full ? nothing : html`<a href=${this.store.router.href({ view: 'timeline', id: null, params: {} })} data-testid="timeline-open-full">Open the full timeline</a>`}
        </p>
      </header>
      ${this.filtersTemplate(types)}
      <ol class="timeline" data-testid="timeline" aria-label="Events">${items.slice(0, limit).map((i) => itemTemplate(this.store, i))}</ol>
      ${items.length === 0 ? html`<p class="muted small empty-note" data-testid="timeline-empty">No events${this.offChannels.size || this.typeFilter || this.execFilter ? ' match these filters' : ' yet'}.</p>` : nothing}
      ${this.full ? this.moreTemplate(feed, items.length, horizon) : nothing}
      <p class="muted small timeline-cursors" data-testid="timeline-cursors">Resume cursors: ${[...feed.cursors.values()].join(' · ') || 'none yet'}</p>
    </section>`;
  }

  private filtersTemplate(types: string[]): unknown {
    return html`<div class="filters" role="group" aria-label="Filter events">
      ${CHANNELS.map(
        (c) => html`<label class="check chip ch-${c}"
          ><input type="checkbox" data-testid="timeline-filter-${c}" .checked=${!this.offChannels.has(c)} @change=${(e: Event) => this.toggle(c, (e.target as HTMLInputElement).checked)} /> ${c}</label
        >`,
      )}
      <label class="check"><input type="checkbox" data-testid="timeline-renewals" .checked=${this.renewals} @change=${(e: Event) => (this.renewals = (e.target as HTMLInputElement).checked)} /> lease renewals</label>
      ${this.full
        ? html`<label class="field timeline-type"
              >Event type
              <select data-testid="timeline-filter-type" .value=${this.typeFilter} @change=${(e: Event) => (this.typeFilter = (e.target as HTMLSelectElement).value)}>
                <option value="">any</option>
                ${[...new Set([...types, ...(this.typeFilter ? [this.typeFilter] : [])])].map((t) => html`<option value=${t} ?selected=${t === this.typeFilter}>${t}</option>`)}
              </select></label
            >
            <label class="field timeline-exec"
              >Execution id
              <input type="search" data-testid="timeline-filter-exec" placeholder="any part of the id" .value=${this.execFilter} @input=${(e: Event) => (this.execFilter = (e.target as HTMLInputElement).value)}
            /></label>`
        : nothing}
    </div>`;
  }

  private moreTemplate(feed: TimelineFeed, count: number, horizon: number | null): unknown {
    const more = feed.hasMore(this.selectedChannels());
    return html`<div class="timeline-more row">
      <span class="muted small" data-testid="timeline-horizon"
        >${count} event${count === 1 ? '' : 's'} ${horizon === null ? '(everything kept)' : `since ${formatTime(horizon, true)}`}</span
      >
      ${count > this.shown ? html`<button type="button" class="secondary small" data-testid="timeline-show-more" @click=${() => (this.shown += FULL_STEP)}>Show ${FULL_STEP} more</button>` : nothing}
      <button type="button" class="secondary small" data-testid="timeline-load-more" ?disabled=${!more || feed.loading} @click=${() => void this.loadMore(feed)}>
        ${feed.loading ? 'Loading…' : more ? 'Load older events' : 'No older events'}
      </button>
    </div>
    ${this.errorBox('timeline-load')}`;
  }

  private async loadMore(feed: TimelineFeed): Promise<void> {
    await this.store.act('timeline-load', 'Loading older events', () => feed.loadMore(this.selectedChannels()));
  }

  private toggle(channel: BackendChannel, on: boolean): void {
    const hidden = new Set(this.offChannels);
    if (on) hidden.delete(channel);
    else hidden.add(channel);
    this.offChannels = hidden;
  }
}
defineElement('ff-dt-timeline', DtTimelinePanel);
