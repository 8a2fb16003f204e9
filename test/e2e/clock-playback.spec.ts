/**
 * Clock playback belongs to the engine: two tabs of one database share one
 * play state, and time never runs faster than the rate when both press Play.
 */
import { expect, test } from './fixture-playground.js';

test('Play pressed in two tabs: time runs at 1×, and both tabs show the same state', async ({ page, context, ffBackend }) => {
  await expect(page.getByTestId('clock-state')).toHaveText('paused');
  const url = new URL(page.url());
  url.searchParams.set('play', '1');
  // Both tabs open with ?play=1: each one presses Play as it starts.
  const other = await context.newPage();
  await other.goto(url.toString());
  await page.goto(url.toString());
  await expect(page.getByTestId('clock-state')).toHaveText('playing — 1 s per second');
  await expect(other.getByTestId('clock-state')).toHaveText('playing — 1 s per second');

  const v0 = await ffBackend.now();
  const w0 = Date.now();
  await page.waitForTimeout(3_000);
  const v1 = await ffBackend.now();
  const w1 = Date.now();
  // Never faster than real time (a busy machine can only make it slower); one 250 ms step of slack.
  expect(v1 - v0).toBeGreaterThan(0);
  expect(v1 - v0).toBeLessThanOrEqual(w1 - w0 + 250);

  // Pausing in one tab pauses both.
  await other.getByTestId('clock-play').click();
  await expect(other.getByTestId('clock-state')).toHaveText('paused');
  await expect(page.getByTestId('clock-state')).toHaveText('paused');
  const paused = await ffBackend.now();
  await page.waitForTimeout(600);
  expect(await ffBackend.now()).toBe(paused);
  await other.close();
});
