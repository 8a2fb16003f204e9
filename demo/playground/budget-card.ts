/**
 * One budget: a bar per dimension (usage against the soft marker and the
 * hard end), the breach counters, the next reset as a live countdown, the
 * reset history, a report-usage form and an admin reset.
 */
import type { BudgetEvent, BudgetStatus, ReportUsageResult, UsageOutcome } from '../../src/index.js';
import type { App } from './app.js';
import { byTestId, field, h, setAttr, setText, syncList, syncOptions } from './dom.js';
import { formatInterval, formatNumber, formatTime, formatUntil } from './format.js';

/** History entries shown per budget, newest first. */
export const HISTORY_KEPT = 50;

export class BudgetCard {
  readonly el: HTMLElement;
  /** Newest event id fetched, for incremental listBudgetEvents reads. */
  lastEventId = 0;
  private history: BudgetEvent[] = [];
  private readonly dims = h('div', { class: 'dims', testid: 'budget-dims' });
  private readonly historyEl = h('ol', { class: 'history', testid: 'budget-history' });
  private readonly dimension = h('select', { testid: 'report-dimension', 'aria-label': 'Dimension' });
  private readonly amount = h('input', { type: 'number', min: '0', step: '1', value: '100', testid: 'report-amount', required: true, 'aria-label': 'Amount' });
  private readonly dedup = h('input', { placeholder: 'optional', testid: 'report-dedup', class: 'mono', 'aria-label': 'Dedup key', autocomplete: 'off' });
  private readonly result = h('output', { class: 'result', testid: 'report-result', 'aria-live': 'polite' });
  /** The reset count when the shown report result was made: a reset since then makes it stale. */
  private resultResetCount: number | null = null;
  private resetCount = 0;

  constructor(
    private readonly app: App,
    readonly budgetId: string,
  ) {
    const stat = (label: string, testid: string): HTMLElement =>
      h('div', { class: 'stat' }, h('span', { class: 'stat-label' }, label), h('span', { class: 'stat-value', testid }, '—'));
    this.el = h(
      'article',
      { class: 'card budget-card', testid: 'budget-card', 'data-budget-id': budgetId },
      h(
        'header',
        { class: 'card-head' },
        h('h3', { class: 'mono', testid: 'budget-title' }, budgetId),
        h('span', { class: 'muted', testid: 'reset-interval-label' }),
        h('button', { type: 'button', class: 'ghost small', testid: 'budget-reset', onClick: () => void this.adminReset() }, 'Reset now'),
      ),
      h(
        'div',
        { class: 'budget-body' },
        h(
          'div',
          { class: 'budget-main' },
          this.dims,
          h(
            'div',
            { class: 'stats' },
            stat('Next reset', 'next-reset'),
            stat('Resets', 'reset-count'),
            stat('Breaches (all time)', 'breach-count'),
            stat('Soft breaches (all time)', 'soft-breach-count'),
            stat('Last breach (this period)', 'last-breach'),
          ),
          h(
            'form',
            { class: 'report-form', testid: 'report-form', onSubmit: (ev: Event) => void this.report(ev) },
            field('Dimension', this.dimension),
            field('Amount', this.amount),
            field('Dedup key', this.dedup),
            h('button', { type: 'submit', class: 'primary', testid: 'report-submit' }, 'Report usage'),
          ),
          this.result,
        ),
        h('div', { class: 'budget-side' }, h('h4', null, 'History'), this.historyEl, h('p', { class: 'muted empty-note', testid: 'history-empty' }, 'No resets or breaches yet.')),
      ),
    );
  }

  /**
   * Events newer than `lastEventId`, newest first (listBudgetEvents with
   * `newestFirst`): at most HISTORY_KEPT of them, so a long history, or a
   * jump of the clock that wrote thousands, costs one page.
   */
  addEvents(newestFirst: BudgetEvent[]): void {
    if (newestFirst.length === 0) return;
    this.lastEventId = newestFirst[0]!.eventId;
    this.history = [...newestFirst, ...this.history].slice(0, HISTORY_KEPT);
  }

  update(status: BudgetStatus, now: number): void {
    const names = [...new Set([...Object.keys(status.hardLimits), ...Object.keys(status.softLimits), ...Object.keys(status.usage)])].sort();
    syncList(this.dims, names, (n) => n, (n) => dimensionRow(n), (el, n) => updateDimension(el, status.usage[n] ?? 0, status.softLimits[n] ?? 0, status.hardLimits[n] ?? 0));
    syncOptions(this.dimension, names.map((n) => ({ value: n, label: n })));

    setText(byTestId(this.el, 'reset-interval-label'), status.resetIntervalMs > 0 ? `resets every ${formatInterval(status.resetIntervalMs)}` : 'never resets');
    const next = byTestId(this.el, 'next-reset');
    setText(next, status.nextResetAtMs === null ? 'never' : formatUntil(status.nextResetAtMs, now));
    setAttr(next, 'title', status.nextResetAtMs === null ? null : formatTime(status.nextResetAtMs));
    setText(byTestId(this.el, 'reset-count'), status.resetCount);
    this.resetCount = status.resetCount;
    // A report's outcome describes the period it was made in: once a reset has cleared it, it is gone from the card.
    if (this.resultResetCount !== null && status.resetCount !== this.resultResetCount) this.clearResult();
    setText(byTestId(this.el, 'breach-count'), status.breachCount);
    setText(byTestId(this.el, 'soft-breach-count'), status.softBreachCount);
    setText(
      byTestId(this.el, 'last-breach'),
      status.lastBreachAtMs === null ? 'none this period' : `${formatTime(status.lastBreachAtMs)} on ${status.lastBreachDimension ?? '?'}`,
    );
    this.el.classList.toggle('breached', status.lastBreachAtMs !== null);

    syncList(this.historyEl, this.history, (e) => String(e.eventId), historyItem, () => {});
    byTestId(this.el, 'history-empty').hidden = this.history.length > 0;
  }

  private async report(ev: Event): Promise<void> {
    ev.preventDefault();
    const dimension = this.dimension.value;
    const dedupKey = this.dedup.value.trim();
    const result = await this.app.act(`Reporting usage to '${this.budgetId}'`, () =>
      this.app.backend.reportUsageAdmin({ budgetId: this.budgetId, usage: { [dimension]: Number(this.amount.value) }, ...(dedupKey ? { dedupKey } : {}) }),
    );
    if (!result) return;
    const [text, tone] = describeResult(result);
    setText(this.result, text);
    this.result.dataset['kind'] = result.kind;
    this.result.className = `result tone-${tone}`;
    this.resultResetCount = this.resetCount;
    this.app.notices.toast(`${this.budgetId}: ${text}`, tone);
  }

  private clearResult(): void {
    setText(this.result, '');
    delete this.result.dataset['kind'];
    this.result.className = 'result';
    this.resultResetCount = null;
  }

  private async adminReset(): Promise<void> {
    const result = await this.app.act(`Resetting budget '${this.budgetId}'`, () => this.app.backend.resetBudget({ budgetId: this.budgetId }));
    if (result) this.app.notices.toast(`${this.budgetId}: reset now (usage zeroed, next period starts now)`, 'ok');
  }
}

function dimensionRow(name: string): HTMLElement {
  return h(
    'div',
    { class: 'dim', testid: 'budget-dim', 'data-dimension': name },
    h('span', { class: 'dim-name mono' }, name),
    h('div', { class: 'bar', testid: 'dim-bar' }, h('div', { class: 'bar-fill' }), h('div', { class: 'bar-soft', title: 'soft limit' }), h('div', { class: 'bar-hard', title: 'hard limit' })),
    h('span', { class: 'dim-numbers' }, h('strong', { testid: 'dim-usage' }), h('span', { class: 'muted', testid: 'dim-limits' })),
  );
}

/** The bar's scale: the hard limit when there is one, else a little beyond the soft limit or the usage. */
function updateDimension(el: HTMLElement, usage: number, soft: number, hard: number): void {
  const scale = Math.max(hard > 0 ? hard : Math.max(soft * 1.25, usage * 1.25, 1), usage);
  const fill = el.querySelector<HTMLElement>('.bar-fill')!;
  fill.style.width = `${Math.min(100, (usage / scale) * 100)}%`;
  const tone = hard > 0 && usage >= hard ? 'at-hard' : soft > 0 && usage > soft ? 'over-soft' : 'ok';
  fill.className = `bar-fill ${tone}`;
  const softMarker = el.querySelector<HTMLElement>('.bar-soft')!;
  softMarker.hidden = soft <= 0;
  softMarker.style.left = `${Math.min(100, (soft / scale) * 100)}%`;
  el.querySelector<HTMLElement>('.bar-hard')!.hidden = hard <= 0;
  setText(byTestId(el, 'dim-usage'), formatNumber(usage));
  const limits = [hard > 0 ? `/ ${formatNumber(hard)} hard` : '/ no hard limit', soft > 0 ? `· soft ${formatNumber(soft)}` : ''];
  setText(byTestId(el, 'dim-limits'), ` ${limits.join(' ')}`.trimEnd());
  el.dataset['tone'] = tone;
}

function historyItem(event: BudgetEvent): HTMLElement {
  const d = event.details;
  const n = (key: string): string => (typeof d[key] === 'number' ? formatNumber(d[key]) : '?');
  let title: string;
  let detail: string;
  if (event.eventType === 'reset') {
    // A scheduled reset that caught up several missed periods records how many it covers.
    const periods = typeof d['periods'] === 'number' && d['periods'] > 1 ? ` ×${formatNumber(d['periods'])}` : '';
    title = d['trigger'] === 'admin' ? 'Reset (admin)' : `Reset (scheduled)${periods}`;
    const before = Object.entries((d['usageBefore'] ?? {}) as Record<string, number>)
      .map(([k, v]) => `${k} ${formatNumber(v)} → 0`)
      .join(', ');
    detail = before || 'nothing to zero';
  } else if (event.eventType === 'breach') {
    title = `Hard breach on ${event.dimension ?? '?'}`;
    detail = `${n('usageAfter')} would exceed ${n('hardLimit')}: refused`;
  } else {
    title = `Soft breach on ${event.dimension ?? '?'}`;
    detail = `${n('usageAfter')} is over the soft limit ${n('softLimit')}: applied`;
  }
  return h(
    'li',
    { class: `history-item ev-${event.eventType}`, testid: 'history-item', 'data-event-type': event.eventType },
    h('span', { class: 'history-title' }, title),
    h('span', { class: 'history-detail muted' }, detail),
    h('time', { class: 'history-time mono' }, formatTime(event.occurredAtMs)),
  );
}

function describeOutcome(outcome: UsageOutcome): string {
  switch (outcome.kind) {
    case 'ok':
      return 'OK: applied';
    case 'soft_breach':
      return `Soft breach: ${outcome.dimension} is at ${formatNumber(outcome.currentUsage)}, over the soft limit ${formatNumber(outcome.softLimit)} (applied)`;
    case 'hard_breach':
      return `Hard breach: ${outcome.dimension} would reach ${formatNumber(outcome.currentUsage)}, over the hard limit ${formatNumber(outcome.hardLimit)} (refused, nothing applied)`;
  }
}

function describeResult(result: ReportUsageResult): [string, 'ok' | 'warn' | 'bad' | 'info'] {
  if (result.kind === 'already_applied') return [`Already applied (same dedup key); first outcome: ${describeOutcome(result.original)}`, 'info'];
  return [describeOutcome(result), result.kind === 'ok' ? 'ok' : result.kind === 'soft_breach' ? 'warn' : 'bad'];
}
