/**
 * The executions board on the overview: the create form, then a column per
 * public state with cards showing attempts, lease countdowns of active
 * executions and start countdowns of delayed ones. A card is a link to the
 * execution's drawer (`?exec=<id>`), so it can be opened in a new tab too.
 */
import { html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import { DtElement } from '../base.js';
import { defineElement } from '../define.js';
import { formatClockTime, formatUntil, shortId } from '../format.js';
import { withParams } from '../router.js';
import type { View } from '../store.js';
import { BoardData, COLUMNS, type BoardColumn, type Card } from './board-data.js';
import { plural } from './exec-text.js';
import './create-form.js';

export class DtExecutionsBoard extends DtElement {
  static override properties: PropertyDeclarations = { columns: { state: true } };
  declare columns: BoardColumn[];
  private readonly data = new BoardData();

  constructor() {
    super();
    this.columns = COLUMNS.map((column) => ({ column, cards: [], total: 0 }));
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // The overview grid places its items by these classes.
    this.classList.add('panel', 'panel-executions');
    this.dataset['testid'] = 'panel-executions';
  }

  override async load(_view: View): Promise<void> {
    const columns = await this.data.read(this.store.backend);
    if (columns) this.columns = columns;
  }

  override clear(): void {
    this.data.clear();
    this.columns = COLUMNS.map((column) => ({ column, cards: [], total: 0 }));
  }

  override render(): unknown {
    const selected = this.store.route.params['exec'] ?? null;
    return html`<header class="panel-head">
        <h2>Executions</h2>
        <p class="blurb">
          Create work on a lane; a worker claims it under a lease. Failures retry with backoff on the engine clock. Open a card for its attempts, history and
          controls, or <a href=${this.store.router.href({ view: 'executions', id: null, params: {} })}>search every execution</a>.
        </p>
      </header>
      <ff-dt-exec-create .store=${this.store}></ff-dt-exec-create>
      <div class="board" data-testid="board">
        ${this.columns.map((c) => this.columnTemplate(c, selected))}
      </div>`;
  }

  private columnTemplate({ column, cards, total }: BoardColumn, selected: string | null): TemplateResult {
    return html`<section class="column column-${column.id}" data-testid="column-${column.id}" aria-label=${column.title}>
      <header><span class="column-title">${column.title}</span><span class="count" data-testid="column-count">${total}</span></header>
      <div class="column-list" data-testid="column-list">${cards.map((card) => this.cardTemplate(card, selected))}</div>
      ${total > cards.length ? html`<p class="column-more muted" data-testid="column-more">+ ${total - cards.length} more</p>` : nothing}
    </section>`;
  }

  private cardTemplate(card: Card, selected: string | null): TemplateResult {
    const { info } = card;
    const expired = info.stateVector.ownershipState === 'lease_expired_reclaimable';
    const isSelected = info.executionId === selected;
    const extras = [info.priority !== 0 ? `p${info.priority}` : '', info.retryCount > 0 ? plural(info.retryCount, 'retry', 'retries') : ''].filter(Boolean);
    return html`<a
      class="exec-card state-${info.publicState} ${expired ? 'lease-expired' : ''} ${isSelected ? 'selected' : ''}"
      data-testid="exec-card"
      data-execution-id=${info.executionId}
      data-state=${info.publicState}
      aria-current=${isSelected ? 'true' : 'false'}
      title=${info.executionId}
      href=${this.store.router.href(withParams(this.store.route, { exec: info.executionId }))}
    >
      <span class="exec-top"><span class="exec-id mono">${shortId(info.executionId)}</span><span class="chip lane mono" data-testid="exec-lane-chip">${info.laneId}</span></span>
      <span class="exec-meta"
        ><strong data-testid="exec-attempts">${info.attemptCount}</strong><span data-testid="exec-attempts-label">${info.attemptCount === 1 ? ' attempt' : ' attempts'}</span
        ><span class="exec-priority muted">${extras.map((s) => ` · ${s}`).join('')}</span></span
      >
      <span class="exec-extra" data-testid="exec-extra">${extraLine(card, this.store.now)}</span>
    </a>`;
  }
}

function extraLine(card: Card, now: number): string {
  const { info } = card;
  switch (info.publicState) {
    case 'active':
      if (info.stateVector.ownershipState === 'lease_expired_reclaimable') return 'lease expired: reclaimable';
      if (info.stateVector.ownershipState === 'lease_revoked') return 'lease revoked: reclaimable';
      if (card.leaseExpiresAtMs && card.leaseExpiresAtMs <= now) return 'lease expired';
      return card.leaseExpiresAtMs ? `lease ends ${formatUntil(card.leaseExpiresAtMs, now)}` : 'leased';
    case 'delayed':
      return info.eligibleAtMs === null ? 'delayed' : `${info.retryCount > 0 ? 'retry' : 'starts'} ${formatUntil(info.eligibleAtMs, now)}`;
    case 'waiting':
      return info.requiredCapabilities.length ? `needs ${info.requiredCapabilities.join(', ')}` : 'ready to claim';
    default:
      return info.completedAtMs === null ? info.publicState.replaceAll('_', ' ') : `${info.publicState} at ${formatClockTime(info.completedAtMs)}`;
  }
}

defineElement('ff-dt-executions-board', DtExecutionsBoard);
