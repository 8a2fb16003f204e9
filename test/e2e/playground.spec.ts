/**
 * The playground (demo/index.html, built), driven as a person would: real
 * clicks and typing for the scenario, the ffBackend fixture only where a
 * person could not reasonably act (reading the exact engine time, seeding).
 */
import { readFile } from 'node:fs/promises';
import { expect, test } from './fixture-playground.js';

const HOUR = 3_600_000;
/** The worker the tests play through ffBackend where they need executions to run. */
const WORKER = { workerId: 'e2e-worker', workerInstanceId: 'e2e-worker-1' };
/** Ignored by git (see .gitignore); look at them after a UI change. */
const SHOTS = 'test/e2e/screenshots';

test('budgets, virtual time, executions that fail then retry, and a reload that keeps everything', async ({ page, pg, ffBackend }) => {
  await expect(page.getByTestId('clock-mode')).toHaveText('Virtual time');
  await expect(page.getByTestId('clock-state')).toHaveText('paused');
  await expect(page.getByTestId('budgets-empty')).toBeVisible();

  // A budget with a soft and a hard limit that resets every hour.
  await pg.createBudget('llm-tokens', [{ name: 'tokens', soft: 800, hard: 1000 }], 1, 'h');
  const card = pg.budgetCard('llm-tokens');
  const tokens = pg.dimension(card, 'tokens');
  await expect(card.getByTestId('reset-interval-label')).toHaveText('resets every 1 h');
  // Virtual time is paused, so the countdown is exact.
  await expect(card.getByTestId('next-reset')).toHaveText('in 1h 00m 00s');
  await expect(page.getByTestId('clock-next-reset-in')).toHaveText('(in 1h 00m 00s)');
  await expect(tokens.getByTestId('dim-usage')).toHaveText('0');
  await expect(tokens.getByTestId('dim-limits')).toHaveText('/ 1,000 hard · soft 800');

  // Past the soft limit: applied and flagged.
  await pg.reportUsage(card, 'tokens', 900);
  await expect(card.getByTestId('report-result')).toHaveAttribute('data-kind', 'soft_breach');
  await expect(card.getByTestId('report-result')).toContainText('over the soft limit 800 (applied)');
  await expect(tokens.getByTestId('dim-usage')).toHaveText('900');
  await expect(tokens).toHaveAttribute('data-tone', 'over-soft');
  await expect(card.getByTestId('soft-breach-count')).toHaveText('1');
  await expect(card.getByTestId('breach-count')).toHaveText('0');

  // Past the hard limit: refused, counted, and the last breach names the dimension.
  await pg.reportUsage(card, 'tokens', 200);
  await expect(card.getByTestId('report-result')).toHaveAttribute('data-kind', 'hard_breach');
  await expect(card.getByTestId('report-result')).toContainText('would reach 1,100, over the hard limit 1,000 (refused');
  await expect(card.getByTestId('breach-count')).toHaveText('1');
  await expect(card.getByTestId('last-breach')).toContainText('on tokens');
  await expect(tokens.getByTestId('dim-usage')).toHaveText('900');
  await expect(card.getByTestId('history-item')).toHaveCount(2);
  await expect(card.getByTestId('history-item').first()).toHaveAttribute('data-event-type', 'breach');

  // A dedup key makes a report idempotent: the repeat changes nothing and says so.
  await pg.reportUsage(card, 'tokens', 50, 'request-42');
  await expect(card.getByTestId('report-result')).toHaveAttribute('data-kind', 'soft_breach');
  await expect(tokens.getByTestId('dim-usage')).toHaveText('950');
  await expect(card.getByTestId('soft-breach-count')).toHaveText('2');
  await pg.reportUsage(card, 'tokens', 50, 'request-42');
  await expect(card.getByTestId('report-result')).toHaveAttribute('data-kind', 'already_applied');
  await expect(card.getByTestId('report-result')).toContainText('Already applied (same dedup key)');
  await expect(tokens.getByTestId('dim-usage')).toHaveText('950');
  await expect(card.getByTestId('soft-breach-count')).toHaveText('2');

  // Jump the virtual clock to the next budget reset.
  const before = await ffBackend.now();
  await page.getByTestId('clock-next-reset').click();
  await expect(tokens.getByTestId('dim-usage')).toHaveText('0');
  await expect(card.getByTestId('reset-count')).toHaveText('1');
  await expect(card.getByTestId('history-item').first()).toHaveAttribute('data-event-type', 'reset');
  await expect(card.getByTestId('history-item').first()).toContainText('Reset (scheduled)');
  await expect(card.getByTestId('history-item').first()).toContainText('tokens 950 → 0');
  await expect(card.getByTestId('last-breach')).toHaveText('none this period');
  // Lifetime counters survive the reset; the next one is an hour away again.
  await expect(card.getByTestId('breach-count')).toHaveText('1');
  await expect(card.getByTestId('soft-breach-count')).toHaveText('2');
  await expect(card.getByTestId('next-reset')).toHaveText('in 1h 00m 00s');
  expect(await ffBackend.now()).toBe(before + HOUR);
  await expect(page.getByTestId('clock-now')).toHaveAttribute('data-now-ms', String(before + HOUR));
  await expect(page.getByTestId('timeline-item').filter({ hasText: 'budget llm-tokens: reset (scheduled)' })).toHaveCount(1);

  // Five executions with two retries and a 1 s fixed backoff.
  await page.getByTestId('exec-lane').fill('emails');
  await page.getByTestId('exec-retries').fill('2');
  await page.getByTestId('exec-backoff-type').selectOption('fixed');
  await page.getByTestId('exec-backoff-ms').fill('1000');
  await page.getByTestId('exec-create-5').click();
  await expect(pg.columnCount('waiting')).toHaveText('5');

  // A worker (played through ffBackend) fails every first attempt.
  for (let i = 0; i < 5; i++) {
    const handle = await ffBackend.call('claim', { laneId: 'emails', ...WORKER, leaseTtlMs: 30_000 });
    await ffBackend.call('failExecution', { handle: handle!, reason: 'first attempts fail' });
  }
  // Time stands still, so every retry waits in "delayed" for its backoff.
  await expect(pg.columnCount('delayed')).toHaveText('5');
  const delayedCard = pg.column('delayed').getByTestId('exec-card').first();
  await expect(delayedCard.getByTestId('exec-attempts')).toHaveText('1');
  await expect(delayedCard.getByTestId('exec-extra')).toHaveText('retry in 1s');
  await expect(delayedCard).toContainText('1 attempt · 1 retry');

  // One virtual second later the retries are due; the worker claims and completes them.
  await page.getByTestId('clock-advance-1s').click();
  await expect(pg.columnCount('waiting')).toHaveText('5');
  for (let i = 0; i < 5; i++) {
    const handle = await ffBackend.call('claim', { laneId: 'emails', ...WORKER, leaseTtlMs: 30_000 });
    await ffBackend.call('completeExecution', { handle: handle! });
  }
  await expect(pg.columnCount('completed')).toHaveText('5');
  await expect(pg.columnCount('delayed')).toHaveText('0');
  const done = pg.column('completed').getByTestId('exec-card');
  await expect(done).toHaveCount(5);
  for (const attempts of await done.getByTestId('exec-attempts').allTextContents()) expect(attempts).toBe('2');
  await expect(page.getByTestId('timeline-item').and(page.locator('[data-channel="completion"]'))).toHaveCount(5);

  // The details of one: two attempts, the first failed and retried.
  await done.first().click();
  await expect(page.getByTestId('details-state')).toHaveText('completed');
  await expect(page.getByTestId('attempt-row')).toHaveCount(2);
  await expect(page.getByTestId('attempt-row').first()).toContainText('retry');
  await expect(page.getByTestId('attempt-row').last()).toContainText('success');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('exec-details')).toHaveCount(0);

  // Reload: the database (IndexedDB) and the virtual time are both kept.
  const nowBeforeReload = await ffBackend.now();
  await ffBackend.reload();
  await expect(page.getByTestId('status-persistence')).toContainText('IndexedDB');
  await expect(page.getByTestId('status-schema')).toContainText('opened from the saved image');
  const again = pg.budgetCard('llm-tokens');
  await expect(again.getByTestId('reset-count')).toHaveText('1');
  await expect(again.getByTestId('breach-count')).toHaveText('1');
  await expect(again.getByTestId('soft-breach-count')).toHaveText('2');
  await expect(again.getByTestId('history-item')).toHaveCount(4);
  await expect(pg.columnCount('completed')).toHaveText('5');
  expect(await ffBackend.now()).toBe(nowBeforeReload);
  await expect(page.getByTestId('clock-now')).toHaveAttribute('data-now-ms', String(nowBeforeReload));
});

test('screenshots of every panel, for review (test/e2e/screenshots/)', async ({ page, pg, ffBackend }) => {
  await page.setViewportSize({ width: 1440, height: 1000 });
  await page.getByTestId('status-sample').click();
  const card = pg.budgetCard('tokens-hourly');
  await expect(card.getByTestId('reset-count')).toHaveText('0');
  await pg.reportUsage(card, 'tokens', 400);
  await pg.reportUsage(card, 'tokens', 500);
  await expect(card.getByTestId('breach-count')).toHaveText('1');

  // A worker that fails first attempts; one virtual second later the retries complete. It leaves lane media
  // alone, so the sample flow stays as loaded: its first step waiting, the other three waiting on it.
  await page.getByTestId('worker-lanes').fill('default, emails');
  await page.getByTestId('worker-outcome').selectOption('fail-first');
  await page.getByTestId('worker-delay').fill('20');
  await page.getByTestId('worker-concurrency').fill('4');
  await page.getByTestId('worker-toggle').click();
  await expect(page.getByTestId('worker-stat-retryScheduled')).toHaveText('8');
  await page.getByTestId('clock-advance-1m').click();
  await expect(pg.columnCount('completed')).toHaveText('8');
  // Then: two that fail for good, two that keep working (active, with a lease countdown), three waiting behind a capability.
  await page.getByTestId('worker-outcome').selectOption('fail-permanent');
  await page.getByTestId('exec-create').click();
  await page.getByTestId('exec-create').click();
  await expect(pg.columnCount('failed')).toHaveText('2');
  await page.getByTestId('worker-delay').fill('600000');
  await page.getByTestId('worker-outcome').selectOption('complete');
  await page.getByTestId('exec-create').click();
  await page.getByTestId('exec-create').click();
  await expect(pg.columnCount('active')).toHaveText('2');
  await page.getByTestId('exec-capabilities').fill('gpu');
  await page.getByTestId('exec-create').click();
  await page.getByTestId('exec-start-after').fill('90');
  await page.getByTestId('exec-create').click();
  await expect(pg.columnCount('waiting')).toHaveText('2');
  await expect(pg.columnCount('delayed')).toHaveText('1');
  await page.getByTestId('clock-advance-1s').click();

  // Quotas: two admissions fill the concurrency cap.
  const executions = page.getByTestId('admission-execution');
  const candidates = await executions.locator('option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
  for (const id of candidates.slice(0, 2)) {
    await executions.selectOption(id);
    await page.getByTestId('admission-check').click();
    await expect(page.getByTestId('admission-result')).toHaveAttribute('data-kind', 'admitted');
  }
  await expect(page.getByTestId('quota-concurrency-usage')).toHaveText('2 / 2 held');

  await pg.column('completed').getByTestId('exec-card').first().click();
  await expect(page.getByTestId('attempt-row')).toHaveCount(2);
  await page.screenshot({ path: `${SHOTS}/overview-drawer.png` });
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('exec-details')).toHaveCount(0);
  await expect(page.getByTestId('toast')).toHaveCount(0, { timeout: 15_000 });
  await ffBackend.flush();

  await page.evaluate(() => scrollTo(0, 0));
  await page.screenshot({ path: `${SHOTS}/overview.png` });
  // clock.png and status.png come from status-confirm.spec.ts.
  // The executions panel, with the details open, is taller than a 1000 px viewport; a shot of an element taller
  // than the viewport left the next one (the worker's) blank, so the panels are shot in a taller one.
  await page.setViewportSize({ width: 1440, height: 2000 });
  for (const id of ['budgets', 'executions', 'worker', 'timeline', 'quotas', 'workers']) {
    await page.getByTestId(`panel-${id}`).screenshot({ path: `${SHOTS}/${id}.png` });
  }
  // An error, as it shows beside the form that caused it.
  await pg.createBudget('bad', [{ name: 'tokens', soft: 10, hard: 5 }], 1, 'h');
  await expect(page.getByTestId('budget-form').getByTestId('error-code')).toHaveText('validation.invalid_input');
  await page.getByTestId('budget-form').screenshot({ path: `${SHOTS}/error-inline.png` });
});

test('a refused budget shows its EngineError code beside the form, dismissible, and writes nothing', async ({ page, pg }) => {
  await pg.createBudget('bad', [{ name: 'tokens', soft: 10, hard: 5 }], 1, 'h');
  const error = page.getByTestId('budget-form').getByTestId('inline-error');
  await expect(error.getByTestId('error-code')).toHaveText('validation.invalid_input');
  await expect(error.getByTestId('error-message')).toContainText('dimensions.0.softLimit: must not exceed hardLimit (5)');
  // Beside its form, not in the page-wide banner.
  await expect(page.getByTestId('error-banner')).toBeHidden();
  await error.getByTestId('error-dismiss').click();
  await expect(error).toHaveCount(0);
  await expect(page.getByTestId('budgets-empty')).toBeVisible();
});

test('a refused create shows its EngineError code beside the create form, not in the banner', async ({ page, pg }) => {
  await expect(page.getByTestId('error-banner')).toBeHidden();
  const banner = page.getByTestId('error-banner');
  // A refused create shows its error under the create form, not in the banner; dismissing it removes it.
  const form = page.getByTestId('exec-form');
  await page.getByTestId('exec-priority').fill('99999999999');
  await page.getByTestId('exec-create').click();
  await expect(form.getByTestId('error-code')).toHaveText('validation.invalid_input');
  await expect(form.getByTestId('error-message')).toContainText('priority');
  await expect(banner).toBeHidden();
  await form.getByTestId('error-dismiss').click();
  await expect(form.getByTestId('inline-error')).toHaveCount(0);
  // Nothing was written by the refused create.
  await expect(pg.columnCount('waiting')).toHaveText('0');
});

test('export a snapshot file, reset, import it back; a bad file is refused with a clear error', async ({ page, ffBackend }, testInfo) => {
  await ffBackend.seed({
    budgets: [{ budgetId: 'snap', dimensions: [{ name: 'tokens', hardLimit: 100 }], resetIntervalMs: HOUR }],
    executions: [{ laneId: 'snap' }, { laneId: 'snap' }, { laneId: 'snap' }],
  });
  const waiting = async (): Promise<number> => {
    const { lanes } = (await ffBackend.call('listLanes', {})) as { lanes: { laneId: string; counts: Record<string, number> }[] };
    return lanes.find((l) => l.laneId === 'snap')?.counts['waiting'] ?? 0;
  };
  const budgets = async (): Promise<string[]> => ((await ffBackend.call('listBudgets', {})) as { budgets: { budgetId: string }[] }).budgets.map((b) => b.budgetId);
  await ffBackend.advance(10 * 60_000);
  const exportedAt = await ffBackend.now();

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('status-export').click()]);
  expect(download.suggestedFilename()).toMatch(/\.ffsnap$/);
  const file = testInfo.outputPath(download.suggestedFilename());
  await download.saveAs(file);
  expect((await readFile(file)).subarray(0, 8).toString()).toBe('FFSNAP1\n');

  await ffBackend.advance(400 * 86_400_000);
  const wallBeforeReset = await page.evaluate(() => Date.now());
  await page.getByTestId('status-reset').click();
  await expect(page.getByTestId('confirm-dialog')).toContainText('Reset the database?');
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('confirm-dialog')).toBeHidden();
  await expect(page.getByTestId('toast').last()).toContainText('Database reset');
  expect(await waiting()).toBe(0);
  expect(await budgets()).toEqual([]);
  // A reset database starts its virtual clock again at the wall time, and the clock bar shows it.
  const afterReset = await ffBackend.now();
  expect(afterReset).toBeGreaterThanOrEqual(wallBeforeReset);
  expect(afterReset).toBeLessThan(exportedAt);
  await expect.poll(async () => Number(await page.getByTestId('clock-now').getAttribute('data-now-ms'))).toBeLessThan(exportedAt);

  await page.getByTestId('status-import-file').setInputFiles(file);
  await expect(page.getByTestId('confirm-dialog')).toContainText(`exported from '${ffBackend.dbName}-virtual'`);
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('toast').last()).toContainText('Imported');
  expect(await waiting()).toBe(3);
  expect(await budgets()).toEqual(['snap']);
  expect(await ffBackend.now()).toBe(exportedAt);
  await expect(page.getByTestId('clock-now')).toHaveAttribute('data-now-ms', String(exportedAt));
  await expect(page.getByTestId('clock-next-reset-in')).toHaveText('(in 50m 00s)');

  // A file that is no snapshot is refused beside the status panel's buttons, before anything is asked.
  const status = page.getByTestId('panel-status');
  await page.getByTestId('status-import-file').setInputFiles({ name: 'junk.ffsnap', mimeType: 'application/octet-stream', buffer: Buffer.from('not a snapshot') });
  await expect(status.getByTestId('error-code')).toHaveText('validation.invalid_input');
  await expect(status.getByTestId('error-message')).toContainText('not a playground snapshot');
  await expect(page.getByTestId('confirm-dialog')).toHaveCount(0);
  await expect(page.getByTestId('error-banner')).toBeHidden();
  // A snapshot whose image was tampered with: the backend's checksum check refuses it, and nothing changes.
  const bytes = await readFile(file);
  bytes.writeUInt8(bytes.readUInt8(bytes.length - 10) ^ 0xff, bytes.length - 10);
  await page.getByTestId('status-import-file').setInputFiles({ name: 'tampered.ffsnap', mimeType: 'application/octet-stream', buffer: bytes });
  await page.getByTestId('confirm-ok').click();
  await expect(status.getByTestId('error-code')).toHaveText('validation.corruption');
  await expect(status.getByTestId('inline-error')).toHaveCount(1);
  expect(await waiting()).toBe(3);
});

test('quotas: admission up to the concurrency cap, release; workers: register, lapse on the clock, heartbeat', async ({ page, pg, ffBackend }) => {
  const { executionIds } = await ffBackend.seed({ executions: [{ laneId: 'q' }, { laneId: 'q' }, { laneId: 'q' }] });
  await page.getByTestId('quota-id').fill('api');
  await page.getByTestId('quota-window').fill('60');
  await page.getByTestId('quota-rate').fill('10');
  await page.getByTestId('quota-concurrency').fill('2');
  await page.getByTestId('quota-create').click();
  const row = page.locator('[data-testid="quota-row"][data-quota-id="api"]');
  await expect(row.getByTestId('quota-concurrency-usage')).toHaveText('0 / 2 held');
  await page.getByTestId('admission-policy').selectOption('api');
  const result = page.getByTestId('admission-result');
  for (const id of executionIds.slice(0, 2)) {
    await page.getByTestId('admission-execution').selectOption(id);
    await page.getByTestId('admission-check').click();
    await expect(result).toHaveAttribute('data-kind', 'admitted');
    await expect(result).toHaveText('Admitted: it holds a slot now');
  }
  await page.getByTestId('admission-execution').selectOption(executionIds[2]!);
  await page.getByTestId('admission-check').click();
  await expect(result).toHaveAttribute('data-kind', 'concurrency_exceeded');
  await expect(row.getByTestId('quota-concurrency-usage')).toHaveText('2 / 2 held');
  await expect(row.getByTestId('quota-window-usage')).toHaveText('2 / 10 in 1m 00s');
  await page.getByTestId('admission-execution').selectOption(executionIds[0]!);
  await page.getByTestId('admission-release').click();
  await expect(result).toHaveText('Released: its slot is free');
  await expect(row.getByTestId('quota-concurrency-usage')).toHaveText('1 / 2 held');

  const worker = await pg.registerWorker({ workerId: 'billing', instanceId: 'billing-7', lanes: 'invoices, refunds', ttlS: 30 });
  await expect(worker.getByTestId('worker-row-state')).toHaveText('alive');
  await expect(worker.getByTestId('worker-expires')).toHaveText('in 30s');
  await expect(worker.getByTestId('worker-lanes-cell')).toHaveText('invoices, refunds');
  await page.getByTestId('clock-advance-1m').click();
  await expect(worker.getByTestId('worker-row-state')).toHaveText('dead');
  await worker.getByTestId('worker-heartbeat').click();
  await expect(page.getByTestId('toast').filter({ hasText: 'not registered' })).toBeVisible();
  await page.getByTestId('reg-submit').click();
  await expect(worker.getByTestId('worker-row-state')).toHaveText('alive');
  await worker.getByTestId('worker-mark-dead').click();
  await page.getByTestId('confirm-ok').click();
  await expect(worker.getByTestId('worker-row-state')).toHaveText('dead');
});
