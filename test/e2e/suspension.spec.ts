/**
 * Suspension through the browser client in real Chromium: one page suspends
 * an execution on an approval, another page (sharing the engine) approves
 * it with the token, the first sees the signal event and resumes, and a
 * `resume` timeout fires on the manual clock.
 */
import { expect, test } from '@playwright/test';
import { openHarness, uniqueName } from './harness.js';

const SECRET = 'cafebabe'.repeat(8);
const WORKER = { workerId: 'w', workerInstanceId: 'w-1', leaseTtlMs: 30_000 };

test('suspend in one page, approve with the token in another, resume and complete', async ({ context }) => {
  const name = uniqueName('suspend');
  const worker = await openHarness(context, { name });
  const approver = await openHarness(context, { name });
  const suspended = await worker.evaluate(
    async ({ secret, w }) => {
      const backend = window.ffHarness.backend!;
      const seen: string[] = [];
      (window as unknown as { seen: string[] }).seen = seen;
      await backend.subscribe({ channels: ['signal'] }, (e) => void (e.channel === 'signal' && seen.push(`${e.cursor} ${e.effect}`)));
      await backend.seedWaitpointHmacSecret({ kid: 'k1', secretHex: secret });
      const { executionId } = (await backend.createExecution({ laneId: 'approvals' })) as { executionId: string };
      const handle = (await backend.claim({ laneId: 'approvals', ...w }))!;
      const result = await backend.suspend({ handle, waitpoints: [{ kind: 'fresh', waitpointKey: 'manager' }], resumeCondition: { kind: 'approval' } });
      return { executionId, waitpoint: result.waitpoints[0]! };
    },
    { secret: SECRET, w: WORKER },
  );
  expect(suspended.waitpoint.token).toMatch(/^k1:[0-9a-f]{64}$/);

  const refused = await approver.evaluate(
    ({ executionId, waitpoint }) =>
      window.ffHarness.backend!.deliverSignal({ executionId, waitpointId: waitpoint.waitpointId, waitpointToken: `k1:${'0'.repeat(64)}`, signalName: 'approved' }).then(
        () => null,
        (err: { code: string; details: { reason: string } }) => `${err.code} ${err.details.reason}`,
      ),
    suspended,
  );
  expect(refused).toBe('validation.invalid_token signature_mismatch');
  const delivered = await approver.evaluate(
    ({ executionId, waitpoint }) =>
      window.ffHarness.backend!.deliverSignal({ executionId, waitpointId: waitpoint.waitpointId, waitpointToken: waitpoint.token, signalName: 'approved' }),
    suspended,
  );
  expect(delivered.effect).toBe('resume_condition_satisfied');

  await expect.poll(() => worker.evaluate(() => (window as unknown as { seen: string[] }).seen)).toEqual(['signal:1 resume_condition_satisfied']);
  const ended = await worker.evaluate(
    async ({ executionId, w }) => {
      const backend = window.ffHarness.backend!;
      const handle = await backend.claimResumedExecution({ executionId, ...w });
      const signals = await backend.observeSignals({ handle });
      await backend.completeExecution({ handle, result: 'approved' });
      return { kind: handle.kind, signals: signals.map((s) => s.signalName), state: await backend.readExecutionState({ executionId }) };
    },
    { executionId: suspended.executionId, w: WORKER },
  );
  expect(ended).toEqual({ kind: 'resumed', signals: ['approved'], state: 'completed' });
});

test('a resume timeout fires when the manual clock reaches it, not before', async ({ context }) => {
  const page = await openHarness(context, { name: uniqueName('suspend-timeout'), persistence: 'memory', clock: 'manual' });
  const states = await page.evaluate(
    async ({ secret, w }) => {
      const backend = window.ffHarness.backend!;
      await backend.seedWaitpointHmacSecret({ kid: 'k1', secretHex: secret });
      const { executionId } = (await backend.createExecution({ laneId: 'timeouts' })) as { executionId: string };
      const handle = (await backend.claim({ laneId: 'timeouts', ...w }))!;
      const at = (await backend.now()) + 60_000;
      await backend.suspend({ handle, waitpoints: [{ kind: 'fresh', waitpointKey: 'k' }], resumeCondition: { kind: 'operator_only' }, timeout: { atMs: at, behavior: 'resume' } });
      await backend.advanceTimeTo({ at: at - 1 });
      const before = await backend.readExecutionState({ executionId });
      await backend.advanceTimeTo({ at });
      return [before, await backend.readExecutionState({ executionId })];
    },
    { secret: SECRET, w: WORKER },
  );
  expect(states).toEqual(['suspended', 'resumable']);
});
