/** Long jumps of virtual time in the playground: they cost the work they do, not the time they cover. */
import { expect, test } from './fixture-playground.js';

const DAY = 86_400_000;

test('+400 days on a 30-second budget: done at once, the next reset ahead, every period counted', async ({ page, ffBackend }) => {
  await ffBackend.seed({ budgets: [{ budgetId: 'fast', dimensions: [{ name: 'tokens', hardLimit: 1000 }], resetIntervalMs: 30_000 }] });
  await ffBackend.call('reportUsageAdmin', { budgetId: 'fast', usage: { tokens: 250 } });
  // The clock bar knows the budget's next reset.
  await expect(page.getByTestId('clock-next-reset-in')).toHaveText(/^\(in \d+s\)$/);

  const t0 = await ffBackend.now();
  await page.getByTestId('clock-advance-amount').fill('400');
  await page.getByTestId('clock-advance-unit').selectOption('day');
  await page.getByTestId('clock-advance-go').click();
  await expect(page.getByTestId('clock-now')).toHaveAttribute('data-now-ms', String(t0 + 400 * DAY));

  const status = (await ffBackend.call('getBudgetStatus', { budgetId: 'fast' })) as { nextResetAtMs: number; resetCount: number; usage: Record<string, number> };
  expect(status.nextResetAtMs).toBeGreaterThan(t0 + 400 * DAY);
  expect(status.nextResetAtMs - (t0 + 400 * DAY)).toBeLessThanOrEqual(30_000);
  expect(status.resetCount).toBe((400 * DAY) / 30_000);
  expect(status.usage['tokens'] ?? 0).toBe(0);
  await expect(page.getByTestId('clock-next-reset-in')).toHaveText(/^\(in \d+s\)$/);
  // One history row for the reset that zeroed the usage; the idle periods wrote none.
  const { events } = (await ffBackend.call('listBudgetEvents', { budgetId: 'fast' })) as { events: { eventType: string }[] };
  expect(events.filter((e) => e.eventType === 'reset')).toHaveLength(1);
});
