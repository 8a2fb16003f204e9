/** The budgets panel's small truths: labels, stale outcomes, and a dimension that must have a name. */
import { expect, test } from './fixture-playground.js';

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

test('a dimension with limits but no name is refused, and so is a budget with no named dimension', async ({ page, pg }) => {
  await pg.createBudget('nameless', [{ name: '', soft: 5, hard: 10 }], 1, 'h');
  const banner = page.getByTestId('error-banner');
  await expect(banner).toContainText('validation.invalid_input');
  await expect(banner).toContainText('dimension 1 has limits but no name');
  await expect(pg.budgetCard('nameless')).toHaveCount(0);

  await pg.createBudget('nameless', [{ name: '' }], 1, 'h');
  await expect(banner).toContainText('at least one named dimension');
  await expect(pg.budgetCard('nameless')).toHaveCount(0);
});
