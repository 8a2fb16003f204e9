/**
 * Our e2e tests drive the built playground with the package's own
 * Playwright fixture (src/testing/playwright.ts): each test gets its own
 * database, a typed `ffBackend` handle and a reset at the end. On top of it,
 * `pg` is a small page object for doing what a person does in the UI, and
 * every uncaught page error fails the test.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, test as ffTest } from '../../src/testing/playwright.js';

export { expect };

export interface DimensionSpec {
  name: string;
  soft?: number;
  hard?: number;
}

export class Playground {
  constructor(readonly page: Page) {}

  budgetCard(budgetId: string): Locator {
    return this.page.locator(`[data-testid="budget-card"][data-budget-id="${budgetId}"]`);
  }

  dimension(card: Locator, name: string): Locator {
    return card.locator(`[data-testid="budget-dim"][data-dimension="${name}"]`);
  }

  column(state: string): Locator {
    return this.page.getByTestId(`column-${state}`);
  }

  columnCount(state: string): Locator {
    return this.column(state).getByTestId('column-count');
  }

  /** Fill the "New budget" form the way a person would, and submit it. */
  async createBudget(budgetId: string, dimensions: DimensionSpec[], every: number, unit: 's' | 'min' | 'h' | 'day' | 'never'): Promise<void> {
    const form = this.page.getByTestId('budget-form');
    await form.getByTestId('budget-id').fill(budgetId);
    await form.getByTestId('reset-interval').fill(String(every));
    await form.getByTestId('reset-unit').selectOption(unit);
    // The form starts with one row (index 0); more rows get the next indexes.
    for (let i = 0; i < dimensions.length; i++) {
      if (i > 0) await form.getByTestId('add-dimension').click();
      const d = dimensions[i]!;
      await form.getByTestId(`dim-name-${i}`).fill(d.name);
      await form.getByTestId(`dim-soft-${i}`).fill(d.soft === undefined ? '' : String(d.soft));
      await form.getByTestId(`dim-hard-${i}`).fill(d.hard === undefined ? '' : String(d.hard));
    }
    await form.getByTestId('budget-create').click();
  }

  /** Fill the worker registry's form and register; resolves to the instance's row. */
  async registerWorker(w: { workerId: string; instanceId: string; lanes: string; capabilities?: string; ttlS: number }): Promise<Locator> {
    await this.page.getByTestId('reg-worker-id').fill(w.workerId);
    await this.page.getByTestId('reg-instance-id').fill(w.instanceId);
    await this.page.getByTestId('reg-lanes').fill(w.lanes);
    if (w.capabilities !== undefined) await this.page.getByTestId('reg-capabilities').fill(w.capabilities);
    await this.page.getByTestId('reg-ttl').fill(String(w.ttlS));
    await this.page.getByTestId('reg-submit').click();
    return this.page.locator(`[data-testid="worker-row"][data-instance-id="${w.instanceId}"]`);
  }

  async reportUsage(card: Locator, dimension: string, amount: number, dedupKey?: string): Promise<void> {
    await card.getByTestId('report-dimension').selectOption(dimension);
    await card.getByTestId('report-amount').fill(String(amount));
    await card.getByTestId('report-dedup').fill(dedupKey ?? '');
    await card.getByTestId('report-submit').click();
  }
}

export const test = ffTest.extend<{ pg: Playground; pageErrors: string[] }>({
  // Virtual time starts paused in our tests: nothing moves unless a test moves it.
  ffBackendOptions: { params: { play: '0' } },
  // Automatic, so it listens before the fixture opens the app.
  pageErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(err.message));
      await use(errors);
      expect(errors, 'uncaught errors in the page').toEqual([]);
    },
    { auto: true },
  ],
  pg: async ({ page, ffBackend }, use) => {
    void ffBackend; // opened first
    await use(new Playground(page));
  },
});
