/**
 * The browser backend in real Chromium: the engine in a worker, persisted to
 * IndexedDB, shared by tabs. Tests run on the default topology ('auto': the
 * leader tab's dedicated Worker, see leader-tabs.spec.ts) unless they are
 * about a SharedWorker or a dedicated Worker, which they ask for.
 */
import { expect, test } from '@playwright/test';
import { countLane, createMany, expectReady, openHarness, readSavedMeta, status, uniqueName } from './harness.js';

test('status() reports IndexedDB, and data survives a reload after flush()', async ({ context }) => {
  const name = uniqueName('reload');
  const page = await openHarness(context, { name });
  await expectReady(page);
  const before = await status(page);
  expect(before).toMatchObject({ persistence: 'indexeddb', host: 'worker', role: 'leader', lastError: null, name });
  // The worker's boot, counted from its creation: loading its script, then running it, then the rest up to the host's start.
  const { loadedScriptMs, scriptMs, bootMs } = before.startup;
  expect(loadedScriptMs).toBeGreaterThan(0);
  expect(scriptMs).toBeGreaterThan(loadedScriptMs);
  expect(bootMs).toBeGreaterThan(scriptMs);
  const ids = await createMany(page, 'lane', 3);
  const flushed = await page.evaluate(() => window.ffHarness.backend!.flush());
  expect(flushed.persistedSequence).toBeGreaterThanOrEqual(3);
  // flush() resolved after IndexedDB's transaction completed: the record is there now.
  expect(await readSavedMeta(page, name)).toMatchObject({ sequence: flushed.persistedSequence });
  // On the real clock the scanners commit too (an empty lease or delay sweep, about twice a second),
  // so unsavedChanges may already be true again: status() must count all flush() saved as saved.
  const after = await status(page);
  expect(after.persistedSequence).toBeGreaterThanOrEqual(flushed.persistedSequence);
  expect(after).toMatchObject({ lastError: null, lastPersistedAtMs: expect.any(Number) });

  await page.reload();
  await page.evaluate(() => window.ffHarness.ready);
  await expectReady(page);
  const states = await page.evaluate(
    (ids) => Promise.all(ids.map((executionId) => window.ffHarness.backend!.readExecutionState({ executionId }))),
    ids,
  );
  expect(states).toEqual(['waiting', 'waiting', 'waiting']);
});

test('a new engine starts from the image saved in IndexedDB', async ({ context }) => {
  const name = uniqueName('restart');
  const first = await openHarness(context, { name });
  const ids = await createMany(first, 'lane', 5);
  await first.evaluate(() => window.ffHarness.backend!.flush());
  await first.close();
  // The SharedWorker ends with its last tab; the next one loads the saved image.
  await expect
    .poll(async () => {
      const page = await openHarness(context, { name });
      const s = await status(page);
      await page.close();
      return s.openedFrom;
    })
    .toBe('saved-image');
  const page = await openHarness(context, { name });
  expect(await countLane(page, 'lane')).toBe(5);
  expect(await page.evaluate((id) => window.ffHarness.backend!.readExecutionState({ executionId: id }), ids[0]!)).toBe('waiting');
});

test('two pages on one database share one engine: each sees the other’s writes, nothing is lost', async ({ context }) => {
  const name = uniqueName('two-tabs');
  const a = await openHarness(context, { name });
  const b = await openHarness(context, { name });
  await Promise.all([createMany(a, 'shared', 25), createMany(b, 'shared', 25)]);
  expect(await countLane(a, 'shared')).toBe(50);
  expect(await countLane(b, 'shared')).toBe(50);
  expect((await status(a)).connections).toBe(2);
  await b.evaluate(() => window.ffHarness.backend!.flush());
  await a.close();
  await b.close();
  await expect.poll(async () => {
    const page = await openHarness(context, { name });
    const count = await countLane(page, 'shared');
    const from = (await status(page)).openedFrom;
    await page.close();
    return `${from}:${count}`;
  }).toBe('saved-image:50');
});

test('closing one page leaves the other working on the same data', async ({ context }) => {
  const name = uniqueName('close-one');
  const a = await openHarness(context, { name });
  const b = await openHarness(context, { name });
  const [fromA] = await createMany(a, 'lane', 1);
  await a.evaluate(() => window.ffHarness.backend!.flush());
  await a.close();
  // b takes over (a call in flight at that moment rejects with a typed error, hence the fallback).
  await expect.poll(() => status(b).then((s) => s.connections, () => -1)).toBe(1);
  expect(await b.evaluate((id) => window.ffHarness.backend!.readExecutionState({ executionId: id }), fromA!)).toBe('waiting');
  await createMany(b, 'lane', 2);
  const handle = await b.evaluate(() =>
    window.ffHarness.backend!.claim({ laneId: 'lane', workerId: 'w', workerInstanceId: 'w-1', leaseTtlMs: 30_000 }),
  );
  expect(handle?.executionId).toBe(fromA);
  expect(await countLane(b, 'lane')).toBe(3);
});

test('a page receives events committed by another page, with cursors', async ({ context }) => {
  const name = uniqueName('events');
  const a = await openHarness(context, { name });
  const b = await openHarness(context, { name });
  await a.evaluate(async () => {
    const w = window as unknown as { seen: string[] };
    w.seen = [];
    await window.ffHarness.backend!.subscribe({ channels: ['completion'] }, (e) => w.seen.push(e.cursor));
  });
  await b.evaluate(async () => {
    const backend = window.ffHarness.backend!;
    await backend.createExecution({ laneId: 'ev' });
    const handle = await backend.claim({ laneId: 'ev', workerId: 'w', workerInstanceId: 'w-1', leaseTtlMs: 30_000 });
    await backend.completeExecution({ handle: handle! });
  });
  await expect.poll(() => a.evaluate(() => (window as unknown as { seen: string[] }).seen)).toEqual(['completion:1']);
});

test('different database names are isolated', async ({ context }) => {
  const a = await openHarness(context, { name: uniqueName('iso-a') });
  const b = await openHarness(context, { name: uniqueName('iso-b') });
  await createMany(a, 'lane', 4);
  expect(await countLane(a, 'lane')).toBe(4);
  expect(await countLane(b, 'lane')).toBe(0);
  expect((await status(b)).connections).toBe(1);
});

test('a forced IndexedDB failure (quota exceeded) is a typed error in status() and flush()', async ({ context }) => {
  const name = uniqueName('quota');
  const page = await openHarness(context, { name: 'unused', autostart: 0 });
  const cdp = await context.newCDPSession(page);
  // A real QuotaExceededError: Chromium's storage quota for this origin, cut to almost nothing.
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(page.url()).origin, quotaSize: 1 });
  await openHarness(context, { name }, page);
  await expectReady(page);
  await createMany(page, 'lane', 1);
  const flush = await page.evaluate(() => window.ffHarness.backend!.flush().then(
    () => null,
    (err: unknown) => window.ffHarness.plain(err),
  ));
  expect(flush).toMatchObject({ isEngineError: true, code: 'persistence', details: { quotaExceeded: true } });
  const s = await status(page);
  expect(s.persistence).toBe('indexeddb');
  expect(s.unsavedChanges).toBe(true);
  expect(s.lastError).toMatchObject({ code: 'persistence', details: { quotaExceeded: true } });
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(page.url()).origin });
});

test('dedicated workers: a second one on the same name fails with unavailable instead of writing beside the first', async ({ context }) => {
  const name = uniqueName('dedicated');
  const a = await openHarness(context, { name, worker: 'dedicated' });
  await expectReady(a);
  expect((await status(a)).host).toBe('worker');
  const b = await openHarness(context, { name, worker: 'dedicated' });
  expect(await b.evaluate(() => window.ffHarness.error)).toMatchObject({ code: 'unavailable' });
  await createMany(a, 'lane', 2);
  await a.evaluate(() => window.ffHarness.backend!.close());
  // Once the owner is gone, the next one opens and finds the flushed data.
  const c = await openHarness(context, { name, worker: 'dedicated' }, b);
  await expectReady(c);
  expect(await countLane(c, 'lane')).toBe(2);
});

test('memory persistence and a manual clock through the client', async ({ context }) => {
  const page = await openHarness(context, { name: uniqueName('memory'), persistence: 'memory', clock: 'manual' });
  const result = await page.evaluate(async () => {
    const backend = window.ffHarness.backend!;
    const t0 = await backend.now();
    await backend.advanceTime({ ms: 60_000 });
    return { t0, t1: await backend.now(), status: await backend.status() };
  });
  expect(result.t1 - result.t0).toBe(60_000);
  expect(result.status).toMatchObject({ persistence: 'memory', clock: 'manual' });
});

test('snapshots: export, import into another database, reset', async ({ context }) => {
  const page = await openHarness(context, { name: uniqueName('snap-a') });
  await createMany(page, 'lane', 3);
  const other = uniqueName('snap-b');
  const result = await page.evaluate(async (otherName) => {
    const { backend, createBrowserBackend, plain } = window.ffHarness;
    const snapshot = await backend!.exportSnapshot();
    const target = await createBrowserBackend({ devMode: true, name: otherName });
    await target.importSnapshot(snapshot);
    const imported = (await target.listExecutions({ laneId: 'lane' })).executions.length;
    const bad = await target.importSnapshot({ ...snapshot, checksum: '0'.repeat(64) }).then(() => null, plain);
    await target.reset();
    const afterReset = (await target.listExecutions({ laneId: 'lane' })).executions.length;
    await target.close();
    return { bytes: snapshot.image.byteLength, isBytes: snapshot.image instanceof Uint8Array, imported, bad, afterReset };
  }, other);
  expect(result).toMatchObject({ isBytes: true, imported: 3, afterReset: 0, bad: { code: 'validation.corruption' } });
  expect(result.bytes).toBeGreaterThan(4096);
});

test('the page forwards pagehide, so the worker saves before its debounce', async ({ context }) => {
  const name = uniqueName('pagehide');
  // A debounce far longer than the test: only the forwarded event can cause a save.
  const page = await openHarness(context, { name, debounce: 60_000 });
  // The new database is saved once at start. Scanner sweeps (real clock) commit about twice a second
  // from then on, so sequences are compared as "at least", never as "exactly before + 2".
  await expect.poll(() => readSavedMeta(page, name)).not.toBeNull();
  const before = (await readSavedMeta(page, name))!.sequence;
  await createMany(page, 'lane', 2);
  const written = await status(page);
  expect(written).toMatchObject({ unsavedChanges: true, persistedSequence: before });
  expect(written.sequence).toBeGreaterThanOrEqual(before + 2);
  // The event a closing or navigating page gets (dispatched here so the page stays to look).
  await page.evaluate(() => window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false })));
  // A save that includes both writes.
  await expect.poll(async () => (await readSavedMeta(page, name))!.sequence).toBeGreaterThanOrEqual(written.sequence);
});

test('SharedWorker: a tab that closes without flush() still gets its writes saved while another tab keeps the engine', async ({ context }) => {
  const name = uniqueName('tab-closes');
  const closing = await openHarness(context, { name, debounce: 60_000, worker: 'shared' });
  const staying = await openHarness(context, { name, debounce: 60_000, worker: 'shared' });
  // As above: wait for the start-up save, and compare sequences as "at least" (scanner sweeps commit too).
  await expect.poll(() => readSavedMeta(staying, name)).not.toBeNull();
  const before = (await readSavedMeta(staying, name))!.sequence;
  await createMany(closing, 'lane', 2);
  const written = await status(staying);
  expect(written).toMatchObject({ unsavedChanges: true, persistedSequence: before });
  await closing.close();
  await expect.poll(async () => (await readSavedMeta(staying, name))!.sequence).toBeGreaterThanOrEqual(written.sequence);
  expect(await countLane(staying, 'lane')).toBe(2);
});

test('a call pending when the SharedWorker dies rejects with closed; the next open carries on from the saved image', async ({ context, browser }) => {
  const name = uniqueName('crash');
  const page = await openHarness(context, { name, worker: 'shared' });
  await createMany(page, 'lane', 3);
  await page.evaluate(() => window.ffHarness.backend!.flush());
  // A long call, still running in the worker when it is killed.
  const pending = page.evaluate(() =>
    window.ffHarness.backend!.measureInWorker({ op: 'createExecution', count: 5_000_000, laneId: 'busy' }).then(
      () => null,
      (err: unknown) => window.ffHarness.plain(err),
    ),
  );
  const cdp = await browser.newBrowserCDPSession();
  const { targetInfos } = await cdp.send('Target.getTargets');
  const worker = targetInfos.find((t) => t.type === 'shared_worker' && t.url.includes('worker-entry'));
  expect(worker).toBeDefined();
  await cdp.send('Target.closeTarget', { targetId: worker!.targetId });
  expect(await pending).toMatchObject({ isEngineError: true, code: 'closed' });
  expect(await page.evaluate(() => window.ffHarness.backend!.now().then(() => null, window.ffHarness.plain))).toMatchObject({ code: 'closed' });
  // A new client gets a new worker, which loads what was flushed.
  const next = await openHarness(context, { name, worker: 'shared' }, page);
  await expectReady(next);
  expect(await countLane(next, 'lane')).toBe(3);
  expect((await status(next)).openedFrom).toBe('saved-image');
});
