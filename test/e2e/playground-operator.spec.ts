/**
 * The drawer's stream view and operator controls, driven by clicks: frames
 * a worker appends show in the drawer while it works, with the summary
 * document; change priority and revoke lease answer beside their controls,
 * and a refusal replaces the previous answer with its typed error. The
 * worker is played through ffBackend (claim, appendFrame, complete).
 */
import type { Handle } from '../../src/index.js';
import { expect, test } from './fixture-playground.js';

const SHOTS = 'test/e2e/screenshots';
const WORKER = { workerId: 'ops-worker', workerInstanceId: 'ops-worker-1' };

test('stream frames appear live while the worker works, then the summary and the closed stream', async ({ page, pg, ffBackend }) => {
  await page.setViewportSize({ width: 1440, height: 1000 });
  await page.getByTestId('exec-lane').fill('reports');
  await page.getByTestId('exec-create').click();
  await expect(pg.columnCount('waiting')).toHaveText('1');
  const handle = (await ffBackend.call('claim', { laneId: 'reports', ...WORKER, leaseTtlMs: 600_000 })) as Handle;
  await pg.column('active').getByTestId('exec-card').first().click();
  await expect(page.getByTestId('details-state')).toHaveText('active');

  const frames = page.getByTestId('stream-frame');
  const step = async (n: number): Promise<void> => {
    await ffBackend.call('appendFrame', { handle, payload: `step ${n}/3 of attempt 1`, kind: 'stdout' });
    await ffBackend.call('appendFrame', { handle, payload: JSON.stringify({ stage: n < 3 ? 'working' : 'worked', steps_done: n, steps: 3 }), mode: 'summary' });
  };
  // Live: the first step's frames show while the execution is still running.
  await step(1);
  await expect(frames.first()).toContainText('step 1/3 of attempt 1');
  await expect(page.getByTestId('details-state')).toHaveText('active');
  await expect(page.getByTestId('stream-state')).toHaveAttribute('data-closed', 'false');
  await expect(page.getByTestId('summary-version')).toHaveText('version 1');
  await expect(page.getByTestId('stream-summary')).toContainText('"stage": "working"');

  await step(2);
  await step(3);
  await ffBackend.call('completeExecution', { handle, result: 'three steps' });
  await expect(page.getByTestId('details-state')).toHaveText('completed');
  await expect(frames).toHaveCount(6);
  await expect(frames.and(page.locator('[data-mode="summary"]'))).toHaveCount(3);
  await expect(frames.and(page.locator('[data-mode="durable"]'))).toHaveText([/step 1\/3/, /step 2\/3/, /step 3\/3/]);
  await expect(page.getByTestId('summary-version')).toHaveText('version 3');
  await expect(page.getByTestId('stream-summary')).toContainText('"steps_done": 3');
  await expect(page.getByTestId('stream-state')).toHaveAttribute('data-closed', 'true');
  await expect(page.getByTestId('stream-state')).toContainText('attempt_success');
  await expect(page.getByTestId('stream-attempt')).toHaveText('attempt 1 · 6 frames');
  await expect(page.getByTestId('details-result')).toHaveText('three steps');
  await expect(page.getByTestId('attempt-outcome')).toHaveText('success');
  await page.getByTestId('details-stream').screenshot({ path: `${SHOTS}/details-stream.png` });
});

test('change priority and revoke lease answer beside their controls, and a refusal replaces the last answer', async ({ page, pg, ffBackend }) => {
  await page.setViewportSize({ width: 1440, height: 1000 });
  // No worker yet: the execution waits to be claimed, the one state changePriority accepts.
  await page.getByTestId('exec-lane').fill('ops');
  await page.getByTestId('exec-priority').fill('2');
  await page.getByTestId('exec-create').click();
  await pg.column('waiting').getByTestId('exec-card').first().click();
  const op = page.getByTestId('details-operator');
  const priorityForm = op.getByTestId('priority-form');
  await expect(op.getByTestId('details-priority-input')).toHaveValue('2');

  await op.getByTestId('details-priority-input').fill('7');
  await op.getByTestId('details-change-priority').click();
  await expect(op.getByTestId('priority-result')).toHaveText('priority 2 → 7');
  await expect(page.getByTestId('details-main')).toContainText('Priority7');

  // Outside the 32-bit range: refused, never clamped. The error sits by the form and the old answer is gone.
  await op.getByTestId('details-priority-input').fill('99999999999');
  await op.getByTestId('details-change-priority').click();
  await expect(op.getByTestId('inline-error')).toHaveAttribute('data-code', 'validation.invalid_input');
  await expect(op.getByTestId('inline-error')).toContainText('Changing the priority failed');
  await expect(priorityForm.getByTestId('priority-result')).toHaveCount(0);
  await expect(page.getByTestId('details-main')).toContainText('Priority7');

  // Nothing holds a lease yet.
  await op.getByTestId('details-revoke-lease').click();
  await expect(op.getByTestId('revoke-result')).toHaveAttribute('data-kind', 'no_active_lease');
  await expect(op.getByTestId('revoke-result')).toHaveText('nothing to revoke: no active lease');
  await expect(op.getByTestId('reclaim-form')).toBeHidden();

  // A worker holds the lease: revoke it; reclaim is offered from then on.
  await ffBackend.call('claim', { laneId: 'ops', ...WORKER, leaseTtlMs: 600_000 });
  await expect(page.getByTestId('details-state')).toHaveText('active');
  await op.getByTestId('details-revoke-lease').click();
  await expect(op.getByTestId('revoke-result')).toHaveAttribute('data-kind', 'revoked');
  await expect(op.getByTestId('revoke-result')).toHaveText('revoked lease epoch 1 of attempt 1 (held by ops-worker-1)');
  await expect(page.getByTestId('attempt-outcome')).toHaveText('attempt interrupted');
  await expect(page.getByTestId('vector-ownershipState')).toHaveAttribute('data-value', 'lease_revoked');
  await expect(op.getByTestId('reclaim-form')).toBeVisible();
  await expect(op.getByTestId('reclaim-form')).toContainText('Its lease was revoked.');

  // A second revoke finds nothing; a running execution's priority cannot change.
  await op.getByTestId('details-revoke-lease').click();
  await expect(op.getByTestId('revoke-result')).toHaveAttribute('data-kind', 'no_active_lease');
  await op.getByTestId('details-priority-input').fill('9');
  await op.getByTestId('details-change-priority').click();
  await expect(op.getByTestId('inline-error')).toHaveAttribute('data-code', 'contention.execution_not_eligible');
  const events = await ffBackend.events({ channel: 'operator' });
  expect(events.map((e) => e.channel === 'operator' && e.eventType)).toEqual(['priority_changed', 'lease_revoked']);
  await page.getByTestId('details-operator').screenshot({ path: `${SHOTS}/details-operator.png` });
});
