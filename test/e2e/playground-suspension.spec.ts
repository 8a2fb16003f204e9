/**
 * The playground's suspension view, driven by clicks: the in-page worker
 * suspends its job waiting for an approval, the details show the waitpoint,
 * the condition and a countdown on the engine clock, and Approve or the
 * Deliver-signal form wakes it. Virtual time is paused, so countdowns are
 * exact; ffBackend.advance moves it where a timeout must pass.
 */
import type { Page } from '@playwright/test';
import { expect, test, type Playground } from './fixture-playground.js';

const SHOTS = 'test/e2e/screenshots';

/** Start the in-page worker on `lane`, told to suspend each job for an approval. */
async function startApprovalWorker(page: Page, lane: string, timeoutS: number, behavior: string): Promise<void> {
  await page.getByTestId('worker-lanes').fill(lane);
  await page.getByTestId('worker-delay').fill('30');
  await page.getByTestId('worker-approval').check();
  await page.getByTestId('worker-approval-timeout').fill(String(timeoutS));
  await page.getByTestId('worker-approval-behavior').selectOption(behavior);
  await page.getByTestId('worker-toggle').click();
  await expect(page.getByTestId('worker-state')).toHaveText('running');
}

/** Create one execution on `lane` and open its details once the worker has suspended it. */
async function createSuspended(page: Page, pg: Playground, lane: string): Promise<void> {
  await page.getByTestId('exec-lane').fill(lane);
  await page.getByTestId('exec-create').click();
  await expect(page.getByTestId('worker-stat-suspended')).toHaveText('1');
  await pg.column('other').getByTestId('exec-card').first().click();
  await expect(page.getByTestId('details-state')).toHaveText('suspended');
}

test('approval round trip: the worker suspends, Approve resumes it, the worker completes it', async ({ page, pg }) => {
  await page.setViewportSize({ width: 1440, height: 1000 });
  await startApprovalWorker(page, 'reviews', 3600, 'cancel');
  await createSuspended(page, pg, 'reviews');

  const s = page.getByTestId('details-suspension');
  await expect(s.getByTestId('suspension-state')).toHaveText('waiting');
  await expect(s.getByTestId('suspension-condition')).toContainText("an approval: a signal named 'approved' on waitpoint 'approval'");
  await expect(s.getByTestId('suspension-countdown')).toHaveText('in 1h 00m 00s');
  await expect(s.getByTestId('suspension-timeout')).toContainText('then cancel');
  await expect(s.getByTestId('waitpoint')).toHaveCount(1);
  // The token is shown redacted: kid and a 16-hex-digit fingerprint, never the digest.
  await expect(s.getByTestId('waitpoint')).toHaveText(/^approval · active · token playground-1:[0-9a-f]{16}… · expires in 1h 00m 00s · wants approved$/);
  await expect(s.getByTestId('suspension-secret-note')).toContainText('seeded at random because the database had none');
  await expect(s.getByTestId('signal-received')).toHaveCount(0);
  // The stream of the suspended attempt: three steps, three summary patches, the suspend event; closed by the suspension.
  await expect(page.getByTestId('stream-frame')).toHaveCount(7);
  await expect(page.getByTestId('stream-state')).toContainText('attempt_interrupted');
  await page.getByTestId('exec-details').screenshot({ path: `${SHOTS}/details-suspended.png` });

  await s.getByTestId('details-approve').click();
  await expect(s.getByTestId('approve-result')).toHaveAttribute('data-kind', 'resume_condition_satisfied');
  await expect(s.getByTestId('approve-result')).toHaveText('resumed: the condition is met, the execution is resumable');
  // The worker claims the resumed execution, reads the approval and completes.
  await expect(page.getByTestId('details-state')).toHaveText('completed');
  await expect(page.getByTestId('worker-stat-completed')).toHaveText('1');
  await expect(page.getByTestId('attempt-row')).toHaveCount(2);
  await expect(page.getByTestId('attempt-row').last()).toContainText('resume');
  await expect(page.getByTestId('details-main')).toContainText('"resumedBy":["approved"]');
  await expect(s.getByTestId('signal-received')).toHaveText(['approved from playground operator · resume condition satisfied']);
  // The resumed attempt writes a stream of its own; with the clock paused its frame ids repeat the first stream's.
  await expect(page.getByTestId('stream-attempt')).toHaveText('attempt 2 · 2 frames');
  await expect(page.getByTestId('stream-frame')).toHaveText([/resumed by approved$/, /"stage":"approved"/]);
  await expect(page.getByTestId('stream-summary')).toContainText('"stage": "approved"');
  await expect(page.getByTestId('timeline-item').and(page.locator('[data-channel="signal"]'))).toContainText(['signal approved · resume condition satisfied']);
});

test('the deliver-signal form presents the real token: a rejection is appended, an approval resumes, a spent waitpoint is an error', async ({ page, pg }) => {
  await startApprovalWorker(page, 'forms', 3600, 'fail');
  await createSuspended(page, pg, 'forms');
  const s = page.getByTestId('details-suspension');
  await expect(s.getByTestId('signal-waitpoint').locator('option')).toHaveCount(1);

  await s.getByTestId('signal-name').fill('rejected');
  await s.getByTestId('signal-deliver').click();
  await expect(s.getByTestId('signal-result')).toHaveAttribute('data-kind', 'appended_to_waitpoint');
  await expect(s.getByTestId('signal-result')).toHaveText("'rejected' appended: recorded, the condition is not met yet");
  await expect(s.getByTestId('suspension-signal-count')).toHaveText('1 received');
  await expect(s.getByTestId('signal-received')).toHaveText(['rejected from playground form · appended to waitpoint']);
  await expect(page.getByTestId('details-state')).toHaveText('suspended');

  await s.getByTestId('signal-name').fill('approved');
  await s.getByTestId('signal-deliver').click();
  await expect(s.getByTestId('signal-result')).toHaveAttribute('data-kind', 'resume_condition_satisfied');
  await expect(page.getByTestId('details-state')).toHaveText('completed');
  await expect(s.getByTestId('signal-received')).toHaveCount(2);

  // The waitpoint went with the suspension: nothing left to deliver to.
  await expect(s.getByTestId('signal-waitpoint').locator('option')).toHaveCount(0);
  await s.getByTestId('signal-deliver').click();
  await expect(s.getByTestId('signal-result')).toHaveAttribute('data-kind', 'not_found');
  await expect(s.getByTestId('signal-result')).toContainText('no open waitpoint');
});

test('the countdown runs on the virtual clock and a fail timeout ends the execution when it passes', async ({ page, pg, ffBackend }) => {
  await startApprovalWorker(page, 'slow-approvals', 60, 'fail');
  await createSuspended(page, pg, 'slow-approvals');
  const s = page.getByTestId('details-suspension');
  await expect(s.getByTestId('suspension-countdown')).toHaveText('in 1m 00s');
  const timeoutAt = Number(await s.getByTestId('suspension-countdown').getAttribute('data-timeout-at-ms'));
  expect(timeoutAt).toBe((await ffBackend.now()) + 60_000);

  await ffBackend.advance(30_000);
  await expect(s.getByTestId('suspension-countdown')).toHaveText('in 30s');
  await expect(page.getByTestId('details-state')).toHaveText('suspended');

  await ffBackend.advance(31_000);
  await expect(page.getByTestId('details-state')).toHaveText('failed');
  await expect(page.getByTestId('details-main')).toContainText('suspension_timeout_fail');
  await expect(page.getByTestId('worker-stat-completed')).toHaveText('0');
  await expect(page.getByTestId('timeline-item').and(page.locator('[data-channel="completion"]'))).toContainText(['ended failed']);
});
