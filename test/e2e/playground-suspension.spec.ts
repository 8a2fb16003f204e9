/**
 * The drawer's suspension view, driven by clicks: a worker (played through
 * ffBackend) suspends its job waiting for an approval; the drawer shows the
 * waitpoint, the condition and a countdown on the engine clock, and Approve
 * or the Deliver-signal form wakes it. Virtual time is paused, so countdowns
 * are exact; ffBackend.advance moves it where a timeout must pass.
 */
import type { Page } from '@playwright/test';
import type { FfBackend } from '../../src/testing/playwright.js';
import type { Handle, TimeoutBehavior } from '../../src/index.js';
import { expect, test, type Playground } from './fixture-playground.js';

const SHOTS = 'test/e2e/screenshots';
const WORKER = { workerId: 'approvals', workerInstanceId: 'approvals-1' };

/**
 * Create one execution on `lane`, claim it, work three steps (a frame and a
 * summary patch each), then suspend for an approval; open its drawer.
 */
async function createSuspended(page: Page, pg: Playground, ffBackend: FfBackend, lane: string, timeoutMs: number, behavior: TimeoutBehavior): Promise<string> {
  await ffBackend.seed({ executions: [{ laneId: lane }] });
  const handle = (await ffBackend.call('claim', { laneId: lane, ...WORKER, leaseTtlMs: 600_000 })) as Handle;
  for (let step = 1; step <= 3; step++) {
    await ffBackend.call('appendFrame', { handle, payload: `step ${step}/3`, kind: 'stdout' });
    await ffBackend.call('appendFrame', { handle, payload: JSON.stringify({ stage: 'working', steps_done: step }), mode: 'summary' });
  }
  await ffBackend.call('appendFrame', { handle, payload: 'waiting for an approval', kind: 'event', frameType: 'suspend' });
  await ffBackend.call('suspend', {
    handle,
    waitpoints: [{ kind: 'fresh', waitpointKey: 'approval' }],
    resumeCondition: { kind: 'approval', waitpointKey: 'approval' },
    timeout: { atMs: (await ffBackend.now()) + timeoutMs, behavior },
  });
  await pg.column('other').getByTestId('exec-card').first().click();
  await expect(page.getByTestId('details-state')).toHaveText('suspended');
  return handle.executionId;
}

/** What the worker does after the approval: claim the resumed execution, read its signals, complete. */
async function finishResumed(ffBackend: FfBackend, executionId: string): Promise<void> {
  const handle = await ffBackend.call('claimResumedExecution', { executionId, ...WORKER, leaseTtlMs: 600_000 });
  const signals = await ffBackend.call('observeSignals', { handle });
  await ffBackend.call('appendFrame', { handle, payload: `resumed by ${signals.map((s) => s.signalName).join(', ')}`, kind: 'event', frameType: 'resumed' });
  await ffBackend.call('completeExecution', { handle, result: JSON.stringify({ resumedBy: signals.map((s) => s.signalName) }) });
}

test('approval round trip: the worker suspends, Approve resumes it, the worker completes it', async ({ page, pg, ffBackend }) => {
  await page.setViewportSize({ width: 1440, height: 1000 });
  const executionId = await createSuspended(page, pg, ffBackend, 'reviews', 3_600_000, 'cancel');

  const s = page.getByTestId('details-suspension');
  await expect(s.getByTestId('suspension-state')).toHaveText('waiting');
  await expect(s.getByTestId('suspension-condition')).toContainText("an approval: a signal named 'approved' on waitpoint 'approval'");
  await expect(s.getByTestId('suspension-countdown')).toHaveText('in 1h 00m 00s');
  await expect(s.getByTestId('suspension-timeout')).toContainText('then cancel');
  await expect(s.getByTestId('waitpoint')).toHaveCount(1);
  // The token is shown redacted: kid and a 16-hex-digit fingerprint, never the digest.
  await expect(s.getByTestId('waitpoint')).toHaveText(/^approval · active · token playground-1:[0-9a-f]{16}… · expires in 1h 00m 00s · wants approved$/);
  await expect(s.getByTestId('suspension-secret-note')).toContainText('kid playground-1');
  await expect(s.getByTestId('signal-received')).toHaveCount(0);
  // The stream of the suspended attempt: three steps, three summary patches, the suspend event; closed by the suspension.
  await expect(page.getByTestId('stream-frame')).toHaveCount(7);
  await expect(page.getByTestId('stream-state')).toContainText('attempt_interrupted');
  await page.getByTestId('exec-details').screenshot({ path: `${SHOTS}/details-suspended.png` });

  await s.getByTestId('details-approve').click();
  await expect(s.getByTestId('approve-result')).toHaveAttribute('data-kind', 'resume_condition_satisfied');
  await expect(s.getByTestId('approve-result')).toHaveText('resumed: the condition is met, the execution is resumable');
  await expect(page.getByTestId('details-state')).toHaveText('resumable');
  await expect(s.getByTestId('signal-received')).toHaveText(['approved from devtools operator · resume condition satisfied']);

  await finishResumed(ffBackend, executionId);
  await expect(page.getByTestId('details-state')).toHaveText('completed');
  await expect(page.getByTestId('attempt-row')).toHaveCount(2);
  await expect(page.getByTestId('attempt-row').last()).toContainText('resume');
  await expect(page.getByTestId('details-result')).toHaveText('{"resumedBy":["approved"]}');
  // The resumed attempt writes a stream of its own.
  await expect(page.getByTestId('stream-attempt')).toHaveText('attempt 2 · 1 frame');
  await expect(page.getByTestId('stream-frame')).toHaveText([/resumed by approved$/]);
});

test('the deliver-signal form presents the real token: a rejection is appended, an approval resumes, a spent waitpoint is an error', async ({ page, pg, ffBackend }) => {
  await createSuspended(page, pg, ffBackend, 'forms', 3_600_000, 'fail');
  const s = page.getByTestId('details-suspension');
  await expect(s.getByTestId('signal-waitpoint').locator('option')).toHaveCount(1);

  await s.getByTestId('signal-name').fill('rejected');
  await s.getByTestId('signal-deliver').click();
  await expect(s.getByTestId('signal-result')).toHaveAttribute('data-kind', 'appended_to_waitpoint');
  await expect(s.getByTestId('signal-result')).toHaveText("'rejected' appended: recorded, the condition is not met yet");
  await expect(s.getByTestId('suspension-signal-count')).toHaveText('1 received');
  await expect(s.getByTestId('signal-received')).toHaveText(['rejected from devtools form · appended to waitpoint']);
  await expect(page.getByTestId('details-state')).toHaveText('suspended');

  await s.getByTestId('signal-name').fill('approved');
  await s.getByTestId('signal-deliver').click();
  await expect(s.getByTestId('signal-result')).toHaveAttribute('data-kind', 'resume_condition_satisfied');
  await expect(page.getByTestId('details-state')).toHaveText('resumable');
  await expect(s.getByTestId('signal-received')).toHaveCount(2);

  // The waitpoint went with the suspension: nothing left to deliver to. The error replaces the last answer.
  await expect(s.getByTestId('signal-waitpoint').locator('option')).toHaveCount(0);
  await s.getByTestId('signal-deliver').click();
  await expect(s.getByTestId('inline-error')).toHaveAttribute('data-code', 'not_found');
  await expect(s.getByTestId('inline-error')).toContainText('no open waitpoint');
  await expect(s.getByTestId('signal-result')).toHaveCount(0);
});

test('the countdown runs on the virtual clock and a fail timeout ends the execution when it passes', async ({ page, pg, ffBackend }) => {
  await createSuspended(page, pg, ffBackend, 'slow-approvals', 60_000, 'fail');
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
  await expect(page.getByTestId('details-no-attempts')).toHaveCount(0);
});
