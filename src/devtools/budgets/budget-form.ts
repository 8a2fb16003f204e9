/**
 * The "New budget" form: an id, any number of dimension rows (name, soft
 * limit, hard limit) and a reset interval with its unit. A failed create
 * shows its error right under the form (scope `budget-form`).
 */
import { html, type PropertyDeclarations } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { CreateBudgetInput } from '../../api/budgets.js';
import { EngineError } from '../../api/errors.js';
import { DtElement } from '../base.js';
import { defineElement } from '../define.js';
import { formatInterval, formatTime } from '../format.js';
import { field } from '../ui/form-parts.js';

const UNITS: Record<string, number> = { s: 1_000, min: 60_000, h: 3_600_000, day: 86_400_000, never: 0 };
export const BUDGET_FORM_SCOPE = 'budget-form';

interface DimensionRow {
  /** Stable per row (testids dim-name-<key> …), so removing a row never renames the others. */
  key: number;
  name: string;
  soft: string;
  hard: string;
}

export class DtBudgetForm extends DtElement {
  static override properties: PropertyDeclarations = { rows: { state: true } };
  declare rows: DimensionRow[];
  private nextKey = 0;

  constructor() {
    super();
    this.rows = [];
    this.addRow('tokens', '800', '1000');
  }

  override render(): unknown {
    return html`<form class="card form budget-form" data-testid="budget-form" @submit=${(ev: Event) => void this.submit(ev)}>
      <h3>New budget</h3>
      <div class="row">
        ${field('Budget id', html`<input name="budgetId" value="tokens-hourly" required data-testid="budget-id" class="mono" autocomplete="off" />`)}
        ${field(
          'Resets every',
          html`<span class="inline">
            <input type="number" min="0" step="1" value="1" data-testid="reset-interval" aria-label="Reset interval" />
            <select data-testid="reset-unit" aria-label="Reset interval unit">
              ${Object.keys(UNITS).map((u) => html`<option value=${u} ?selected=${u === 'h'}>${u}</option>`)}
            </select>
          </span>`,
          'usage drops to 0 each interval',
        )}
      </div>
      <div class="dimension-head" aria-hidden="true"><span>Dimension</span><span>Soft limit</span><span>Hard limit</span><span></span></div>
      <div class="dimension-rows" data-testid="dimension-rows">${repeat(this.rows, (r) => r.key, (r, i) => this.rowTemplate(r, i))}</div>
      <div class="row actions">
        <button type="button" class="ghost" data-testid="add-dimension" @click=${() => this.addRow('', '', '')}>+ Add dimension</button>
        <button type="submit" class="primary" data-testid="budget-create">Create budget</button>
      </div>
      ${this.errorBox(BUDGET_FORM_SCOPE)}
      <p class="hint">Soft limit: a report above it is applied and flagged. Hard limit: a report that would go above it is refused. Blank or 0 = no limit.</p>
    </form>`;
  }

  private rowTemplate(row: DimensionRow, index: number): unknown {
    const set = (key: 'name' | 'soft' | 'hard') => (ev: Event) => (row[key] = (ev.target as HTMLInputElement).value);
    const n = index + 1;
    return html`<div class="dimension-row">
      <input .value=${row.name} placeholder="e.g. requests" data-testid="dim-name-${row.key}" aria-label="Dimension ${n} name" class="mono" autocomplete="off" @input=${set('name')} />
      <input type="number" min="0" step="1" .value=${row.soft} placeholder="none" data-testid="dim-soft-${row.key}" aria-label="Dimension ${n} soft limit" @input=${set('soft')} />
      <input type="number" min="0" step="1" .value=${row.hard} placeholder="none" data-testid="dim-hard-${row.key}" aria-label="Dimension ${n} hard limit" @input=${set('hard')} />
      <button type="button" class="ghost icon" data-testid="dim-remove-${row.key}" aria-label="Remove dimension ${n}" @click=${() => this.removeRow(row)}>✕</button>
    </div>`;
  }

  private addRow(name: string, soft: string, hard: string): void {
    const row = { key: this.nextKey++, name, soft, hard };
    this.rows = [...this.rows, row];
    if (name === '') void this.updateComplete.then(() => this.querySelector<HTMLInputElement>(`[data-testid="dim-name-${row.key}"]`)?.focus());
  }

  private removeRow(row: DimensionRow): void {
    this.rows = this.rows.filter((r) => r !== row);
  }

  /** The form as createBudget's input; the engine validates the rest. */
  private input(): CreateBudgetInput {
    const limit = (text: string): number | undefined => (text.trim() === '' ? undefined : Number(text));
    const dimensions = this.rows
      .filter((r) => r.name.trim() !== '')
      .map((r) => {
        const soft = limit(r.soft);
        const hard = limit(r.hard);
        return { name: r.name.trim(), ...(soft === undefined ? {} : { softLimit: soft }), ...(hard === undefined ? {} : { hardLimit: hard }) };
      });
    const everyText = this.querySelector<HTMLInputElement>('[data-testid="reset-interval"]')!.value.trim();
    const unit = this.querySelector<HTMLSelectElement>('[data-testid="reset-unit"]')!.value;
    const budgetId = this.querySelector<HTMLInputElement>('[data-testid="budget-id"]')!.value.trim();
    return { budgetId, dimensions, resetIntervalMs: (everyText === '' ? 0 : Number(everyText)) * UNITS[unit]! };
  }

  /** A row with limits but no name would silently vanish from the budget: refuse it, naming the row. */
  private unnamedRow(): EngineError | null {
    const at = this.rows.findIndex((r) => r.name.trim() === '' && (r.soft.trim() !== '' || r.hard.trim() !== ''));
    if (at >= 0) return new EngineError('validation.invalid_input', `dimensions.${at}.name: dimension ${at + 1} has limits but no name`, { field: `dimensions.${at}.name` });
    if (this.rows.every((r) => r.name.trim() === '')) return new EngineError('validation.invalid_input', 'dimensions: a budget needs at least one named dimension', { field: 'dimensions' });
    return null;
  }

  private async submit(ev: Event): Promise<void> {
    ev.preventDefault();
    const input = this.input();
    const result = await this.store.act(BUDGET_FORM_SCOPE, input.budgetId ? `Creating budget '${input.budgetId}'` : 'Creating a budget', () => {
      const unnamed = this.unnamedRow();
      return unnamed ? Promise.reject(unnamed) : this.store.backend.createBudget(input);
    });
    if (result?.kind === 'created') {
      const when = result.nextResetAtMs === null ? 'it never resets' : `resets every ${formatInterval(input.resetIntervalMs ?? 0)}, first at ${formatTime(result.nextResetAtMs)}`;
      this.store.toast(`Budget '${result.budgetId}' created: ${when}`, 'ok');
    } else if (result?.kind === 'already_satisfied') {
      this.store.toast(`Budget '${result.budgetId}' already exists; it was left unchanged`, 'warn');
    }
  }
}
defineElement('ff-dt-budget-form', DtBudgetForm);
