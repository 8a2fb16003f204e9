/**
 * Streams in real Chromium, through the worker: a tail pending in one tab
 * holds up none of its calls and is ended by a frame another tab appends;
 * on a manual clock a tail ends when virtual time passes its blockMs; the
 * stream channel delivers frames with cursors.
 */
import { expect, test } from '@playwright/test';
import { openHarness, uniqueName } from './harness.js';

test('a tail waits in the worker without holding up calls, and a frame from another tab ends it', async ({ context }) => {
  const name = uniqueName('streams');
  const a = await openHarness(context, { name });
  const b = await openHarness(context, { name });
  const executionId = await b.evaluate(async () => {
    const backend = window.ffHarness.backend!;
    const { executionId } = (await backend.createExecution({ laneId: 'st' })) as { executionId: string };
    const handle = await backend.claim({ laneId: 'st', workerId: 'w', workerInstanceId: 'w-1', leaseTtlMs: 60_000 });
    (window as unknown as { handle: unknown }).handle = handle;
    return executionId;
  });
  const during = await a.evaluate(async (id) => {
    const w = window as unknown as { tail: Promise<unknown>; seen: string[] };
    const backend = window.ffHarness.backend!;
    w.seen = [];
    await backend.subscribe({ channels: ['stream'] }, (e) => w.seen.push(e.cursor));
    w.tail = backend.tailStream({ executionId: id, attemptIndex: 0, after: '0-0', blockMs: 30_000 });
    return backend.readExecutionState({ executionId: id });
  }, executionId);
  expect(during).toBe('active');
  await b.evaluate(async () => {
    const handle = (window as unknown as { handle: never }).handle;
    await window.ffHarness.backend!.appendFrame({ handle, payload: 'hello', kind: 'stdout' });
  });
  const tailed = await a.evaluate(async () => (await (window as unknown as { tail: Promise<{ frames: { fields: Record<string, string> }[] }> }).tail).frames.map((f) => f.fields['payload']));
  expect(tailed).toEqual(['hello']);
  await expect.poll(() => a.evaluate(() => (window as unknown as { seen: string[] }).seen)).toEqual(['stream:1']);
});

test('on a manual clock a tail ends when virtual time passes blockMs', async ({ context }) => {
  const page = await openHarness(context, { name: uniqueName('stream-clock'), persistence: 'memory', clock: 'manual' });
  const result = await page.evaluate(async () => {
    const backend = window.ffHarness.backend!;
    const { executionId } = (await backend.createExecution({ laneId: 'st' })) as { executionId: string };
    await backend.claim({ laneId: 'st', workerId: 'w', workerInstanceId: 'w-1', leaseTtlMs: 60_000 });
    let done = false;
    const tail = backend.tailStream({ executionId, attemptIndex: 0, after: '0-0', blockMs: 5_000 }).then((r) => ((done = true), r));
    await backend.advanceTime({ ms: 4_999 });
    const early = done;
    await backend.advanceTime({ ms: 1 });
    return { early, result: await tail };
  });
  expect(result).toEqual({ early: false, result: { frames: [], closedAt: null, closedReason: null } });
});
