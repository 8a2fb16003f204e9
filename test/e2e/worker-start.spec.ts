/**
 * A backend worker that fails to start, in real Chromium: the page gets
 * EngineError('unavailable') with the reason, not a generic 'closed'. The
 * worker script is replaced on the wire (the built harness names it
 * assets/worker-entry-<hash>.js), so the page code is the real one.
 */
import { expect, test } from '@playwright/test';
import { openHarness, uniqueName } from './harness.js';

const WORKER_SCRIPT = '**/assets/worker-entry-*.js';

for (const worker of ['leader', 'shared', 'dedicated'] as const) {
  test(`${worker} worker: a script that throws as it starts reports its own message`, async ({ context }) => {
    await context.route(WORKER_SCRIPT, (route) => route.fulfill({ contentType: 'text/javascript', body: 'throw new Error("the worker bundle is broken");' }));
    const page = await openHarness(context, { name: uniqueName('throws'), worker });
    const error = await page.evaluate(() => window.ffHarness.error);
    expect(error).toMatchObject({ code: 'unavailable', details: { worker } });
    expect(error!.message).toContain('failed to start');
    expect(error!.message).toContain('the worker bundle is broken');
  });

  test(`${worker} worker: a script that is not there at any of its URLs says so`, async ({ context }) => {
    // What a dev server's SPA fallback does for a worker URL it cannot map: the app's HTML instead of the script.
    await context.route(WORKER_SCRIPT, (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>app</title>' }));
    const page = await openHarness(context, { name: uniqueName('missing'), worker });
    const error = await page.evaluate(() => window.ffHarness.error);
    expect(error).toMatchObject({ code: 'unavailable', details: { worker } });
    expect(error!.message).toContain('could not be loaded');
    // Both candidate URLs were tried before giving up.
    expect(error!.details['attempts']).toHaveLength(2);
  });
}

test('after the page gives up on a broken worker, a working one opens the same database', async ({ context }) => {
  const name = uniqueName('recovers');
  await context.route(WORKER_SCRIPT, (route) => route.fulfill({ status: 404, body: 'not found' }));
  const broken = await openHarness(context, { name });
  expect(await broken.evaluate(() => window.ffHarness.error)).toMatchObject({ code: 'unavailable' });
  await context.unroute(WORKER_SCRIPT);
  const page = await openHarness(context, { name }, broken);
  expect(await page.evaluate(() => window.ffHarness.error)).toBeNull();
  expect(await page.evaluate(() => window.ffHarness.backend!.status().then((s) => s.host))).toBe('worker');
});

const WASM = '**/assets/sqlite3-*.wasm';

test("SQLite's .wasm missing: the start fails with unavailable, naming the file; once it is back, the next start works", async ({ context }) => {
  const name = uniqueName('no-wasm');
  await context.route(WASM, (route) => route.fulfill({ status: 404, body: 'not found' }));
  const broken = await openHarness(context, { name, worker: 'dedicated' });
  const error = await broken.evaluate(() => window.ffHarness.error);
  expect(error).toMatchObject({ code: 'unavailable' });
  expect(error!.message).toContain('SQLite could not load its WebAssembly module');
  expect(error!.message).toContain('404');
  await context.unroute(WASM);
  const page = await openHarness(context, { name, worker: 'dedicated' }, broken);
  expect(await page.evaluate(() => window.ffHarness.error)).toBeNull();
  expect(await page.evaluate(() => window.ffHarness.backend!.now().then((n) => typeof n))).toBe('number');
});

test("SQLite's .wasm served without its MIME type still loads (compiled from its bytes)", async ({ context }) => {
  await context.route(WASM, async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), 'content-type': 'application/octet-stream' } });
  });
  const page = await openHarness(context, { name: uniqueName('wasm-mime'), worker: 'dedicated' });
  expect(await page.evaluate(() => window.ffHarness.error)).toBeNull();
  expect(await page.evaluate(() => window.ffHarness.backend!.now().then((n) => typeof n))).toBe('number');
});
