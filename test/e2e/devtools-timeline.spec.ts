/**
 * The event timeline, the why-waiting line and the per-execution history,
 * driven by clicks and typing; data is seeded through the backend handle.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import type { FfBackend } from '../../src/testing/playwright.js';
import { expect, test } from './fixture-playground.js';

const SHOTS = 'test/e2e/screenshots';
const WORKER = { workerId: 'w', workerInstanceId: 'w-1', leaseTtlMs: 30_000 };
const DATED = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/;

async function openTimeline(page: Page, exec?: string): Promise<void> {
  await page.evaluate((hash) => (location.hash = hash), exec ? `#/timeline?exec=${encodeURIComponent(exec)}` : '#/timeline');
  await expect(page.getByTestId('panel-timeline')).toBeVisible();
}

/** Run one execution to completion on lane `l`; returns its id. */
async function runOne(ff: FfBackend): Promise<string> {
  const { executionId } = await ff.call('createExecution', { laneId: 'l' });
  const handle = await ff.call('claim', { laneId: 'l', ...WORKER });
  await ff.call('completeExecution', { handle: handle! });
  return executionId;
}

test('the timeline is dated, ordered by engine time, filtered by channel, type and execution, and links to executions', async ({ page, ffBackend }) => {
  const done = await runOne(ffBackend);
  await ffBackend.advance(5_000);
  const { executionId: gone } = await ffBackend.call('createExecution', { laneId: 'l' });
  await ffBackend.call('cancelExecution', { executionId: gone, reason: 'not needed' });
  await page.getByTestId('nav-timeline').click();

  const items = page.getByTestId('timeline-item');
  await expect(items.and(page.locator('[data-channel="completion"]'))).toHaveCount(2);
  for (const time of await items.getByTestId('timeline-time').allTextContents()) expect(time).toMatch(DATED);
  const at = (await items.evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-at'))))) as number[];
  expect(at).toEqual([...at].sort((a, b) => b - a));
  // The newest first: the cancel came 5 s after the completion.
  await expect(items.first()).toContainText('cancelled');

  await page.getByTestId('timeline-filter-lease').uncheck();
  await expect(items.and(page.locator('[data-channel="lease"]'))).toHaveCount(0);
  await expect(items.and(page.locator('[data-channel="completion"]'))).toHaveCount(2);

  await page.getByTestId('timeline-filter-type').selectOption('cancelled');
  await expect(items).toHaveCount(2); // the operator's cancel and the completion event
  await page.getByTestId('timeline-filter-type').selectOption('');

  await page.getByTestId('timeline-filter-exec').fill(done.slice(-12));
  await expect(items).toHaveCount(1); // its completion (lease events are filtered out)
  await expect(items).toContainText('ended success');
  await page.screenshot({ path: `${SHOTS}/timeline.png`, fullPage: true });

  await items.first().getByTestId('timeline-item-link').click();
  await expect(page).toHaveURL(new RegExp(`exec=${encodeURIComponent(done).replace(/[{}]/g, '\\$&')}`));
  const why = page.getByTestId('exec-details').getByTestId('why-waiting');
  await expect(why).toHaveAttribute('data-reason', 'completed');
  await expect(why).toContainText('Completed at');
  await page.goBack();
  await expect(page.getByTestId('exec-details')).toHaveCount(0);
});

test('"load older events" pages older events in through the outbox cursors', async ({ page, ffBackend }) => {
  const ids: string[] = [];
  for (let i = 0; i < 70; i++) {
    const { executionId } = await ffBackend.call('createExecution', { laneId: 'l' });
    await ffBackend.call('cancelExecution', { executionId, reason: `r${i}` });
    await ffBackend.advance(1_000);
    ids.push(executionId);
  }
  // A fresh page starts from the newest 50 events of each outbox.
  await ffBackend.reload();
  await openTimeline(page);
  const operator = page.getByTestId('timeline-item').and(page.locator('[data-channel="operator"]'));
  await expect(operator).toHaveCount(50);
  const firstId = ids[0]!;
  await page.getByTestId('timeline-filter-exec').fill(firstId);
  await expect(page.getByTestId('timeline-item')).toHaveCount(0);
  await page.getByTestId('timeline-filter-exec').fill('');

  await page.getByTestId('timeline-load-more').click();
  await expect(operator).toHaveCount(70);
  await expect(page.getByTestId('timeline-load-more')).toBeDisabled();
  await expect(page.getByTestId('timeline-horizon')).toContainText('everything kept');
  // The oldest events are now there, last in the list.
  await expect(operator.last()).toContainText('operator cancelled');
  await page.getByTestId('timeline-filter-exec').fill(firstId);
  await expect(page.getByTestId('timeline-item')).toHaveCount(2);
});

test('why is it waiting: upstreams (as links), no worker on the lane, a paused clock, delayed until T', async ({ page, ffBackend }) => {
  const { flowId } = await ffBackend.call('createFlow', {});
  const up = await ffBackend.call('createExecution', { laneId: 'emails', flowId });
  const down = await ffBackend.call('createExecution', { laneId: 'emails', flowId });
  const staged = await ffBackend.call('stageDependencyEdge', {
    flowId,
    upstreamExecutionId: up.executionId,
    downstreamExecutionId: down.executionId,
    expectedGraphRevision: down.kind === 'created' ? down.graphRevision! : -1,
  });
  await ffBackend.call('applyDependencyToChild', { flowId, edgeId: staged.edgeId });

  await openTimeline(page, down.executionId);
  const why = page.getByTestId('exec-details').getByTestId('why-waiting');
  await expect(why).toHaveAttribute('data-reason', 'waiting_on_upstreams');
  await expect(why).toContainText(`Waiting on its upstream ${up.executionId} in flow ${flowId}.`);
  await why.screenshot({ path: `${SHOTS}/why-waiting.png` });

  await why.getByTestId('why-upstream').click();
  await expect(why).toHaveAttribute('data-reason', 'no_worker');
  await expect(why).toContainText('no worker polls lane emails: no live registered worker lists it');
  await ffBackend.call('registerWorker', { workerId: 'mailer', workerInstanceId: 'mailer-1', lanes: ['emails'], capabilities: [], livenessTtlMs: 3_600_000 });
  await expect(why).toHaveAttribute('data-reason', 'waiting_for_worker');
  await expect(why).toContainText('registered worker mailer-1 polls lane emails');

  const now = await ffBackend.now();
  const later = await ffBackend.call('createExecution', { laneId: 'l', delayUntil: now + 3_600_000 });
  await openTimeline(page, later.executionId);
  await expect(why).toHaveAttribute('data-reason', 'clock_paused');
  await expect(why).toContainText('the virtual clock is paused');
  await ffBackend.call('playClock', { rate: 1 });
  try {
    await expect(why).toHaveAttribute('data-reason', 'delayed');
    await expect(why.getByTestId('why-waiting-sentence')).toHaveText(/^Delayed until \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC \(in 59m \d\ds\)\.$/);
  } finally {
    await ffBackend.call('pauseClock');
  }
});

test('the history draws attempts, the backoff between them and lease ticks, and dates every event', async ({ page, ffBackend }) => {
  const { executionId } = await ffBackend.call('createExecution', { laneId: 'l', retryPolicy: { maxRetries: 2, backoff: { type: 'fixed', delayMs: 20_000 } } });
  await ffBackend.advance(2_000);
  const first = await ffBackend.call('claim', { laneId: 'l', ...WORKER });
  await ffBackend.advance(3_000);
  await ffBackend.call('renewLease', { handle: first! });
  await ffBackend.advance(3_000);
  await ffBackend.call('failExecution', { handle: first!, reason: 'flaky' });
  await ffBackend.advance(25_000);
  const second = await ffBackend.call('claim', { laneId: 'l', ...WORKER });
  await ffBackend.advance(4_000);

  await openTimeline(page, executionId);
  const history = page.getByTestId('exec-details').getByTestId('execution-history');
  await expect(history).toHaveAttribute('data-loaded', 'true');
  const bars = history.getByTestId('history-bar');
  await expect(bars.and(page.locator('[data-kind="attempt"]'))).toHaveCount(2);
  const backoff = bars.and(page.locator('[data-kind="backoff"]'));
  await expect(backoff).toHaveCount(1);
  // The policy's 20 s of backoff, then 5 s waiting for the claim; and 2 s before the first claim.
  const span = async (bar: typeof backoff) => Number(await bar.getAttribute('data-to')) - Number(await bar.getAttribute('data-from'));
  expect(await span(backoff)).toBe(20_000);
  const waits = bars.and(page.locator('[data-kind="wait"]'));
  await expect(waits).toHaveCount(2);
  expect([await span(waits.first()), await span(waits.last())]).toEqual([2_000, 5_000]);
  await expect(bars.and(page.locator('[data-kind="attempt"]')).last()).toContainText('running');
  await expect(history.getByTestId('history-marker').and(page.locator('[data-kind="renewal"]'))).toHaveCount(1);
  await expect(history.getByTestId('history-marker').and(page.locator('[data-kind="lease-expiry"]'))).toHaveCount(1);
  const events = history.getByTestId('history-event');
  await expect(events.and(page.locator('[data-channel="lease"]'))).toHaveCount(4); // acquired, renewed, released, acquired
  for (const time of await events.locator('time').allTextContents()) expect(time).toMatch(DATED);
  await ffBackend.call('completeExecution', { handle: second! });
  await expect(bars.and(page.locator('[data-kind="attempt"]')).last()).toContainText('success');
  await history.screenshot({ path: `${SHOTS}/execution-history.png` });

  // The timeline with the drawer open has no serious accessibility violation.
  const axe = await new AxeBuilder({ page }).include({ fromShadowDom: ['ff-devtools', '.panel-timeline'] }).analyze();
  const serious = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
});
