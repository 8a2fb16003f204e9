/**
 * Quotas and the worker registry in the devtools: a policy with no
 * concurrency limit says so instead of drawing a full bar, errors show
 * beside the form that caused them, and marking a worker dead asks first.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from './fixture-playground.js';

const SHOTS = 'test/e2e/screenshots';

test('a policy with no limit draws no full bar and says "no limit"; a limited one fills up as slots are taken', async ({ page, ffBackend }) => {
  const { executionIds } = await ffBackend.seed({
    quotaPolicies: [
      { quotaPolicyId: 'open', windowSeconds: 60, maxRequestsPerWindow: 0, maxConcurrent: 0 },
      { quotaPolicyId: 'tight', windowSeconds: 60, maxRequestsPerWindow: 10, maxConcurrent: 1 },
    ],
    executions: [{ laneId: 'q' }, { laneId: 'q' }],
  });
  await ffBackend.call('checkAdmission', { quotaPolicyId: 'open', executionId: executionIds[0]! });
  await ffBackend.call('checkAdmission', { quotaPolicyId: 'tight', executionId: executionIds[1]! });

  const open = page.locator('[data-testid="quota-row"][data-quota-id="open"]');
  await expect(open.getByTestId('quota-concurrency-usage')).toHaveText('1 held, no limit');
  await expect(open.getByTestId('quota-window-usage')).toHaveText('1 in 1m 00s, no limit');
  // No fill at all: a full bar would read as "exhausted".
  await expect(open.getByTestId('meter-fill')).toHaveCount(0);

  const tight = page.locator('[data-testid="quota-row"][data-quota-id="tight"]');
  await expect(tight.getByTestId('quota-concurrency-usage')).toHaveText('1 / 1 held');
  const fills = tight.getByTestId('meter-fill');
  await expect(fills).toHaveCount(2);
  await expect(fills.last()).toHaveClass(/at-hard/);
  expect(await fills.last().evaluate((el) => el.style.width)).toBe('100%');
  expect(await fills.first().evaluate((el) => el.style.width)).toBe('10%');
});

test('a refused policy or admission shows its error beside its own form, and the last admission result goes', async ({ page, ffBackend }) => {
  const { executionIds } = await ffBackend.seed({ quotaPolicies: [{ quotaPolicyId: 'api', maxConcurrent: 1 }], executions: [{ laneId: 'q' }] });
  await page.getByTestId('quota-id').fill('bad');
  await page.getByTestId('quota-window').fill('0');
  await page.getByTestId('quota-window').evaluate((el) => el.removeAttribute('min'));
  await page.getByTestId('quota-create').click();
  const formError = page.getByTestId('quota-form').getByTestId('inline-error');
  await expect(formError).toHaveAttribute('data-code', 'validation.invalid_input');
  await expect(formError).toContainText('windowSeconds');
  await expect(page.locator('[data-testid="quota-row"][data-quota-id="bad"]')).toHaveCount(0);

  await page.getByTestId('admission-policy').selectOption('api');
  await page.getByTestId('admission-execution').selectOption(executionIds[0]!);
  await page.getByTestId('admission-check').click();
  const result = page.getByTestId('admission-result');
  await expect(result).toHaveAttribute('data-kind', 'admitted');
  // A dimension over 256 characters is refused: the "admitted" line must not stay under the error.
  await page.getByTestId('admission-dimension').fill('d'.repeat(300));
  await page.getByTestId('admission-check').click();
  const admissionError = page.getByTestId('admission-form').getByTestId('inline-error');
  await expect(admissionError).toContainText('dimension');
  await expect(result).toHaveText('');
  await expect(result).not.toHaveAttribute('data-kind', /.+/);
  // The create form's error is its own, and is still there.
  await expect(formError).toBeVisible();
  await expect(page.getByTestId('error-banner')).toBeHidden();
});

test('workers: register, lapse on the engine clock, heartbeat; mark dead asks first, and Cancel keeps it alive', async ({ page, pg, ffBackend }) => {
  const worker = await pg.registerWorker({ workerId: 'billing', instanceId: 'billing-7', lanes: 'invoices, refunds', capabilities: 'pdf', ttlS: 30 });
  await expect(worker.getByTestId('worker-row-state')).toHaveText('alive');
  await expect(worker.getByTestId('worker-expires')).toHaveText('in 30s');
  await expect(worker.getByTestId('worker-lanes-cell')).toHaveText('invoices, refunds');
  await expect(worker.getByTestId('worker-caps-cell')).toHaveText('pdf');

  // Past its TTL it is lapsed at once, and dead once the sweep has run.
  await ffBackend.advance(31_000);
  await expect(worker.getByTestId('worker-row-state')).toHaveText(/lapsed|dead/);
  await ffBackend.advance(60_000);
  await expect(worker.getByTestId('worker-row-state')).toHaveText('dead');
  await expect(worker.getByTestId('worker-mark-dead')).toBeDisabled();
  await worker.getByTestId('worker-heartbeat').click();
  await expect(page.getByTestId('toast').filter({ hasText: 'not registered' })).toBeVisible();
  await page.getByTestId('reg-submit').click();
  await expect(worker.getByTestId('worker-row-state')).toHaveText('alive');

  // Mark dead: a confirm dialog; Cancel changes nothing.
  await worker.getByTestId('worker-mark-dead').click();
  const dialog = page.getByTestId('confirm-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText("Mark 'billing-7' dead?");
  await expect(dialog.getByTestId('confirm-ok')).toHaveClass(/danger/);
  await dialog.getByTestId('confirm-cancel').click();
  await expect(dialog).toHaveCount(0);
  await expect(worker.getByTestId('worker-row-state')).toHaveText('alive');
  expect((await ffBackend.call('listWorkers', {})).workers[0]).toMatchObject({ workerInstanceId: 'billing-7', state: 'alive' });

  // Confirmed: dead.
  await worker.getByTestId('worker-mark-dead').click();
  await page.getByTestId('confirm-ok').click();
  await expect(worker.getByTestId('worker-row-state')).toHaveText('dead');
  await expect(page.getByTestId('toast').filter({ hasText: 'billing-7: marked dead' })).toBeVisible();
});

test('a refused registration shows its error beside the register form', async ({ page, ffBackend }) => {
  void ffBackend; // opens the app
  await page.getByTestId('reg-instance-id').fill('i'.repeat(300));
  await page.getByTestId('reg-submit').click();
  const error = page.getByTestId('register-form').getByTestId('inline-error');
  await expect(error).toHaveAttribute('data-code', 'validation.invalid_input');
  await expect(error).toContainText('workerInstanceId');
  await expect(page.getByTestId('workers-empty')).toBeVisible();
  const [scrollWidth, windowWidth] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  expect(scrollWidth).toBeLessThanOrEqual(windowWidth);
});

test('screenshots: quotas and the worker registry', async ({ page, ffBackend }) => {
  await page.setViewportSize({ width: 1440, height: 1200 });
  const { executionIds } = await ffBackend.seed({
    quotaPolicies: [
      { quotaPolicyId: 'api-calls', windowSeconds: 60, maxRequestsPerWindow: 5, maxConcurrent: 2 },
      { quotaPolicyId: 'exports', windowSeconds: 3600, maxRequestsPerWindow: 0, maxConcurrent: 0 },
    ],
    workers: [
      { workerId: 'billing', workerInstanceId: 'billing-1', lanes: ['invoices'], capabilities: ['pdf'], livenessTtlMs: 60_000 },
      { workerId: 'mailer', workerInstanceId: 'mailer-1', lanes: ['emails', 'default'], capabilities: [], livenessTtlMs: 20_000 },
    ],
    executions: [{ laneId: 'default' }, { laneId: 'default' }, { laneId: 'emails' }],
  });
  for (const executionId of executionIds.slice(0, 2)) await ffBackend.call('checkAdmission', { quotaPolicyId: 'api-calls', executionId });
  await ffBackend.call('checkAdmission', { quotaPolicyId: 'exports', executionId: executionIds[2]! });
  await ffBackend.advance(25_000);
  await page.getByTestId('admission-policy').selectOption('api-calls');
  await page.getByTestId('admission-execution').selectOption(executionIds[2]!);
  await page.getByTestId('admission-check').click();
  await expect(page.getByTestId('admission-result')).toHaveAttribute('data-kind', 'concurrency_exceeded');
  await expect(page.locator('[data-testid="worker-row"][data-instance-id="mailer-1"]').getByTestId('worker-row-state')).toHaveText(/lapsed|dead/);
  await expect(page.getByTestId('toast')).toHaveCount(0, { timeout: 15_000 });
  await page.getByTestId('panel-quotas').screenshot({ path: `${SHOTS}/quotas.png` });
  await page.getByTestId('panel-workers').screenshot({ path: `${SHOTS}/workers.png` });
});

test('axe: the budgets, quotas and workers panels have no serious accessibility violations', async ({ page, pg, ffBackend }) => {
  const { executionIds } = await ffBackend.seed({
    budgets: [{ budgetId: 'tokens', dimensions: [{ name: 'tokens', softLimit: 5, hardLimit: 10 }], resetIntervalMs: 3_600_000 }],
    quotaPolicies: [{ quotaPolicyId: 'api', maxConcurrent: 1 }],
    workers: [{ workerId: 'w', workerInstanceId: 'w-1', lanes: ['default'], capabilities: [], livenessTtlMs: 30_000 }],
    executions: [{ laneId: 'default' }],
  });
  await ffBackend.call('checkAdmission', { quotaPolicyId: 'api', executionId: executionIds[0]! });
  const card = pg.budgetCard('tokens');
  await pg.reportUsage(card, 'tokens', 7);
  await pg.reportUsage(card, 'tokens', 1, 'k'.repeat(300));
  await expect(card.getByTestId('inline-error')).toBeVisible();
  await expect(card.getByTestId('history-item')).toHaveCount(1);
  for (const id of ['budgets', 'quotas', 'workers']) {
    const results = await new AxeBuilder({ page }).include({ fromShadowDom: ['ff-devtools', `[data-testid="panel-${id}"]`] }).analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    expect(serious, `panel-${id}`).toEqual([]);
  }
});
