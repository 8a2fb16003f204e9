/**
 * Engine calls through shared memory, in real Chromium: on a
 * cross-origin-isolated page (every response here carries COOP and COEP), a
 * tab's calls to its own dedicated worker travel through a ring in shared
 * memory, while a follower tab's go as messages. What callers see does not
 * change: results, typed errors, bytes, and the handoff to a new leader.
 */
import { expect, test, type BrowserContext } from '@playwright/test';
import { countLane, createMany, expectReady, openHarness, status, uniqueName } from './harness.js';

/** Serve every response of `context` cross-origin isolated, as an app with COOP and COEP headers would be. */
async function isolate(context: BrowserContext): Promise<void> {
  await context.route('**/*', async (route) => {
    const response = await route.fetch();
    await route.fulfill({
      response,
      headers: { ...response.headers(), 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' },
    });
  });
}

test('the leader tab calls its worker through shared memory, a follower by messages; results, errors and bytes come back alike', async ({ context }) => {
  await isolate(context);
  const name = uniqueName('shared-memory');
  const leader = await openHarness(context, { name, worker: 'leader' });
  const follower = await openHarness(context, { name, worker: 'leader' });
  await expectReady(leader);
  await expectReady(follower);
  expect(await leader.evaluate(() => crossOriginIsolated)).toBe(true);
  expect(await status(leader)).toMatchObject({ role: 'leader', callChannel: 'shared-memory' });
  expect(await status(follower)).toMatchObject({ role: 'follower', callChannel: 'messages' });

  const outcome = await leader.evaluate(async () => {
    const backend = window.ffHarness.backend!;
    // 16 callers at once, each its own order of calls: some with bytes (sent as messages), the rest through the ring.
    const ids = await Promise.all(
      Array.from({ length: 16 }, async (_, c) => {
        const mine: string[] = [];
        for (let i = 0; i < 25; i++) {
          const payload = i % 4 === 0 ? new Uint8Array([c, i]) : `${c}:${i}`;
          mine.push((await backend.createExecution({ laneId: 'sm', payload })).executionId);
        }
        return mine;
      }),
    );
    const described = await backend.describeExecution({ executionId: ids[3]![0]! });
    const error = await backend.createExecution({ laneId: 'sm', priority: 'high' as unknown as number }).then(
      () => null,
      (err: unknown) => window.ffHarness.plain(err),
    );
    const payload = described?.payload;
    return { count: new Set(ids.flat()).size, bytes: payload instanceof Uint8Array ? Array.from(payload) : payload, error };
  });
  expect(outcome.count).toBe(400);
  expect(outcome).toMatchObject({ bytes: [3, 0], error: { code: 'validation.invalid_input', isEngineError: true } });
  expect(await countLane(follower, 'sm')).toBe(400);
  await createMany(follower, 'sm', 10);
  expect(await countLane(leader, 'sm')).toBe(410);

  // The follower becomes the leader: its new worker is its own, and its calls move to shared memory.
  await leader.close();
  await expect.poll(() => status(follower).then((s) => s.role, () => 'handing off')).toBe('leader');
  expect(await status(follower)).toMatchObject({ role: 'leader', callChannel: 'shared-memory' });
  expect(await countLane(follower, 'sm')).toBe(410);
});

test("worker: 'dedicated' on an isolated page uses shared memory; without isolation, messages", async ({ context, browser }) => {
  await isolate(context);
  const isolated = await openHarness(context, { name: uniqueName('sm-dedicated'), worker: 'dedicated' });
  await expectReady(isolated);
  expect(await status(isolated)).toMatchObject({ callChannel: 'shared-memory' });
  expect(await createMany(isolated, 'd', 20)).toHaveLength(20);
  const plainContext = await browser.newContext();
  try {
    const plain = await openHarness(plainContext, { name: uniqueName('sm-plain'), worker: 'dedicated' });
    await expectReady(plain);
    expect(await plain.evaluate(() => crossOriginIsolated)).toBe(false);
    expect(await status(plain)).toMatchObject({ callChannel: 'messages' });
  } finally {
    await plainContext.close();
  }
});

test("the leader's worker crashing while 16 callers write through shared memory: calls fail typed, then go on through a new ring", async ({ context }) => {
  await isolate(context);
  const page = await openHarness(context, { name: uniqueName('sm-crash'), worker: 'leader' });
  await expectReady(page);
  expect(await status(page)).toMatchObject({ callChannel: 'shared-memory' });
  await page.evaluate(() => {
    const w = window as unknown as { flood: { ok: number; errors: string[]; stop: boolean; done: Promise<unknown> } };
    w.flood = { ok: 0, errors: [], stop: false, done: Promise.resolve() };
    w.flood.done = Promise.all(
      Array.from({ length: 16 }, async () => {
        while (!w.flood.stop) {
          try {
            await window.ffHarness.backend!.createExecution({ laneId: 'flood' });
            w.flood.ok++;
          } catch (err) {
            w.flood.errors.push(window.ffHarness.plain(err).code);
          }
        }
      }),
    );
  });
  const count = (): Promise<number> => page.evaluate(() => (window as unknown as { flood: { ok: number } }).flood.ok);
  await expect.poll(count).toBeGreaterThan(500);
  expect(await page.evaluate(() => window.ffHarness.terminateWorkers())).toBe(1);
  // The client reconnects to a new worker, and the callers carry on through its ring.
  const before = await count();
  await expect.poll(count, { timeout: 20_000 }).toBeGreaterThan(before + 500);
  const errors = await page.evaluate(async () => {
    const w = window as unknown as { flood: { errors: string[]; stop: boolean; done: Promise<unknown> } };
    w.flood.stop = true;
    await w.flood.done;
    return w.flood.errors;
  });
  // Only the calls in flight at the crash fail, each with a typed error.
  expect(errors.length).toBeLessThanOrEqual(32);
  for (const code of errors) expect(['closed', 'unavailable']).toContain(code);
  expect(await status(page)).toMatchObject({ role: 'leader', reconnects: 1, callChannel: 'shared-memory' });
});
