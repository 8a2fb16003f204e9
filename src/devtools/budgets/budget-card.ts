/**
 * One budget: a bar per dimension (usage against the soft marker and the
 * hard end), the breach counters, the next reset as a live countdown on the
 * engine clock, the dated reset history, the report-usage form and an
 * admin reset. Errors of its actions show inside the card.
 */
import { html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { repeat } from 'lit/directives/repeat.js';
import { styleMap } from 'lit/directives/style-map.js';
import type { BudgetEvent, BudgetStatus } from '../../api/budgets.js';
import { DtElement } from '../base.js';
import { defineElement } from '../define.js';
import { formatInterval, formatNumber, formatTime, formatUntil } from '../format.js';
import { dimensionBar, historyText } from './budget-text.js';
import './usage-report.js';

export class DtBudgetCard extends DtElement {
  static override properties: PropertyDeclarations = {
    budget: { attribute: false },
    history: { attribute: false },
  };
  declare budget: BudgetStatus | undefined;
  /** Newest first, at most the panel's HISTORY_KEPT. */
  declare history: BudgetEvent[];

  constructor() {
    super();
    this.budget = undefined;
    this.history = [];
  }

  override render(): unknown {
    const b = this.budget;
    if (!b) return nothing;
    const now = this.store.now;
    const names = [...new Set([...Object.keys(b.hardLimits), ...Object.keys(b.softLimits), ...Object.keys(b.usage)])].sort();
    const stat = (label: string, testid: string, value: unknown, title?: string): TemplateResult =>
      html`<div class="stat"><span class="stat-label">${label}</span><span class="stat-value" data-testid=${testid} title=${ifDefined(title)}>${value}</span></div>`;
    return html`<article class="card budget-card ${b.lastBreachAtMs !== null ? 'breached' : ''}" data-testid="budget-card" data-budget-id=${b.budgetId}>
      <header class="card-head">
        <h3 class="mono budget-title" data-testid="budget-title">${b.budgetId}</h3>
        <span class="muted" data-testid="reset-interval-label">${b.resetIntervalMs > 0 ? `resets every ${formatInterval(b.resetIntervalMs)}` : 'never resets'}</span>
        <button type="button" class="ghost small" data-testid="budget-reset" aria-label="Reset now: budget ${b.budgetId}" @click=${() => void this.adminReset(b.budgetId)}>Reset now</button>
      </header>
      ${this.errorBox(`budget:${b.budgetId}:reset`)}
      <div class="budget-body">
        <div class="budget-main">
          <div class="dims" data-testid="budget-dims">${repeat(names, (n) => n, (n) => dimensionRow(n, b.usage[n] ?? 0, b.softLimits[n] ?? 0, b.hardLimits[n] ?? 0))}</div>
          <div class="stats">
            ${stat('Next reset', 'next-reset', b.nextResetAtMs === null ? 'never' : formatUntil(b.nextResetAtMs, now), b.nextResetAtMs === null ? undefined : formatTime(b.nextResetAtMs))}
            ${stat('Resets', 'reset-count', b.resetCount)}
            ${stat('Breaches (all time)', 'breach-count', b.breachCount)}
            ${stat('Soft breaches (all time)', 'soft-breach-count', b.softBreachCount)}
            ${stat('Last breach (this period)', 'last-breach', b.lastBreachAtMs === null ? 'none this period' : `${formatTime(b.lastBreachAtMs)} on ${b.lastBreachDimension ?? '?'}`)}
          </div>
          <ff-dt-usage-report .store=${this.store} .budgetId=${b.budgetId} .dimensions=${names} .resetCount=${b.resetCount}></ff-dt-usage-report>
        </div>
        <div class="budget-side">
          <h4>History</h4>
          <ol class="history" data-testid="budget-history">${repeat(this.history, (e) => e.eventId, historyItem)}</ol>
          ${this.history.length === 0 ? html`<p class="muted empty-note" data-testid="history-empty">No resets or breaches yet.</p>` : nothing}
        </div>
      </div>
    </article>`;
  }

  private async adminReset(budgetId: string): Promise<void> {
    const result = await this.store.act(`budget:${budgetId}:reset`, `Resetting budget '${budgetId}'`, () => this.store.backend.resetBudget({ budgetId }));
    if (result) this.store.toast(`${budgetId}: reset now (usage zeroed, next period starts now)`, 'ok');
  }
}
defineElement('ff-dt-budget-card', DtBudgetCard);

function dimensionRow(name: string, usage: number, soft: number, hard: number): TemplateResult {
  const bar = dimensionBar(usage, soft, hard);
  return html`<div class="dim" data-testid="budget-dim" data-dimension=${name} data-tone=${bar.tone}>
    <span class="dim-name mono" title=${name}>${name}</span>
    <div class="bar" data-testid="dim-bar" role="img" aria-label="${name}: ${formatNumber(usage)} ${bar.limits}">
      <div class="bar-fill ${bar.tone}" style=${styleMap({ width: `${bar.fill}%` })}></div>
      ${soft > 0 ? html`<div class="bar-soft" title="soft limit" style=${styleMap({ left: `${bar.softAt}%` })}></div>` : nothing}
      ${hard > 0 ? html`<div class="bar-hard" title="hard limit"></div>` : nothing}
    </div>
    <span class="dim-numbers"><strong data-testid="dim-usage">${formatNumber(usage)}</strong> <span class="muted" data-testid="dim-limits">${bar.limits}</span></span>
  </div>`;
}

/** Dated on the engine clock (the event's own time), newest first. */
function historyItem(event: BudgetEvent): TemplateResult {
  const { title, detail } = historyText(event);
  return html`<li class="history-item ev-${event.eventType}" data-testid="history-item" data-event-type=${event.eventType}>
    <span class="history-title">${title}</span>
    <time class="history-time mono" datetime=${new Date(event.occurredAtMs).toISOString()} data-testid="history-time">${formatTime(event.occurredAtMs)}</time>
    <span class="history-detail muted">${detail}</span>
  </li>`;
}
