/**
 * The executions views of the devtools, driven by clicks and typing: the
 * searchable list with its filters in the URL (back button included) and
 * its pages, the drawer opened from a deep link, cancel behind a confirm,
 * reclaim after a lease runs out on the virtual clock, and the board's
 * create form refusing a start years away. Data is seeded through
 * ffBackend; workers are played by ffBackend calls.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixture-playground.js';

const SHOTS = 'test/e2e/screenshots';
const WORKER = { workerId: 'e2e-worker', workerInstanceId: 'e2e-worker-1' };
const short = (id: string): string => id.slice(id.indexOf('}:') + 2, id.indexOf('}:') + 10);

function hashParams(page: Page): URLSearchParams {
  const hash = new URL(page.url()).hash;
  return new URLSearchParams(hash.slice(hash.indexOf('?') + 1));
}

test('the list: search by id, filters in the URL, the back button, pages through cursors, a row opens the drawer', async ({ page, ffBackend }) => {
  await page.setViewportSize({ width: 1440, height: 1000 });
  const { executionIds } = await ffBackend.seed({
    executions: [
      ...Array.from({ length: 30 }, () => ({ laneId: 'mail' })),
      ...Array.from({ length: 3 }, () => ({ laneId: 'sms', namespace: 'tenant-b' })),
    ],
  });
  await ffBackend.call('claim', { laneId: 'sms', ...WORKER, leaseTtlMs: 60_000 });
  // One transaction, one creation time: the list orders them by id.
  const ordered = [...executionIds].sort();

  await page.getByTestId('nav-executions').click();
  const rows = page.getByTestId('list-row');
  await expect(rows).toHaveCount(25);
  await expect(page.getByTestId('list-prev')).toBeDisabled();
  await expect(rows.first()).toHaveAttribute('data-execution-id', ordered[0]!);

  // Next page: the cursor goes into the URL; the back button returns to the first page.
  await page.getByTestId('list-next').click();
  await expect(rows).toHaveCount(8);
  await expect(rows.first()).toHaveAttribute('data-execution-id', ordered[25]!);
  expect(hashParams(page).get('after')).toBeTruthy();
  await expect(page.getByTestId('list-next')).toBeDisabled();
  await page.getByTestId('list-prev').click();
  await expect(rows).toHaveCount(25);
  await expect(rows.first()).toHaveAttribute('data-execution-id', ordered[0]!);
  await page.goBack();
  await expect(rows).toHaveCount(8);
  await page.goBack();
  await expect(rows).toHaveCount(25);

  // A lane filter, then a state filter on top: both in the URL; back undoes one at a time.
  await page.getByTestId('list-lane').selectOption('sms');
  await expect(rows).toHaveCount(3);
  expect(hashParams(page).get('lane')).toBe('sms');
  await page.getByTestId('list-state').selectOption('active');
  await expect(rows).toHaveCount(1);
  await expect(rows.getByTestId('list-row-state')).toHaveText('active');
  expect(hashParams(page).get('state')).toBe('active');
  await page.goBack();
  await expect(rows).toHaveCount(3);
  await expect(page.getByTestId('list-state')).toHaveValue('');
  await page.getByTestId('list-clear').click();
  await expect(rows).toHaveCount(25);

  // Namespace, typed.
  await page.getByTestId('list-ns').fill('tenant-b');
  await page.getByTestId('list-ns').press('Enter');
  await expect(rows).toHaveCount(3);
  expect(hashParams(page).get('ns')).toBe('tenant-b');
  await page.getByTestId('list-ns').fill('');
  await page.getByTestId('list-ns').press('Enter');

  // Search by the short id the board shows, in upper case: one row, and its link opens the drawer.
  const target = executionIds[17]!;
  await page.getByTestId('list-search').fill(short(target).toUpperCase());
  await page.getByTestId('list-apply').click();
  await expect(rows).toHaveCount(1);
  expect(hashParams(page).get('q')).toBe(short(target).toUpperCase());
  await page.screenshot({ path: `${SHOTS}/executions-list.png` });
  await rows.getByTestId('list-row-link').click();
  await expect(page.getByTestId('details-id')).toHaveText(target);
  expect(hashParams(page).get('exec')).toBe(target);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('exec-details')).toHaveCount(0);
  expect(hashParams(page).get('q')).toBe(short(target).toUpperCase());
  await page.goBack();
  await expect(page.getByTestId('details-id')).toHaveText(target);

  // Nothing matches: the list says so.
  await page.getByTestId('list-search').fill('zzzz');
  await page.getByTestId('list-search').press('Enter');
  await expect(page.getByTestId('list-empty')).toHaveText('No execution matches these filters.');
});

test('a deep link opens the drawer; cancel asks first; the empty attempts line says what is true', async ({ page, ffBackend }) => {
  await page.setViewportSize({ width: 1440, height: 1000 });
  const { executionIds } = await ffBackend.seed({ executions: [{ laneId: 'billing', priority: 3, payload: 'invoice 42' }] });
  const id = executionIds[0]!;
  await page.goto(`${ffBackend.url()}#/executions?exec=${encodeURIComponent(id)}`);
  const drawer = page.getByTestId('exec-details');
  await expect(drawer.getByTestId('details-id')).toHaveText(id);
  await expect(drawer.getByTestId('details-state')).toHaveText('waiting');
  await expect(drawer.getByTestId('details-lane')).toHaveText('billing');
  await expect(drawer.getByTestId('details-payload')).toHaveText('invoice 42');
  await expect(drawer.getByTestId('details-retry-policy')).toHaveText('no retries: a failure is final');
  await expect(drawer.getByTestId('details-no-attempts')).toHaveText('No attempts yet: no worker has claimed it.');
  // The state vector: every part named, with its raw value.
  await expect(drawer.getByTestId('vector-lifecyclePhase')).toHaveAttribute('data-value', 'runnable');
  await expect(drawer.getByTestId('details-vector')).toContainText('Ownership');
  await expect(drawer.getByTestId('details-vector')).toContainText('Blocking reason');
  await expect(drawer.getByTestId('vector-blockingReason')).toContainText('waiting for worker');

  // Cancel: the dialog's Cancel changes nothing.
  await drawer.getByTestId('details-cancel').click();
  await expect(page.getByTestId('confirm-dialog')).toContainText('Cancel this execution?');
  await page.screenshot({ path: `${SHOTS}/details-cancel-confirm.png` });
  await page.getByTestId('confirm-cancel').click();
  await expect(page.getByTestId('confirm-dialog')).toHaveCount(0);
  await expect(drawer.getByTestId('details-state')).toHaveText('waiting');
  expect((await ffBackend.call('readExecutionInfo', { executionId: id }))?.publicState).toBe('waiting');

  await drawer.getByTestId('details-cancel').click();
  await page.getByTestId('confirm-ok').click();
  await expect(drawer.getByTestId('details-state')).toHaveText('cancelled');
  await expect(drawer.getByTestId('lifecycle-result')).toHaveAttribute('data-kind', 'cancelled');
  await expect(drawer.getByTestId('details-no-attempts')).toHaveText('No attempts: it ended cancelled before any worker ran it.');
  await expect(drawer).not.toContainText('in-page worker');
  await expect(drawer.getByTestId('details-replay')).toBeVisible();
  await drawer.screenshot({ path: `${SHOTS}/details-cancelled.png` });

  // The close button drops the drawer from the URL; back brings it again.
  await drawer.getByTestId('details-close').click();
  await expect(drawer).toHaveCount(0);
  expect(hashParams(page).get('exec')).toBeNull();
  await page.goBack();
  await expect(drawer.getByTestId('details-state')).toHaveText('cancelled');

  // A link to an execution this database does not have says so.
  await page.goto(`${ffBackend.url()}#/executions?exec=${encodeURIComponent('{fp:0}:00000000-0000-4000-8000-000000000000')}`);
  await expect(page.getByTestId('details-missing')).toContainText('No execution 00000000 in this database');
});

test('reclaim from the drawer once a lease has run out on the virtual clock', async ({ page, pg, ffBackend }) => {
  await page.setViewportSize({ width: 1440, height: 1000 });
  await page.getByTestId('exec-lane').fill('jobs');
  await page.getByTestId('exec-create').click();
  await expect(pg.columnCount('waiting')).toHaveText('1');
  const handle = await ffBackend.call('claim', { laneId: 'jobs', ...WORKER, leaseTtlMs: 5_000 });
  expect(handle).not.toBeNull();

  const card = pg.column('active').getByTestId('exec-card');
  await expect(card.getByTestId('exec-extra')).toHaveText('lease ends in 5s');
  await card.click();
  const drawer = page.getByTestId('exec-details');
  await expect(drawer.getByTestId('attempt-outcome')).toHaveText('running');
  await expect(drawer.getByTestId('reclaim-form')).toBeHidden();

  // The lease runs out: the attempt no longer reads "running", and reclaim appears.
  await ffBackend.advance(6_000);
  await expect(drawer.getByTestId('attempt-outcome')).toHaveText('lease expired');
  await expect(card.getByTestId('exec-extra')).toHaveText('lease expired: reclaimable');
  const reclaim = drawer.getByTestId('reclaim-form');
  await expect(reclaim).toBeVisible();

  // A lease longer than the engine allows: refused beside the form, nothing changes.
  await reclaim.getByTestId('reclaim-worker-id').fill('rescuer');
  await reclaim.getByTestId('reclaim-instance-id').fill('rescuer-1');
  await reclaim.getByTestId('reclaim-lease-s').fill('99999999');
  await reclaim.getByTestId('details-reclaim').click();
  await expect(reclaim.getByTestId('inline-error')).toHaveAttribute('data-code', 'validation.invalid_input');
  await expect(drawer.getByTestId('attempt-row')).toHaveCount(1);

  await reclaim.getByTestId('reclaim-lease-s').fill('60');
  await reclaim.getByTestId('details-reclaim').click();
  await expect(reclaim.getByTestId('reclaim-result')).toHaveText('reclaimed: attempt 2 under lease epoch 2, held by rescuer-1');
  await expect(reclaim.getByTestId('inline-error')).toHaveCount(0);
  const attempts = drawer.getByTestId('attempt-row');
  await expect(attempts).toHaveCount(2);
  await expect(attempts.first().getByTestId('attempt-outcome')).toHaveText('interrupted reclaimed');
  await expect(attempts.last()).toContainText('reclaim');
  await expect(attempts.last()).toContainText('rescuer-1');
  await expect(attempts.last().getByTestId('attempt-outcome')).toHaveText('running');
  await expect(card.getByTestId('exec-extra')).toHaveText('lease ends in 1m 00s');
  await drawer.screenshot({ path: `${SHOTS}/details-reclaim.png` });
  // The old worker's handle is stale now.
  await expect(ffBackend.call('completeExecution', { handle: handle! })).rejects.toMatchObject({ code: expect.stringMatching(/^state\./) });
});

test('the create form refuses a start years away beside the form; retries are counted in words', async ({ page, pg, ffBackend }) => {
  await page.setViewportSize({ width: 1440, height: 1000 });
  const form = page.getByTestId('exec-form');
  await page.getByTestId('exec-lane').fill('later');
  await page.getByTestId('exec-start-after').fill('100000000000');
  await page.getByTestId('exec-create').click();
  await expect(form.getByTestId('inline-error')).toHaveAttribute('data-code', 'validation.invalid_input');
  await expect(form.getByTestId('error-message')).toContainText('10 years');
  await expect(pg.columnCount('delayed')).toHaveText('0');
  expect((await ffBackend.call('listExecutions', {})).executions).toHaveLength(0);

  // A sane delay: created, and the error under the form is gone.
  await page.getByTestId('exec-start-after').fill('90');
  await page.getByTestId('exec-create').click();
  await expect(form.getByTestId('inline-error')).toHaveCount(0);
  await expect(pg.columnCount('delayed')).toHaveText('1');
  await expect(pg.column('delayed').getByTestId('exec-extra')).toHaveText('starts in 1m 30s');

  // One failed attempt with one retry allowed: "1 retry", never "1 retries".
  await page.getByTestId('exec-start-after').fill('');
  await page.getByTestId('exec-lane').fill('flaky');
  await page.getByTestId('exec-retries').fill('1');
  await page.getByTestId('exec-create').click();
  await expect(pg.columnCount('waiting')).toHaveText('1');
  const handle = await ffBackend.call('claim', { laneId: 'flaky', ...WORKER, leaseTtlMs: 30_000 });
  await ffBackend.call('failExecution', { handle: handle!, reason: 'boom' });
  await expect(pg.columnCount('delayed')).toHaveText('2');
  const retried = pg.column('delayed').locator('[data-testid="exec-card"]', { hasText: 'flaky' });
  await expect(retried).toContainText('1 attempt · 1 retry');
  await expect(retried.getByTestId('exec-extra')).toHaveText('retry in 1s');
  await retried.click();
  await expect(page.getByTestId('details-retry-policy')).toHaveText('up to 1 retry, fixed backoff of 1000 ms');
  await expect(page.getByTestId('attempt-outcome')).toHaveText('retry');
  await expect(page.getByTestId('exec-details')).toContainText('boom');
  await page.keyboard.press('Escape');
  await page.getByTestId('panel-executions').screenshot({ path: `${SHOTS}/executions.png` });
});

test('the board, the list and the drawer have no serious or critical accessibility violations (axe)', async ({ page, pg, ffBackend }) => {
  await page.setViewportSize({ width: 1440, height: 1000 });
  const now = await ffBackend.now();
  const { executionIds } = await ffBackend.seed({
    executions: [{ laneId: 'a' }, { laneId: 'b', payload: 'hello' }, { laneId: 'c' }, { laneId: 'd' }, { laneId: 'e', delayUntil: now + 90_000 }, { laneId: 'f' }],
  });
  const expiring = await ffBackend.call('claim', { laneId: 'a', ...WORKER, leaseTtlMs: 5_000 });
  const done = await ffBackend.call('claim', { laneId: 'c', ...WORKER, leaseTtlMs: 60_000 });
  await ffBackend.call('completeExecution', { handle: done! });
  const failed = await ffBackend.call('claim', { laneId: 'd', ...WORKER, leaseTtlMs: 60_000 });
  await ffBackend.call('failExecution', { handle: failed!, failureClass: 'permanent', reason: 'broken' });
  await ffBackend.call('cancelExecution', { executionId: executionIds[5]! });
  await ffBackend.advance(6_000);
  await expect(pg.columnCount('active')).toHaveText('1');

  // Only this area's elements: the other panels are checked by their own specs.
  const check = async (...scopes: string[]): Promise<void> => {
    let axe = new AxeBuilder({ page });
    for (const scope of scopes) axe = axe.include({ fromShadowDom: ['ff-devtools', scope] });
    const { violations } = await axe.analyze();
    const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`)).toEqual([]);
  };
  await expect(pg.column('completed').getByTestId('exec-card')).toHaveCount(1);
  await check('ff-dt-executions-board');
  await page.getByTestId('nav-executions').click();
  await expect(page.getByTestId('list-row')).toHaveCount(6);
  await check('ff-dt-executions-list');
  // The drawer of the execution whose lease ran out, with an error beside a control.
  await page.getByTestId('list-row').and(page.locator(`[data-execution-id="${expiring!.executionId}"]`)).getByTestId('list-row-link').click();
  await expect(page.getByTestId('reclaim-form')).toBeVisible();
  await page.getByTestId('details-priority-input').fill('');
  await page.getByTestId('details-change-priority').click();
  await expect(page.getByTestId('priority-form').locator('..').getByTestId('inline-error')).toBeVisible();
  await check('ff-dt-execution-detail');
});
