// The package as a user gets it, in a fresh Vite + TypeScript app with no
// config: `npm pack`, an app written here (what `npm create vite`'s
// vanilla-ts template gives, plus a page that uses createBrowserBackend),
// `npm install` of vite, typescript and the tarball, then in Chromium, under
// `vite` (dev) and under `tsc && vite build` + `vite preview`:
//   - a tab creates, claims and completes an execution (SharedWorker);
//   - a second tab reads it through the same engine (the tabs share it);
//   - after a reload, and after every tab closed (the next engine loads
//     IndexedDB), it is still there, completed;
//   - the same with a dedicated worker;
//   - the devtools (`ff-backend-browser/devtools`): its toggle button opens
//     the panels, which show that execution; after the build, the app's own
//     chunk holds none of the panels' code (they load on first open), the
//     graph layout is a chunk of its own, and their gzipped sizes are printed.
// Vite 7 and Vite 8 dev servers treat a pre-bundled package's worker URL in
// opposite ways (see src/client/worker-transport.ts), so both are checked:
// FF_SMOKE_VITE=8 (or 7) picks one. FF_SMOKE_TARBALL=path checks that
// tarball instead of packing this checkout. FF_SMOKE_KEEP=1 keeps the temp dirs.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { freePort, launchChromium, log, npmInstall, packTarball, runIn, scratchDir, startServer, writeFiles } from './lib.mjs';

// Each as its own `npm create vite` vanilla-ts template paired them (Vite 8 with TypeScript 7, Vite 7 with 5.9).
const TOOLCHAINS = {
  8: ['vite@^8', 'typescript@~7.0.2'],
  7: ['vite@^7', 'typescript@~5.9.3'],
};

const APP_FILES = {
  'package.json': JSON.stringify({ name: 'ff-consumer-smoke-vite', private: true, version: '0.0.0', type: 'module', scripts: { dev: 'vite', build: 'tsc && vite build', preview: 'vite preview' } }, null, 2),
  'tsconfig.json': JSON.stringify(
    {
      compilerOptions: {
        target: 'es2023',
        module: 'esnext',
        lib: ['ES2023', 'DOM'],
        types: ['vite/client'],
        skipLibCheck: true,
        moduleResolution: 'bundler',
        verbatimModuleSyntax: true,
        moduleDetection: 'force',
        noEmit: true,
        strict: true,
        noUnusedLocals: true,
        noUnusedParameters: true,
      },
      include: ['src'],
    },
    null,
    2,
  ),
  'index.html': '<!doctype html>\n<html lang="en">\n  <head><meta charset="UTF-8" /><title>consumer smoke</title></head>\n  <body>\n    <pre id="out">starting</pre>\n    <script type="module" src="/src/main.ts"></script>\n  </body>\n</html>\n',
  'src/main.ts': `import { createBrowserBackend } from 'ff-backend-browser';
import { mountDevtools } from 'ff-backend-browser/devtools';

// ?db=<name>&worker=auto|dedicated&step=write|read&id=<executionId>
export interface SmokeResult {
  executionId: string;
  state: string | null;
  host: string;
  openedFrom: string;
  connections: number;
}

declare global {
  interface Window {
    smoke: Promise<SmokeResult>;
  }
}

const params = new URLSearchParams(location.search);

async function run(): Promise<SmokeResult> {
  const backend = await createBrowserBackend({ devMode: true, name: params.get('db') ?? 'smoke', worker: params.get('worker') === 'dedicated' ? 'dedicated' : 'auto' });
  let executionId = params.get('id') ?? '';
  if (params.get('step') === 'write') {
    ({ executionId } = await backend.createExecution({ laneId: 'smoke' }));
    const handle = await backend.claim({ laneId: 'smoke', workerId: 'smoke', workerInstanceId: 'smoke-1', leaseTtlMs: 30_000 });
    if (!handle) throw new Error('claim found nothing to claim');
    await backend.completeExecution({ handle, result: 'done' });
    await backend.flush();
  }
  mountDevtools(backend);
  const status = await backend.status();
  return { executionId, state: await backend.readExecutionState({ executionId }), host: status.host, openedFrom: status.openedFrom, connections: status.connections };
}

window.smoke = run();
window.smoke.then(
  (result) => (document.querySelector('#out')!.textContent = JSON.stringify(result)),
  (err: unknown) => (document.querySelector('#out')!.textContent = String(err)),
);
`,
};

function check(condition, what, detail) {
  if (!condition) throw new Error(`${what}: ${JSON.stringify(detail)}`);
}

/** Open (or navigate `page` to) the app with `query`; resolves with the page's SmokeResult, or its error as { code, message }. */
async function visit(context, base, query, page) {
  page ??= await context.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(`${base}/?${new URLSearchParams(query)}`);
  // Runs in the page, where globalThis is its window.
  const outcome = await page.evaluate(() =>
    globalThis.smoke.then(
      (result) => ({ ok: true, result }),
      (err) => ({ ok: false, code: err?.code ?? null, message: String(err?.message ?? err) }),
    ),
  );
  check(errors.length === 0, 'the page threw', errors);
  return { page, outcome };
}

/** Poll `visit` until `accept(outcome)`: the engine of a closed tab or a reloaded page ends asynchronously. */
async function visitUntil(context, base, query, accept, what) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { page, outcome } = await visit(context, base, query);
    await page.close();
    if (accept(outcome)) return outcome;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(outcome)} after 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The toggle opens the devtools, and its executions board counts the completed execution. */
async function checkDevtools(page, label) {
  const toggle = page.getByTestId('ff-devtools-toggle');
  await toggle.click();
  await page.getByTestId('column-completed').getByTestId('column-count').filter({ hasText: /^1$/ }).waitFor({ timeout: 15_000 });
  await page.getByTestId('nav-flows').click();
  await page.getByTestId('nav-overview').click();
  await toggle.click();
  check((await toggle.getAttribute('aria-expanded')) === 'false', `${label}: the toggle closes the devtools`, null);
}

/** After the build: the page's chunk has none of the panels (Lit, the layout) and the panels' chunk exists; print both gzipped. */
function checkChunks(appDir, label) {
  const assets = join(appDir, 'dist', 'assets');
  const html = readFileSync(join(appDir, 'dist', 'index.html'), 'utf8');
  const entryName = /src="\/assets\/([^"]+\.js)"/.exec(html)?.[1];
  check(entryName, `${label}: the built index.html names its script`, html);
  const gz = (file) => gzipSync(readFileSync(join(assets, file))).length;
  const entry = readFileSync(join(assets, entryName), 'utf8');
  // Markers that survive minifying: a panel's tag name, and the version registry every Lit build keeps.
  check(!entry.includes('ff-dt-clock') && !entry.includes('litHtmlVersions'), `${label}: the page chunk holds no devtools panels`, entryName);
  const panels = readdirSync(assets).filter((f) => f.endsWith('.js') && readFileSync(join(assets, f), 'utf8').includes('ff-dt-clock'));
  check(panels.length === 1, `${label}: one chunk holds the devtools panels`, panels);
  const layout = readdirSync(assets).filter((f) => f.endsWith('.js') && readFileSync(join(assets, f), 'utf8').includes('rankdir'));
  check(layout.length === 1 && layout[0] !== panels[0], `${label}: the graph layout is a chunk of its own`, layout);
  const kib = (file) => `${(gz(file) / 1024).toFixed(1)} KiB`;
  log(`${label}, gzipped: page chunk ${kib(entryName)}; devtools panels ${kib(panels[0])} (on first open); graph layout ${kib(layout[0])} (when a flow is first shown)`);
}

const completed = (o) => o.ok && o.result.state === 'completed';

async function scenario(browser, base, label) {
  const context = await browser.newContext();
  try {
    const db = `smoke-${label}`;
    // The default, 'auto' (worker 'leader': the engine in tab A's dedicated Worker): write in tab A, read in tab B through the same engine.
    const a = await visit(context, base, { db, step: 'write' });
    check(a.outcome.ok && a.outcome.result.state === 'completed' && a.outcome.result.host === 'worker', `${label}: tab A creates, claims and completes`, a.outcome);
    const id = a.outcome.result.executionId;
    await checkDevtools(a.page, label);
    const b = await visit(context, base, { db, step: 'read', id });
    check(completed(b.outcome) && b.outcome.result.connections === 2, `${label}: tab B shares tab A's engine`, b.outcome);
    await b.page.close();
    const reloaded = await visit(context, base, { db, step: 'read', id }, a.page);
    check(completed(reloaded.outcome), `${label}: after a reload`, reloaded.outcome);
    await a.page.close();
    await visitUntil(context, base, { db, step: 'read', id }, (o) => completed(o) && o.result.openedFrom === 'saved-image', `${label}: a new engine loads it from IndexedDB`);

    // A dedicated worker: a reload ends it, and the next one must load the saved image.
    const dedicatedDb = `${db}-dedicated`;
    const d = await visit(context, base, { db: dedicatedDb, worker: 'dedicated', step: 'write' });
    check(d.outcome.ok && d.outcome.result.state === 'completed' && d.outcome.result.host === 'worker', `${label}: a dedicated worker completes one`, d.outcome);
    await d.page.close();
    const query = { db: dedicatedDb, worker: 'dedicated', step: 'read', id: d.outcome.result.executionId };
    await visitUntil(context, base, query, (o) => completed(o) && o.result.openedFrom === 'saved-image', `${label}: a new dedicated worker loads it from IndexedDB`);
  } finally {
    await context.close();
  }
}

const started = Date.now();
const versions = (process.env.FF_SMOKE_VITE ?? '8,7').split(',').map((v) => v.trim());
for (const v of versions) if (!TOOLCHAINS[v]) throw new Error(`FF_SMOKE_VITE: no toolchain for Vite ${v} (have ${Object.keys(TOOLCHAINS).join(', ')})`);
const pack = scratchDir('pack');
const browser = await launchChromium();
try {
  const tarball = process.env.FF_SMOKE_TARBALL ?? (log('npm pack (runs the build)'), packTarball(pack.dir));
  for (const v of versions) {
    const app = scratchDir(`vite${v}`);
    try {
      log(`Vite ${v}: npm install ${TOOLCHAINS[v].join(' ')} and the tarball`);
      writeFiles(app.dir, APP_FILES);
      npmInstall(app.dir, [...TOOLCHAINS[v], tarball]);

      const devPort = await freePort();
      const dev = await startServer(app.dir, ['vite', '--port', String(devPort), '--strictPort', '--host', '127.0.0.1'], `http://127.0.0.1:${devPort}/`);
      try {
        log(`Vite ${v}: dev server`);
        await scenario(browser, `http://127.0.0.1:${devPort}`, `vite${v}-dev`);
      } finally {
        dev.stop();
      }

      log(`Vite ${v}: tsc && vite build, then vite preview`);
      runIn(app.dir, 'npm', ['run', 'build']);
      checkChunks(app.dir, `vite${v}-build`);
      const previewPort = await freePort();
      const preview = await startServer(app.dir, ['vite', 'preview', '--port', String(previewPort), '--strictPort', '--host', '127.0.0.1'], `http://127.0.0.1:${previewPort}/`);
      try {
        await scenario(browser, `http://127.0.0.1:${previewPort}`, `vite${v}-build`);
      } finally {
        preview.stop();
      }
      log(`Vite ${v}: passed`);
    } finally {
      app.cleanup();
    }
  }
} finally {
  await browser.close();
  pack.cleanup();
}
log(`all passed in ${Math.round((Date.now() - started) / 1000)} s`);
