/**
 * The budgets panel: the "New budget" form and a card per budget. Each
 * refresh lists the budgets and reads only the history events newer than
 * the ones already held (newest first, one page), so a long history, or a
 * clock jump that wrote thousands of resets, costs one page per budget.
 */
import { html, type PropertyDeclarations } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { BudgetEvent, BudgetStatus } from '../../api/budgets.js';
import { DtElement } from '../base.js';
import { defineElement } from '../define.js';
import { panel } from '../ui/form-parts.js';
import './budget-card.js';
import './budget-form.js';

/** Budgets shown; the devtools are for a handful. */
const MAX_BUDGETS = 100;
/** History entries kept per budget, newest first. */
export const HISTORY_KEPT = 50;

interface History {
  /** Newest event id held, for incremental reads. */
  lastEventId: number;
  events: BudgetEvent[];
}

export class DtBudgetsPanel extends DtElement {
  static override properties: PropertyDeclarations = { budgets: { state: true } };
  declare budgets: BudgetStatus[] | null;
  private histories = new Map<string, History>();
  /** Bumped by clear(): a refresh that started on the old database must not fill the new cards. */
  private generation = 0;

  constructor() {
    super();
    this.budgets = null;
  }

  override async load(): Promise<void> {
    const generation = this.generation;
    const backend = this.store.backend;
    const { budgets } = await backend.listBudgets({ limit: MAX_BUDGETS });
    // Issued together, so they travel to the worker in one message.
    const pages = await Promise.all(
      budgets.map((b) => backend.listBudgetEvents({ budgetId: b.budgetId, afterEventId: this.histories.get(b.budgetId)?.lastEventId ?? 0, newestFirst: true, limit: HISTORY_KEPT })),
    );
    if (generation !== this.generation) return;
    const next = new Map<string, History>();
    budgets.forEach((b, i) => {
      const held = this.histories.get(b.budgetId) ?? { lastEventId: 0, events: [] };
      const fresh = pages[i]!.events;
      next.set(b.budgetId, fresh.length === 0 ? held : { lastEventId: fresh[0]!.eventId, events: [...fresh, ...held.events].slice(0, HISTORY_KEPT) });
    });
    // Budgets that are gone (none today: budgets are never deleted) drop their history with them.
    this.histories = next;
    this.budgets = budgets;
  }

  override clear(): void {
    this.generation++;
    this.histories = new Map();
    this.budgets = null;
    // Errors of the replaced database's budgets (and of the form) no longer describe anything on screen.
    for (const scope of [...this.store.errors.keys()]) if (scope.startsWith('budget')) this.store.clearError(scope);
  }

  override render(): unknown {
    const budgets = this.budgets ?? [];
    return panel(
      'budgets',
      'Budgets',
      'Usage counters with soft and hard limits that reset on a schedule. Report usage, watch the bars, then move the clock to see a reset.',
      html`<div class="budgets-layout">
        <ff-dt-budget-form .store=${this.store}></ff-dt-budget-form>
        <div class="budget-cards">
          ${this.budgets !== null && budgets.length === 0
            ? html`<div class="empty" data-testid="budgets-empty"><p>No budgets yet. Create one: a 1-hour reset, a soft and a hard limit. Then report usage and jump the clock to the reset.</p></div>`
            : ''}
          <div class="budget-list" data-testid="budget-list">
            ${repeat(
              budgets,
              (b) => b.budgetId,
              (b) => html`<ff-dt-budget-card .store=${this.store} .budget=${b} .history=${this.histories.get(b.budgetId)?.events ?? []}></ff-dt-budget-card>`,
            )}
          </div>
        </div>
      </div>`,
    );
  }
}
defineElement('ff-dt-budgets', DtBudgetsPanel);
