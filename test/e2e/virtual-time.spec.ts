/** Long jumps of virtual time in the playground: they cost the work they do, not the time they cover. */
import { expect, test } from './fixture-playground.js';

const DAY = 86_400_000;

test('+400 days on a 30-second budget: done at once, the next reset ahead, every period counted', async ({ page, pg, ffBackend }) => {
  await pg.createBudget('fast', [{ name: 'tokens', hard: 1000 }], 30, 's');
  const card = pg.budgetCard('fast');
  await pg.reportUsage(card, 'tokens', 250);
  await expect(pg.dimension(card, 'tokens').getByTestId('dim-usage')).toHaveText('250');

  const t0 = await ffBackend.now();
  await page.getByTestId('clock-advance-amount').fill('400');
  await page.getByTestId('clock-advance-unit').selectOption('day');
  await page.getByTestId('clock-advance-go').click();
  await expect(page.getByTestId('clock-now')).toHaveAttribute('data-now-ms', String(t0 + 400 * DAY));

  await expect(pg.dimension(card, 'tokens').getByTestId('dim-usage')).toHaveText('0');
  const status = (await ffBackend.call('getBudgetStatus', { budgetId: 'fast' })) as { nextResetAtMs: number; resetCount: number };
  expect(status.nextResetAtMs).toBeGreaterThan(t0 + 400 * DAY);
  expect(status.nextResetAtMs - (t0 + 400 * DAY)).toBeLessThanOrEqual(30_000);
  expect(status.resetCount).toBe((400 * DAY) / 30_000);
  await expect(card.getByTestId('next-reset')).toContainText('in ');
  // One history row for the reset that zeroed the usage; the idle periods wrote none.
  await expect(card.getByTestId('history-item').and(page.locator('[data-event-type="reset"]'))).toHaveCount(1);
});
