/**
 * The "create a budget" form: an id, any number of dimension rows (name,
 * soft limit, hard limit), and a reset interval with its unit.
 */
import { EngineError, type CreateBudgetInput } from '../../src/index.js';
import type { App } from './app.js';
import { field, h } from './dom.js';
import { formatInterval, formatTime } from './format.js';

const UNITS: Record<string, number> = { s: 1_000, min: 60_000, h: 3_600_000, day: 86_400_000, never: 0 };

interface DimensionRow {
  el: HTMLElement;
  name: HTMLInputElement;
  soft: HTMLInputElement;
  hard: HTMLInputElement;
}

export class BudgetForm {
  readonly el: HTMLFormElement;
  private readonly rows: DimensionRow[] = [];
  private readonly rowsEl = h('div', { class: 'dimension-rows', testid: 'dimension-rows' });
  private readonly id = h('input', { name: 'budgetId', value: 'tokens-hourly', required: true, testid: 'budget-id', class: 'mono', autocomplete: 'off' });
  private readonly every = h('input', { type: 'number', min: '0', step: '1', value: '1', testid: 'reset-interval', 'aria-label': 'Reset interval' });
  private readonly unit = h(
    'select',
    { testid: 'reset-unit', 'aria-label': 'Reset interval unit' },
    Object.keys(UNITS).map((u) => h('option', { value: u, selected: u === 'h' }, u)),
  );
  private nextRowId = 0;

  constructor(private readonly app: App) {
    this.addRow('tokens', '800', '1000');
    this.el = h(
      'form',
      { class: 'card form budget-form', testid: 'budget-form', onSubmit: (ev: Event) => void this.submit(ev) },
      h('h3', null, 'New budget'),
      h('div', { class: 'row' }, field('Budget id', this.id), field('Resets every', h('span', { class: 'inline' }, this.every, this.unit), 'usage drops to 0 each interval')),
      h('div', { class: 'dimension-head' }, h('span', null, 'Dimension'), h('span', null, 'Soft limit'), h('span', null, 'Hard limit'), h('span')),
      this.rowsEl,
      h(
        'div',
        { class: 'row actions' },
        h('button', { type: 'button', class: 'ghost', testid: 'add-dimension', onClick: () => this.addRow('', '', '') }, '+ Add dimension'),
        h('button', { type: 'submit', class: 'primary', testid: 'budget-create' }, 'Create budget'),
      ),
      h('p', { class: 'hint' }, 'Soft limit: a report above it is applied and flagged. Hard limit: a report that would go above it is refused. Blank or 0 = no limit.'),
    );
  }

  private addRow(name: string, soft: string, hard: string): void {
    const i = this.nextRowId++;
    const row: DimensionRow = {
      name: h('input', { value: name, placeholder: 'e.g. requests', testid: `dim-name-${i}`, 'aria-label': `Dimension ${i + 1} name`, class: 'mono', autocomplete: 'off' }),
      soft: h('input', { type: 'number', min: '0', step: '1', value: soft, placeholder: 'none', testid: `dim-soft-${i}`, 'aria-label': `Dimension ${i + 1} soft limit` }),
      hard: h('input', { type: 'number', min: '0', step: '1', value: hard, placeholder: 'none', testid: `dim-hard-${i}`, 'aria-label': `Dimension ${i + 1} hard limit` }),
      el: h('div', { class: 'dimension-row' }),
    };
    const remove = h('button', { type: 'button', class: 'ghost icon', testid: `dim-remove-${i}`, 'aria-label': `Remove dimension ${i + 1}`, onClick: () => this.removeRow(row) }, '✕');
    row.el.append(row.name, row.soft, row.hard, remove);
    this.rows.push(row);
    this.rowsEl.append(row.el);
    if (name === '') row.name.focus();
  }

  private removeRow(row: DimensionRow): void {
    this.rows.splice(this.rows.indexOf(row), 1);
    row.el.remove();
  }

  /** The form as createBudget's input; the engine validates it (errors go to the banner). */
  private input(): CreateBudgetInput {
    const limit = (input: HTMLInputElement): number | undefined => (input.value.trim() === '' ? undefined : Number(input.value));
    const dimensions = this.rows
      .filter((r) => r.name.value.trim() !== '')
      .map((r) => {
        const soft = limit(r.soft);
        const hard = limit(r.hard);
        return { name: r.name.value.trim(), ...(soft === undefined ? {} : { softLimit: soft }), ...(hard === undefined ? {} : { hardLimit: hard }) };
      });
    const every = this.every.value.trim() === '' ? 0 : Number(this.every.value);
    return { budgetId: this.id.value.trim(), dimensions, resetIntervalMs: every * UNITS[this.unit.value]! };
  }

  /** A row with limits but no name would silently vanish from the budget: refuse it, naming the row. */
  private unnamedRow(): EngineError | null {
    const at = this.rows.findIndex((r) => r.name.value.trim() === '' && (r.soft.value.trim() !== '' || r.hard.value.trim() !== ''));
    if (at >= 0) return new EngineError('validation.invalid_input', `dimensions.${at}.name: dimension ${at + 1} has limits but no name`, { field: `dimensions.${at}.name` });
    if (this.rows.every((r) => r.name.value.trim() === '')) return new EngineError('validation.invalid_input', 'dimensions: a budget needs at least one named dimension', { field: 'dimensions' });
    return null;
  }

  private async submit(ev: Event): Promise<void> {
    ev.preventDefault();
    const unnamed = this.unnamedRow();
    if (unnamed) {
      this.app.notices.error(unnamed, 'Creating a budget');
      return;
    }
    const input = this.input();
    const result = await this.app.act(`Creating budget '${input.budgetId}'`, () => this.app.backend.createBudget(input));
    if (result?.kind === 'created') {
      const when = result.nextResetAtMs === null ? 'it never resets' : `resets every ${formatInterval(input.resetIntervalMs ?? 0)}, first at ${formatTime(result.nextResetAtMs)}`;
      this.app.notices.toast(`Budget '${result.budgetId}' created: ${when}`, 'ok');
    } else if (result?.kind === 'already_satisfied') {
      this.app.notices.toast(`Budget '${result.budgetId}' already exists; it was left unchanged`, 'warn');
    }
  }
}
