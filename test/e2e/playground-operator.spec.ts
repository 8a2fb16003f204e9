/**
 * The playground's stream view and operator controls, driven by clicks:
 * frames the in-page worker appends show in the details while it works,
 * with the summary document; change priority and revoke lease answer
 * beside their controls, errors included, and land on the timeline.
 */
import { expect, test } from './fixture-playground.js';

const SHOTS = 'test/e2e/screenshots';

test('stream frames appear live while the worker works, then the summary and the closed stream', async ({ page, pg }) => {
  await page.setViewportSize({ width: 1440, height: 1000 });
  await page.getByTestId('worker-lanes').fill('reports');
  // Three steps of one real second each: long enough to see the stream grow.
  await page.getByTestId('worker-delay').fill('3000');
  await page.getByTestId('worker-toggle').click();
  await page.getByTestId('exec-lane').fill('reports');
  await page.getByTestId('exec-create').click();
  await pg.column('active').getByTestId('exec-card').first().click();
  await expect(page.getByTestId('details-state')).toHaveText('active');

  const frames = page.getByTestId('stream-frame');
  // Live: the first step's frames show while the execution is still running.
  await expect(frames.first()).toContainText('step 1/3 of attempt 1');
  await expect(page.getByTestId('details-state')).toHaveText('active');
  await expect(page.getByTestId('stream-state')).toHaveAttribute('data-closed', 'false');
  await expect(page.getByTestId('summary-version')).toHaveText('version 1');
  await expect(page.getByTestId('stream-summary')).toContainText('"stage": "working"');

  await expect(page.getByTestId('details-state')).toHaveText('completed');
  await expect(frames).toHaveCount(6);
  await expect(frames.and(page.locator('[data-mode="summary"]'))).toHaveCount(3);
  await expect(frames.and(page.locator('[data-mode="durable"]'))).toHaveText([/step 1\/3/, /step 2\/3/, /step 3\/3/]);
  await expect(page.getByTestId('summary-version')).toHaveText('version 3');
  await expect(page.getByTestId('stream-summary')).toContainText('"steps_done": 3');
  await expect(page.getByTestId('stream-state')).toHaveAttribute('data-closed', 'true');
  await expect(page.getByTestId('stream-state')).toContainText('attempt_success');
  await expect(page.getByTestId('stream-attempt')).toHaveText('attempt 1 · 6 frames');
  await expect(page.getByTestId('timeline-item').and(page.locator('[data-channel="stream"]'))).toHaveCount(6);
  await page.getByTestId('details-stream').screenshot({ path: `${SHOTS}/details-stream.png` });
});

test('change priority and revoke lease answer beside their controls, with typed errors, and reach the timeline', async ({ page, pg }) => {
  await page.setViewportSize({ width: 1440, height: 1000 });
  // No worker yet: the execution waits to be claimed, the one state changePriority accepts.
  await page.getByTestId('exec-lane').fill('ops');
  await page.getByTestId('exec-priority').fill('2');
  await page.getByTestId('exec-create').click();
  await pg.column('waiting').getByTestId('exec-card').first().click();
  const op = page.getByTestId('details-operator');
  await expect(op.getByTestId('details-priority-input')).toHaveValue('2');

  await op.getByTestId('details-priority-input').fill('7');
  await op.getByTestId('details-change-priority').click();
  await expect(op.getByTestId('priority-result')).toHaveText('priority 2 → 7');
  await expect(page.getByTestId('details-main')).toContainText('Priority7');
  await expect(page.getByTestId('timeline-item').and(page.locator('[data-type="priority_changed"]'))).toHaveCount(1);

  // Outside the 32-bit range: refused, never clamped; the result says why.
  await op.getByTestId('details-priority-input').fill('99999999999');
  await op.getByTestId('details-change-priority').click();
  await expect(op.getByTestId('priority-result')).toHaveAttribute('data-kind', 'validation.invalid_input');
  await expect(page.getByTestId('details-main')).toContainText('Priority7');

  // Nothing holds a lease yet.
  await op.getByTestId('details-revoke-lease').click();
  await expect(op.getByTestId('revoke-result')).toHaveAttribute('data-kind', 'no_active_lease');
  await expect(op.getByTestId('revoke-result')).toHaveText('nothing to revoke: no active lease');

  // A worker that keeps working holds the lease: revoke it.
  await page.getByTestId('worker-lanes').fill('ops');
  await page.getByTestId('worker-delay').fill('600000');
  await page.getByTestId('worker-frames').uncheck();
  await page.getByTestId('worker-toggle').click();
  await expect(page.getByTestId('details-state')).toHaveText('active');
  await op.getByTestId('details-revoke-lease').click();
  await expect(op.getByTestId('revoke-result')).toHaveAttribute('data-kind', 'revoked');
  await expect(op.getByTestId('revoke-result')).toHaveText(/^revoked lease epoch 1 of attempt 1 \(held by playground-worker-\S+\)$/);
  await expect(page.getByTestId('timeline-item').and(page.locator('[data-type="lease_revoked"]'))).toHaveCount(1);
  await expect(page.getByTestId('timeline-item').and(page.locator('[data-channel="lease"][data-type="revoked"]'))).toHaveCount(1);

  // A second revoke finds nothing; a running execution's priority cannot change.
  await op.getByTestId('details-revoke-lease').click();
  await expect(op.getByTestId('revoke-result')).toHaveAttribute('data-kind', 'no_active_lease');
  await op.getByTestId('details-priority-input').fill('9');
  await op.getByTestId('details-change-priority').click();
  await expect(op.getByTestId('priority-result')).toHaveAttribute('data-kind', 'contention.execution_not_eligible');
  await page.getByTestId('details-operator').screenshot({ path: `${SHOTS}/details-operator.png` });
});
