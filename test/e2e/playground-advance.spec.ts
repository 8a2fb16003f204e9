/**
 * The clock bar runs every advance in slices. With ?sliceTicks=1 each slice
 * runs one scanner tick, so an advance over five delayed executions takes
 * five slices: the progress line says so, the clock controls are off while
 * it runs and back on after, and nothing due is skipped.
 */
import { expect, test } from './fixture-playground.js';

const HOUR = 3_600_000;

test.use({ ffBackendOptions: { params: { play: '0', sliceTicks: '1' } } });

test('+1 day runs in one-tick slices with progress, then gives the controls back', async ({ page, ffBackend }) => {
  const start = await ffBackend.now();
  await ffBackend.seed({ executions: [1, 2, 3, 4, 5].map((h) => ({ laneId: 'sliced', delayUntil: start + h * HOUR })) });
  const lane = async (): Promise<Record<string, number>> => {
    const { lanes } = (await ffBackend.call('listLanes', {})) as { lanes: { laneId: string; counts: Record<string, number> }[] };
    return lanes.find((l) => l.laneId === 'sliced')?.counts ?? {};
  };
  expect(await lane()).toEqual({ delayed: 5 });
  await expect(page.getByTestId('clock-progress')).toBeHidden();

  // Record every progress line the bar shows while the advance runs (the bar sits in <ff-devtools>' shadow root),
  // and whether the controls were off at each one.
  await page.evaluate(() => {
    const w = window as unknown as { seen: string[]; off: boolean[] };
    w.seen = [];
    w.off = [];
    const root = document.querySelector('ff-devtools')!.shadowRoot!;
    const text = root.querySelector('[data-testid="clock-progress-text"]')!;
    new MutationObserver(() => {
      w.seen.push(text.textContent ?? '');
      w.off.push(root.querySelector<HTMLButtonElement>('[data-testid="clock-advance-1h"]')!.disabled);
    }).observe(text, { childList: true, characterData: true, subtree: true });
  });
  await page.getByTestId('clock-advance-1d').click();
  await expect.poll(() => ffBackend.now()).toBe(start + 24 * HOUR);
  await expect(page.getByTestId('clock-progress')).toBeHidden();
  await expect(page.getByTestId('clock-advance-1d')).toBeEnabled();
  expect(await lane()).toEqual({ waiting: 5 });
  const { seen, off } = await page.evaluate(() => {
    const w = window as unknown as { seen: string[]; off: boolean[] };
    return { seen: w.seen, off: w.off };
  });
  expect(seen[0]).toBe('starting…');
  expect(seen.at(-1)).toMatch(/^100% · .* · 5 slices, 5 ticks$/);
  expect(off.every(Boolean)).toBe(true);
  await expect(page.getByTestId('toast').last()).toContainText('delayed_promotion ×5');
  await expect(page.getByTestId('clock-now')).toHaveAttribute('data-now-ms', String(start + 24 * HOUR));
});

test('Cancel stops an advance at a slice boundary: the clock stands where the work did, nothing due is skipped', async ({ page, ffBackend }) => {
  const start = await ffBackend.now();
  // One execution due every 86 virtual seconds over the day: with one tick per slice, far more slices than a click takes.
  const count = 1_000;
  const every = 86_000;
  await ffBackend.seed({ executions: Array.from({ length: count }, (_, i) => ({ laneId: 'cancel', delayUntil: start + (i + 1) * every })) });
  await page.getByTestId('clock-advance-1d').click();
  await expect(page.getByTestId('clock-progress-text')).toContainText('slices');
  await page.getByTestId('clock-advance-cancel').click();
  await expect(page.getByTestId('clock-progress')).toBeHidden();
  await expect(page.getByTestId('toast').last()).toContainText('cancelled at');
  await expect(page.getByTestId('clock-advance-1d')).toBeEnabled();

  const now = await ffBackend.now();
  expect(now).toBeGreaterThan(start);
  expect(now).toBeLessThan(start + 24 * HOUR);
  await expect(page.getByTestId('clock-now')).toHaveAttribute('data-now-ms', String(now));
  // Every execution due by the clock's reading was promoted; every later one still waits for its time.
  const { lanes } = (await ffBackend.call('listLanes', {})) as { lanes: { laneId: string; counts: Record<string, number> }[] };
  const due = Math.floor((now - start) / every);
  const counts = lanes.find((l) => l.laneId === 'cancel')?.counts ?? {};
  expect(due).toBeGreaterThan(0);
  expect(due).toBeLessThan(count);
  expect([counts['waiting'], counts['delayed']]).toEqual([due, count - due]);
});
