// The packed package in fresh Node projects, as users install it:
//   - ESM (`"type": "module"`): import every entry point and run an engine;
//   - CommonJS (no `"type"`): require every entry point and run an engine;
//   - types: `tsc --strict` with `skipLibCheck: false`, once as a Node project
//     (no DOM lib) and once as a browser project (DOM lib, bundler resolution);
//   - Vitest: a suite on the template engine and a ManualClock, as the README shows.
// FF_SMOKE_TARBALL=path checks that tarball; FF_SMOKE_KEEP=1 keeps the temp dirs.
import { log, npmInstall, packTarball, runIn, scratchDir, writeFiles } from './lib.mjs';

const RUN = `
const lane = 'emails';
const engine = await ff.createEngine({ devMode: true, clock: new ff.ManualClock(), banner: false });
const { executionId } = engine.createExecution({ laneId: lane });
const handle = engine.claim({ laneId: lane, workerId: 'w', workerInstanceId: 'w-1', leaseTtlMs: 30_000 });
engine.completeExecution({ handle, result: 'sent' });
if (engine.readExecutionState({ executionId }) !== 'completed') throw new Error('not completed');
if (typeof testing.installTestHandle !== 'function') throw new Error('testing entry missing installTestHandle');
if (typeof node.createBetterSqlite3Driver !== 'function') throw new Error('node entry missing createBetterSqlite3Driver');
if (typeof playwright.test !== 'function') throw new Error('playwright entry missing test');
if (typeof devtools.mountDevtools !== 'function') throw new Error('devtools entry missing mountDevtools');
console.log('ok');
`;

const FILES = {
  'package.json': JSON.stringify({ name: 'node-consumer', private: true }),
  'main.mjs': `import * as ff from 'ff-backend-browser';
import * as node from 'ff-backend-browser/node';
import * as testing from 'ff-backend-browser/testing';
import * as playwright from 'ff-backend-browser/testing/playwright';
import * as devtools from 'ff-backend-browser/devtools';
${RUN}`,
  'main.cjs': `const ff = require('ff-backend-browser');
const node = require('ff-backend-browser/node');
const testing = require('ff-backend-browser/testing');
const playwright = require('ff-backend-browser/testing/playwright');
const devtools = require('ff-backend-browser/devtools');
(async () => {${RUN}})().catch((err) => { console.error(err); process.exit(1); });`,
  'tsconfig.node.json': JSON.stringify({
    compilerOptions: { target: 'ES2022', module: 'nodenext', moduleResolution: 'nodenext', lib: ['ES2022'], types: ['node'], strict: true, skipLibCheck: false, noEmit: true },
    include: ['node-app.mts'],
  }),
  'tsconfig.dom.json': JSON.stringify({
    compilerOptions: { target: 'ES2022', module: 'esnext', moduleResolution: 'bundler', lib: ['ES2022', 'DOM', 'DOM.Iterable'], types: [], strict: true, skipLibCheck: false, noEmit: true },
    include: ['dom-app.ts'],
  }),
  'node-app.mts': `import { createEngine, createEngineTemplate, ManualClock, type ScannerName } from 'ff-backend-browser';
import { createBetterSqlite3Driver } from 'ff-backend-browser/node';
import type { FfTestHandle } from 'ff-backend-browser/testing';
export async function main(): Promise<void> {
  const engine = await createEngine({ devMode: true, clock: new ManualClock(), banner: false });
  const scanner: ScannerName = 'budget_reset';
  engine.nextDue({ scanner });
  const result = engine.advanceTime({ ms: 1_000 });
  if (!result.finished) throw new Error('stopped short');
  void createEngineTemplate; void createBetterSqlite3Driver;
}
export type Handle = FfTestHandle;
`,
  'dom-app.ts': `import { backendOptionsFromUrl, createBrowserBackend } from 'ff-backend-browser';
import { installTestHandle } from 'ff-backend-browser/testing';
import { loadDevtools, mountDevtools, type DevtoolsHandle } from 'ff-backend-browser/devtools';
export let devtools: DevtoolsHandle | undefined;
export async function start(): Promise<void> {
  const { options, testHandle } = backendOptionsFromUrl(location, { name: 'app' });
  const backend = await createBrowserBackend({ devMode: true, ...options });
  if (testHandle) await installTestHandle(backend);
  await backend.createExecution({ laneId: 'l' });
  devtools = mountDevtools(backend, { position: 'bottom-left' });
  const Element = await loadDevtools();
  const element = new Element();
  element.backend = backend;
  document.body.append(element);
}
`,
  'retry.test.mts': `import { beforeAll, beforeEach, expect, it } from 'vitest';
import { createEngineTemplate, ManualClock, type Engine, type EngineTemplate } from 'ff-backend-browser';

let template: EngineTemplate;
let engine: Engine;
beforeAll(async () => { template = await createEngineTemplate({ devMode: true }); });
beforeEach(async () => { engine = await template.create({ clock: new ManualClock(), scanners: {} }); });

const claim = () => engine.claim({ laneId: 'l', workerId: 'w', workerInstanceId: 'w-1', leaseTtlMs: 30_000 });

it('retries after the backoff, on virtual time', () => {
  engine.createExecution({ laneId: 'l', retryPolicy: { maxRetries: 1, backoff: { type: 'fixed', delayMs: 5_000 } } });
  engine.failExecution({ handle: claim()!, reason: 'flaky', failureClass: 'transient' });
  expect(claim()).toBeNull();
  engine.advanceTime({ ms: 5_000 });
  expect(claim()).not.toBeNull();
});

it('gives every test a fresh database', () => {
  expect(engine.listLanes().lanes).toEqual([]);
});

it('resets a budget when its period ends', () => {
  engine.createBudget({ budgetId: 'daily', dimensions: [{ name: 'tokens', hardLimit: 1_000 }], resetIntervalMs: 86_400_000 });
  engine.reportUsageAdmin({ budgetId: 'daily', usage: { tokens: 400 } });
  engine.advanceTime({ ms: 86_400_000 });
  expect(engine.getBudgetStatus({ budgetId: 'daily' }).usage['tokens']).toBe(0);
});
`,
};

const scratch = scratchDir('node');
try {
  const tarball = process.env.FF_SMOKE_TARBALL ?? packTarball(scratch.dir);
  writeFiles(scratch.dir, FILES);
  // One project for every check: a package.json without "type", as a CommonJS project has.
  log('installing the tarball, typescript, vitest and @playwright/test');
  npmInstall(scratch.dir, [tarball, 'typescript@~5.9.3', '@types/node@^20', 'vitest@^4', '@playwright/test@~1.65.1']);
  runIn(scratch.dir, 'node', ['main.mjs']);
  log('ESM: every entry point imports, and an engine runs');
  runIn(scratch.dir, 'node', ['main.cjs']);
  log('CommonJS: every entry point requires, and an engine runs');
  runIn(scratch.dir, 'npx', ['tsc', '-p', 'tsconfig.node.json']);
  log('types: a Node project (no DOM lib), strict, skipLibCheck false: clean');
  runIn(scratch.dir, 'npx', ['tsc', '-p', 'tsconfig.dom.json']);
  log('types: a browser project (DOM lib), strict, skipLibCheck false: clean');
  runIn(scratch.dir, 'npx', ['vitest', 'run']);
  log('Vitest: the template engine and a ManualClock, as the README shows: passed');
} finally {
  scratch.cleanup();
}
