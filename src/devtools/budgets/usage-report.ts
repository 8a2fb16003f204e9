/**
 * A budget card's "report usage" form and the line that says what the last
 * report did. The line belongs to the report that made it: it is cleared
 * when a new report starts, when one fails (its error shows beside the form
 * instead), and once a reset has cleared the period it described.
 */
import { html, type PropertyDeclarations } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { ReportUsageResult } from '../../api/budgets.js';
import { DtElement } from '../base.js';
import { defineElement } from '../define.js';
import { reportText, type Tone } from './budget-text.js';
import { field, valueOf } from '../ui/form-parts.js';

interface ShownResult {
  kind: ReportUsageResult['kind'];
  text: string;
  tone: Tone;
  /** The budget's reset count when the report was made. */
  resetCount: number;
}

export class DtUsageReport extends DtElement {
  static override properties: PropertyDeclarations = {
    budgetId: {},
    dimensions: { attribute: false },
    resetCount: { attribute: false },
    result: { state: true },
  };
  declare budgetId: string;
  declare dimensions: string[];
  declare resetCount: number;
  declare result: ShownResult | null;

  constructor() {
    super();
    this.budgetId = '';
    this.dimensions = [];
    this.resetCount = 0;
    this.result = null;
  }

  get scope(): string {
    return `budget:${this.budgetId}:report`;
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    super.willUpdate(changed);
    // A report's outcome describes the period it was made in: once a reset has cleared it, it leaves the card.
    if (this.result && this.result.resetCount !== this.resetCount) this.result = null;
  }

  override render(): unknown {
    const r = this.result;
    return html`<form class="report-form" data-testid="report-form" @submit=${(ev: Event) => void this.report(ev)}>
        ${field('Dimension', html`<select data-testid="report-dimension" aria-label="Dimension">${this.dimensions.map((d) => html`<option value=${d}>${d}</option>`)}</select>`)}
        ${field('Amount', html`<input type="number" min="0" step="1" value="100" required data-testid="report-amount" aria-label="Amount" />`)}
        ${field('Dedup key', html`<input placeholder="optional" data-testid="report-dedup" class="mono" aria-label="Dedup key" autocomplete="off" />`)}
        <button type="submit" class="primary" data-testid="report-submit">Report usage</button>
      </form>
      ${this.errorBox(this.scope)}
      <output class="result ${r ? `tone-${r.tone}` : ''}" data-testid="report-result" data-kind=${ifDefined(r?.kind)} aria-live="polite">${r?.text ?? ''}</output>`;
  }

  private async report(ev: Event): Promise<void> {
    ev.preventDefault();
    const dimension = valueOf(this, '[data-testid="report-dimension"]');
    const amount = Number(valueOf(this, '[data-testid="report-amount"]'));
    const dedupKey = valueOf(this, '[data-testid="report-dedup"]');
    const budgetId = this.budgetId;
    const resetCount = this.resetCount;
    // The previous outcome is gone as soon as a new report starts, so a failure never sits under an old success.
    this.result = null;
    const result = await this.store.act(this.scope, `Reporting usage to '${budgetId}'`, () =>
      this.store.backend.reportUsageAdmin({ budgetId, usage: { [dimension]: amount }, ...(dedupKey ? { dedupKey } : {}) }),
    );
    if (!result) return;
    this.result = { kind: result.kind, ...reportText(result), resetCount };
  }
}
defineElement('ff-dt-usage-report', DtUsageReport);
