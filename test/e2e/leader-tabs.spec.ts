/**
 * worker: 'leader' in real Chromium: the engine in one tab's dedicated
 * Worker, other tabs calling it through a port the broker relayed, and the
 * handoff when the leader's tab or worker goes.
 */
import { expect, test, type Page } from '@playwright/test';
import { countLane, createMany, expectReady, openHarness, status, uniqueName } from './harness.js';

interface Stream {
  resolved: string[];
  errors: { code: string; message: string }[];
}

/** Start a stream of createExecution calls in `page`, one after the other, until stopStream(). */
function startStream(page: Page, laneId: string): Promise<void> {
  return page.evaluate((laneId) => {
    const w = window as unknown as { stream: Stream & { stop: boolean; done: Promise<void> } };
    w.stream = { resolved: [], errors: [], stop: false, done: Promise.resolve() };
    w.stream.done = (async () => {
      while (!w.stream.stop) {
        try {
          const { executionId } = await window.ffHarness.backend!.createExecution({ laneId });
          w.stream.resolved.push(executionId);
        } catch (err) {
          w.stream.errors.push(window.ffHarness.plain(err));
        }
      }
    })();
  }, laneId);
}

function streamCount(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { stream: Stream }).stream.resolved.length);
}

async function stopStream(page: Page): Promise<Stream> {
  return page.evaluate(async () => {
    const w = window as unknown as { stream: Stream & { stop: boolean; done: Promise<void> } };
    w.stream.stop = true;
    await w.stream.done;
    return { resolved: w.stream.resolved, errors: w.stream.errors };
  });
}

/** Issue a long call (millions of creates in the worker) and keep its outcome on window; returns once it is issued. */
function startLongCall(page: Page): Promise<void> {
  return page.evaluate(() => {
    (window as unknown as { longCall: Promise<unknown> }).longCall = window.ffHarness.backend!.measureInWorker({ op: 'createExecution', count: 5_000_000, laneId: 'busy' }).then(
      () => null,
      (err: unknown) => window.ffHarness.plain(err),
    );
  });
}

function longCallOutcome(page: Page): Promise<unknown> {
  return page.evaluate(() => (window as unknown as { longCall: Promise<unknown> }).longCall);
}

/** The ids of `ids` the page's backend cannot find. */
function missing(page: Page, ids: string[]): Promise<string[]> {
  return page.evaluate(async (ids) => {
    const backend = window.ffHarness.backend!;
    const states = await Promise.all(ids.map((executionId) => backend.readExecutionState({ executionId }).catch(() => null)));
    return ids.filter((_, i) => states[i] === null);
  }, ids);
}

test('two tabs on one database: writes from either are visible to both, and status() says which tab leads', async ({ context }) => {
  const name = uniqueName('leader-two');
  const a = await openHarness(context, { name, worker: 'leader' });
  const b = await openHarness(context, { name, worker: 'leader' });
  await expectReady(a);
  await expectReady(b);
  const [sa, sb] = [await status(a), await status(b)];
  expect(sa).toMatchObject({ role: 'leader', host: 'worker', reconnects: 0 });
  expect(sb).toMatchObject({ role: 'follower', host: 'worker', reconnects: 0, leaderId: sa.leaderId });
  expect(sb.connections).toBe(2);
  await Promise.all([createMany(a, 'both', 20), createMany(b, 'both', 20)]);
  expect(await countLane(a, 'both')).toBe(40);
  expect(await countLane(b, 'both')).toBe(40);
  // A follower's write is saved by the time it resolves: the saved image already has it.
  const [fromB] = await createMany(b, 'saved', 1);
  const sequence = (await status(b)).persistedSequence;
  expect(sequence).toBeGreaterThan(0);
  expect(await a.evaluate((id) => window.ffHarness.backend!.readExecutionState({ executionId: id }), fromB!)).toBe('waiting');
});

test("'auto' runs the leader topology where Web Locks and SharedWorker exist", async ({ context }) => {
  const name = uniqueName('leader-auto');
  const a = await openHarness(context, { name });
  const b = await openHarness(context, { name });
  expect(await status(a)).toMatchObject({ role: 'leader', host: 'worker' });
  expect(await status(b)).toMatchObject({ role: 'follower', host: 'worker' });
});

test('the leader tab closing without flush() while a follower is connected: its own writes were saved right after they were made', async ({ context }) => {
  const name = uniqueName('leader-own');
  // A debounce far longer than the test: only the leader's prompt save while a follower is connected can save them.
  const leader = await openHarness(context, { name, worker: 'leader', debounce: 60_000 });
  const follower = await openHarness(context, { name, worker: 'leader', debounce: 60_000 });
  const ids = await createMany(leader, 'own', 5);
  await expect.poll(() => status(leader).then((s) => s.unsavedChanges)).toBe(false);
  await leader.close();
  await expect.poll(() => status(follower).then((s) => s.role, () => 'handing off')).toBe('leader');
  expect(await missing(follower, ids)).toEqual([]);
});

test('closing the leader tab during a stream of writes from a follower: the follower takes over and keeps every write that resolved', async ({ context }) => {
  const name = uniqueName('leader-close');
  const leader = await openHarness(context, { name, worker: 'leader' });
  const follower = await openHarness(context, { name, worker: 'leader' });
  expect(await status(follower)).toMatchObject({ role: 'follower' });
  // The follower also watches completions, to check that its subscription resumes with no gap and no duplicate.
  await follower.evaluate(async () => {
    const w = window as unknown as { cursors: string[] };
    w.cursors = [];
    await window.ffHarness.backend!.subscribe({ channels: ['completion'] }, (event) => w.cursors.push(event.cursor));
  });
  await leader.evaluate(async () => {
    const backend = window.ffHarness.backend!;
    for (let i = 0; i < 5; i++) {
      await backend.createExecution({ laneId: 'done' });
      await backend.completeExecution({ handle: (await backend.claim({ laneId: 'done', workerId: 'w', workerInstanceId: 'w-1', leaseTtlMs: 30_000 }))! });
    }
  });
  await startStream(follower, 'stream');
  await expect.poll(() => streamCount(follower)).toBeGreaterThan(50);
  await leader.close();
  // The follower's client reconnects by itself, as the new leader, and the stream goes on. (A status() in flight
  // at the handoff rejects with a typed error, like any call.)
  await expect.poll(() => status(follower).then((s) => s.role, () => 'handing off')).toBe('leader');
  const before = await streamCount(follower);
  await expect.poll(() => streamCount(follower)).toBeGreaterThan(before + 50);
  const stream = await stopStream(follower);
  // A call in flight at the handoff may fail, always with a typed error.
  for (const error of stream.errors) expect(['closed', 'unavailable']).toContain(error.code);
  expect(stream.errors.length).toBeLessThanOrEqual(2);
  // Every write that resolved is there, read back through the new leader (which started from the saved image).
  expect(await missing(follower, stream.resolved)).toEqual([]);
  expect(await status(follower)).toMatchObject({ role: 'leader', reconnects: 1, openedFrom: 'saved-image' });
  // Completions after the takeover are delivered from where the subscription left off.
  await follower.evaluate(async () => {
    const backend = window.ffHarness.backend!;
    for (let i = 0; i < 3; i++) {
      await backend.createExecution({ laneId: 'done' });
      await backend.completeExecution({ handle: (await backend.claim({ laneId: 'done', workerId: 'w', workerInstanceId: 'w-2', leaseTtlMs: 30_000 }))! });
    }
  });
  const expected = Array.from({ length: 8 }, (_, i) => `completion:${i + 1}`);
  await expect.poll(() => follower.evaluate(() => (window as unknown as { cursors: string[] }).cursors)).toEqual(expected);
});

test("a crash of the leader's worker: every pending call gets a typed error, and the next call works after the restart", async ({ context }) => {
  const name = uniqueName('leader-crash');
  const leader = await openHarness(context, { name, worker: 'leader' });
  const follower = await openHarness(context, { name, worker: 'leader' });
  await createMany(follower, 'lane', 3);
  // Long calls, pending (one running, one queued behind it) when the worker is terminated: one from each tab.
  await startLongCall(leader);
  await startLongCall(follower);
  expect(await leader.evaluate(() => window.ffHarness.terminateWorkers())).toBe(1);
  expect(await longCallOutcome(leader)).toMatchObject({ isEngineError: true, code: 'closed' });
  expect(await longCallOutcome(follower)).toMatchObject({ isEngineError: true, code: 'closed' });
  // The leader tab still leads: it starts a new worker from the saved image, and both tabs reconnect to it.
  expect(await countLane(leader, 'lane')).toBe(3);
  expect(await countLane(follower, 'lane')).toBe(3);
  expect(await status(leader)).toMatchObject({ role: 'leader', reconnects: 1, openedFrom: 'saved-image' });
  expect(await status(follower)).toMatchObject({ role: 'follower', reconnects: 1 });
});

test('the leader tab crashing with calls pending in a follower: they reject with a typed error, and the follower takes over', async ({ context }) => {
  const name = uniqueName('leader-tab-crash');
  const leader = await openHarness(context, { name, worker: 'leader' });
  const follower = await openHarness(context, { name, worker: 'leader' });
  await createMany(follower, 'lane', 2);
  await startLongCall(follower);
  await leader.close({ runBeforeUnload: false });
  expect(await longCallOutcome(follower)).toMatchObject({ isEngineError: true, code: 'closed' });
  expect(await countLane(follower, 'lane')).toBe(2);
  expect(await status(follower)).toMatchObject({ role: 'leader', reconnects: 1 });
});

test("a follower whose clock differs from the leader's is refused with unavailable", async ({ context }) => {
  const name = uniqueName('leader-clock');
  await openHarness(context, { name, worker: 'leader', clock: 'manual' });
  const other = await openHarness(context, { name, worker: 'leader', clock: 'real' });
  expect(await other.evaluate(() => window.ffHarness.error)).toMatchObject({ code: 'unavailable', details: { option: 'clock' } });
});

test('the broker crashing: the leader registers with the next one, and a tab opened afterwards reaches the leader', async ({ context, browser }) => {
  const name = uniqueName('leader-broker');
  const leader = await openHarness(context, { name, worker: 'leader' });
  const follower = await openHarness(context, { name, worker: 'leader' });
  const leaderId = (await status(leader)).leaderId;
  const cdp = await browser.newBrowserCDPSession();
  const { targetInfos } = await cdp.send('Target.getTargets');
  const brokers = targetInfos.filter((t) => t.type === 'shared_worker' && t.url.includes('worker-entry'));
  expect(brokers).toHaveLength(1);
  await cdp.send('Target.closeTarget', { targetId: brokers[0]!.targetId });
  // A short connect timeout: with no leader registered, the tab would fail rather than wait out the default.
  const late = await openHarness(context, { name, worker: 'leader', timeout: 5_000 });
  await expectReady(late);
  expect(await status(late)).toMatchObject({ role: 'follower', leaderId });
  // The follower from before calls the leader's worker directly: it never noticed.
  await createMany(follower, 'lane', 2);
  expect(await status(follower)).toMatchObject({ role: 'follower', reconnects: 0 });
});
