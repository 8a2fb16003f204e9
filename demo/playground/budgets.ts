/** The budgets panel: the create form and a card per budget. */
import type { App, Panel, View } from './app.js';
import { BudgetCard, HISTORY_KEPT } from './budget-card.js';
import { BudgetForm } from './budget-form.js';
import { h, panel, syncList } from './dom.js';
import { loadSample } from './sample.js';

/** Budgets shown; the playground is for a handful. */
const MAX_BUDGETS = 100;

export class BudgetsPanel implements Panel {
  readonly el: HTMLElement;
  private readonly cards = new Map<string, BudgetCard>();
  /** Bumped by clear(): a refresh that started on the old database must not fill the new cards. */
  private generation = 0;
  private readonly list = h('div', { class: 'budget-list', testid: 'budget-list' });
  private readonly empty = h(
    'div',
    { class: 'empty', testid: 'budgets-empty' },
    h('p', null, 'No budgets yet. Create one: a 1-hour reset, a soft and a hard limit. Then report usage and jump the clock to the reset.'),
    h('button', { type: 'button', testid: 'budgets-sample', onClick: () => void this.sample() }, 'Or load sample data'),
    h('span', { class: 'muted' }, ' (budgets, a quota policy, executions, a worker)'),
  );

  constructor(private readonly app: App) {
    this.el = panel(
      'budgets',
      'Budgets',
      'Usage counters with soft and hard limits that reset on a schedule. Report usage, watch the bars, then move the clock to see a reset.',
      h('div', { class: 'budgets-layout' }, new BudgetForm(app).el, h('div', { class: 'budget-cards' }, this.empty, this.list)),
    );
  }

  async refresh(view: View): Promise<void> {
    const generation = this.generation;
    const { budgets } = await this.app.backend.listBudgets({ limit: MAX_BUDGETS });
    // Issued together, so they travel to the worker in one message.
    const events = await Promise.all(
      budgets.map((b) =>
        this.app.backend.listBudgetEvents({ budgetId: b.budgetId, afterEventId: this.card(b.budgetId).lastEventId, newestFirst: true, limit: HISTORY_KEPT }),
      ),
    );
    if (generation !== this.generation) return;
    budgets.forEach((b, i) => this.card(b.budgetId).addEvents(events[i]!.events));
    syncList(
      this.list,
      budgets,
      (b) => b.budgetId,
      (b) => this.card(b.budgetId).el,
      (_el, b) => this.card(b.budgetId).update(b, view.now),
    );
    for (const id of this.cards.keys()) if (!budgets.some((b) => b.budgetId === id)) this.cards.delete(id);
    this.empty.hidden = budgets.length > 0;
  }

  private async sample(): Promise<void> {
    const message = await this.app.act('Loading sample data', () => loadSample(this.app.backend));
    if (message) this.app.notices.toast(message, 'ok');
  }

  clear(): void {
    this.generation++;
    this.cards.clear();
    this.list.replaceChildren();
  }

  private card(budgetId: string): BudgetCard {
    let card = this.cards.get(budgetId);
    if (!card) {
      card = new BudgetCard(this.app, budgetId);
      this.cards.set(budgetId, card);
    }
    return card;
  }
}
