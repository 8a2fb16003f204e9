/**
 * The clock bar runs every advance in slices. With ?sliceTicks=1 each slice
 * runs one scanner tick, so an advance over five delayed executions takes
 * five slices: the progress line says so, the clock controls are off while
 * it runs and back on after, and nothing due is skipped.
 */
import { expect, test } from './fixture-playground.js';

const HOUR = 3_600_000;

test.use({ ffBackendOptions: { params: { play: '0', sliceTicks: '1' } } });

test('+1 day runs in one-tick slices with progress, then gives the controls back', async ({ page, pg, ffBackend }) => {
  const start = await ffBackend.now();
  await ffBackend.seed({ executions: [1, 2, 3, 4, 5].map((h) => ({ laneId: 'sliced', delayUntil: start + h * HOUR })) });
  await expect(pg.columnCount('delayed')).toHaveText('5');

  // Record every progress line the bar shows while the advance runs.
  await page.evaluate(() => {
    const w = window as unknown as { seen: string[] };
    w.seen = [];
    const text = document.querySelector('[data-testid="clock-progress-text"]')!;
    new MutationObserver(() => w.seen.push(text.textContent ?? '')).observe(text, { childList: true, characterData: true, subtree: true });
  });
  await page.getByTestId('clock-advance-1d').click();
  await expect(pg.columnCount('waiting')).toHaveText('5');
  await expect(page.getByTestId('clock-progress')).toBeHidden();
  await expect(page.getByTestId('clock-advance-1d')).toBeEnabled();
  expect(await ffBackend.now()).toBe(start + 24 * HOUR);
  const seen = await page.evaluate(() => (window as unknown as { seen: string[] }).seen);
  expect(seen.at(-1)).toMatch(/^100% · .* · 5 slices, 5 ticks$/);
  await expect(page.getByTestId('toast').last()).toContainText('delayed_promotion ×5');
});
