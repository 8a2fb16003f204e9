/**
 * The budgets panel's small truths: labels, stale outcomes, a dimension that
 * must have a name, errors beside the form that caused them, long ids that
 * wrap, and a history dated on the engine clock.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixture-playground.js';

const HOUR = 3_600_000;
const SHOTS = 'test/e2e/screenshots';

test('a breach outcome leaves the card once the reset that cleared it has run; counters say what they count', async ({ pg, ffBackend }) => {
  await pg.createBudget('tokens-daily', [{ name: 'tokens', soft: 5, hard: 10 }], 1, 'h');
  const card = pg.budgetCard('tokens-daily');
  await expect(card).toBeVisible();
  await expect(card.getByText('Breaches (all time)', { exact: true })).toBeVisible();
  await expect(card.getByText('Last breach (this period)')).toBeVisible();

  await pg.reportUsage(card, 'tokens', 12);
  await expect(card.getByTestId('report-result')).toHaveAttribute('data-kind', 'hard_breach');
  await ffBackend.clock.toNext('budget_reset');
  await expect(card.getByTestId('reset-count')).toHaveText('1');
  await expect(card.getByTestId('report-result')).toHaveText('');
  await expect(card.getByTestId('report-result')).not.toHaveAttribute('data-kind', /.+/);
  // The lifetime counter keeps the breach; the period's last breach is gone.
  await expect(card.getByTestId('breach-count')).toHaveText('1');
  await expect(card.getByTestId('last-breach')).toHaveText('none this period');
});

test('a dimension with limits but no name is refused beside the form, and so is a budget with no named dimension', async ({ page, pg }) => {
  await pg.createBudget('nameless', [{ name: '', soft: 5, hard: 10 }], 1, 'h');
  const error = page.getByTestId('budget-form').getByTestId('inline-error');
  await expect(error).toHaveAttribute('data-code', 'validation.invalid_input');
  await expect(error).toContainText('dimension 1 has limits but no name');
  await expect(page.getByTestId('error-banner')).toBeHidden();
  await expect(pg.budgetCard('nameless')).toHaveCount(0);

  await pg.createBudget('nameless', [{ name: '' }], 1, 'h');
  await expect(error).toContainText('at least one named dimension');
  await expect(pg.budgetCard('nameless')).toHaveCount(0);
  // The next create that works clears the form's error.
  await pg.createBudget('named', [{ name: 'tokens', hard: 10 }], 1, 'h');
  await expect(pg.budgetCard('named')).toBeVisible();
  await expect(error).toHaveCount(0);
});

test("a failed report shows its error inside the card and clears the card's previous result", async ({ page, pg, ffBackend }) => {
  await ffBackend.seed({ budgets: [{ budgetId: 'b1', dimensions: [{ name: 'tokens', softLimit: 50, hardLimit: 100 }], resetIntervalMs: HOUR }, { budgetId: 'b2', dimensions: [{ name: 'tokens' }] }] });
  const card = pg.budgetCard('b1');
  const other = pg.budgetCard('b2');
  await pg.reportUsage(card, 'tokens', 60);
  const result = card.getByTestId('report-result');
  await expect(result).toHaveAttribute('data-kind', 'soft_breach');

  // A dedup key longer than 256 characters is refused by the engine: the old "soft breach" line must go.
  await pg.reportUsage(card, 'tokens', 5, 'k'.repeat(300));
  const error = card.getByTestId('inline-error');
  await expect(error).toHaveAttribute('data-code', 'validation.invalid_input');
  await expect(error.getByTestId('error-message')).toContainText('dedupKey');
  await expect(result).toHaveText('');
  await expect(result).not.toHaveAttribute('data-kind', /.+/);
  // Only the card that failed shows it, and nothing was applied.
  await expect(other.getByTestId('inline-error')).toHaveCount(0);
  await expect(page.getByTestId('error-banner')).toBeHidden();
  await expect(pg.dimension(card, 'tokens').getByTestId('dim-usage')).toHaveText('60');

  // The error can be dismissed; a report that works replaces it with its outcome.
  await error.getByTestId('error-dismiss').click();
  await expect(error).toHaveCount(0);
  await pg.reportUsage(card, 'tokens', 5, 'k'.repeat(300));
  await expect(card.getByTestId('inline-error')).toBeVisible();
  await pg.reportUsage(card, 'tokens', 5);
  await expect(card.getByTestId('inline-error')).toHaveCount(0);
  await expect(result).toHaveAttribute('data-kind', 'soft_breach');
  await expect(pg.dimension(card, 'tokens').getByTestId('dim-usage')).toHaveText('65');
});

test('long ids and long errors wrap: the page never grows wider than the window', async ({ page, pg }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  const fits = async (): Promise<void> => {
    expect(await pastRightEdge(page), 'elements past the right edge of the window').toEqual([]);
    const [scrollWidth, windowWidth] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    expect(scrollWidth).toBeLessThanOrEqual(windowWidth);
  };

  // 300 characters: over the 256 limit, refused; the error (which quotes the id) wraps beside the form.
  await pg.createBudget('x'.repeat(300), [{ name: 'tokens', hard: 10 }], 1, 'h');
  const error = page.getByTestId('budget-form').getByTestId('inline-error');
  await expect(error).toHaveAttribute('data-code', 'validation.invalid_input');
  await fits();
  const box = await error.boundingBox();
  expect(box!.x + box!.width).toBeLessThanOrEqual(1280);
  await expect(error.getByTestId('error-dismiss')).toBeInViewport();

  // 256 characters: created; its card, its history and its report error all wrap.
  const id = 'y'.repeat(256);
  await pg.createBudget(id, [{ name: 'tokens', soft: 5, hard: 10 }], 1, 'h');
  const card = pg.budgetCard(id);
  await expect(card).toBeVisible();
  await pg.reportUsage(card, 'tokens', 20);
  await expect(card.getByTestId('history-item')).toHaveCount(1);
  await pg.reportUsage(card, 'tokens', 1, 'z'.repeat(300));
  await expect(card.getByTestId('inline-error')).toBeVisible();
  await fits();
  await expect(card.getByTestId('budget-reset')).toBeInViewport();
});

test('the reset history is dated on the engine clock, newest first', async ({ page, pg, ffBackend }) => {
  await ffBackend.seed({ budgets: [{ budgetId: 'dated', dimensions: [{ name: 'tokens', softLimit: 5, hardLimit: 10 }], resetIntervalMs: HOUR }] });
  const card = pg.budgetCard('dated');
  await pg.reportUsage(card, 'tokens', 7);
  await expect(card.getByTestId('history-item')).toHaveCount(1);
  const breachAt = await ffBackend.now();
  // Far from the wall clock: two days of virtual time, so a date taken from Date.now() would show.
  await ffBackend.advance(2 * 24 * HOUR + 5 * 60_000);
  await card.getByTestId('budget-reset').click();
  const items = card.getByTestId('history-item');
  await expect(items.first()).toContainText('Reset (admin)');
  const resetAt = await ffBackend.now();
  await expect(items.first().getByTestId('history-time')).toHaveAttribute('datetime', new Date(resetAt).toISOString());
  await expect(items.last()).toHaveAttribute('data-event-type', 'soft_breach');
  await expect(items.last().getByTestId('history-time')).toHaveAttribute('datetime', new Date(breachAt).toISOString());
  const shown = await page.evaluate((at) => {
    const d = new Date(at);
    const p = (n: number): string => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
  }, resetAt);
  await expect(items.first().getByTestId('history-time')).toHaveText(shown);
});

test('screenshot: the budgets panel with a breached card and its history', async ({ page, pg, ffBackend }) => {
  await page.setViewportSize({ width: 1440, height: 1400 });
  await ffBackend.seed({
    budgets: [
      { budgetId: 'tokens-hourly', dimensions: [{ name: 'tokens', softLimit: 800, hardLimit: 1_000 }, { name: 'requests', hardLimit: 50 }], resetIntervalMs: HOUR },
      { budgetId: 'emails-daily', dimensions: [{ name: 'emails', softLimit: 80, hardLimit: 100 }], resetIntervalMs: 24 * HOUR },
    ],
  });
  const card = pg.budgetCard('tokens-hourly');
  await pg.reportUsage(card, 'tokens', 400);
  await pg.reportUsage(card, 'tokens', 500);
  await pg.reportUsage(card, 'tokens', 200);
  await expect(card.getByTestId('breach-count')).toHaveText('1');
  await pg.reportUsage(card, 'requests', 12);
  await expect(card.getByTestId('report-result')).toHaveAttribute('data-kind', 'ok');
  await page.getByTestId('panel-budgets').screenshot({ path: `${SHOTS}/budgets.png` });
});

/** Every element, shadow roots included, whose right edge is past the window's: what widened the page. */
function pastRightEdge(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const walk = (root: ParentNode): void => {
      for (const el of Array.from(root.querySelectorAll('*'))) {
        if (el.getBoundingClientRect().right > innerWidth + 1) out.push(`${el.tagName.toLowerCase()}.${el.className} [${el.getAttribute('data-testid') ?? ''}]`);
        if (el.shadowRoot) walk(el.shadowRoot);
      }
    };
    walk(document);
    return out;
  });
}
