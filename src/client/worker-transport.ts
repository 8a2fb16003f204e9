/**
 * The browser transports: a SharedWorker (one engine per database name,
 * shared by every tab), a dedicated Worker, or for worker: 'leader' the
 * leader tab's dedicated Worker and the broker SharedWorker, all running the
 * worker entry (dist/worker/worker-entry.js in the package, one
 * self-contained module) in the role their name selects (worker-roles.ts).
 *
 * Finding that script. A literal `new URL('…', import.meta.url)` inside
 * `new SharedWorker(...)` / `new Worker(...)` is the shape bundlers turn into
 * a bundled worker, and builds handle it. Dev servers are the problem: they
 * pre-bundle this module into another directory, and disagree on how to fix
 * the URL up. Vite 8 rebases a relative URL onto the package and breaks a
 * package specifier; Vite 7 keeps the relative URL (now pointing into its
 * cache, so the worker gets a 404 or the app's index.html) and resolves the
 * specifier. So there are two literals, tried in order. Every tab tries them
 * in the same order, so all tabs land on the same URL and still share one
 * SharedWorker.
 *
 * A script that fails to load fires only `error`, with no message; a script
 * that loads posts WORKER_READY. Waiting for one or the other is how a
 * candidate is judged, and a script that loads but throws reports its own
 * message, which the page gets as EngineError('unavailable').
 */
import { EngineError } from '../api/errors.js';
import { lockManager } from '../worker/web-locks.js';
import { isWorkerReady } from '../worker/worker-ready.js';
import { workerName } from '../worker/worker-roles.js';
import type { BackendTransport } from './connect-backend.js';

export type WorkerMode = 'auto' | 'leader' | 'shared' | 'dedicated';

/**
 * What 'auto' means here: the leader topology needs Web Locks (to elect the
 * leader) and SharedWorker (for the broker); without both, what 'auto' was
 * before it: a SharedWorker where there is one, else a dedicated Worker.
 */
export function resolveWorkerMode(mode: WorkerMode): Exclude<WorkerMode, 'auto'> {
  if (mode !== 'auto') return mode;
  const shared = typeof SharedWorker !== 'undefined';
  if (shared && lockManager()) return 'leader';
  return shared ? 'shared' : 'dedicated';
}

interface Candidate<W> {
  /** Where this candidate looks, for the error message. */
  where: string;
  start(workerName: string): W;
}

// Each `start` holds its own literal `new …(new URL('…', import.meta.url), { type: 'module', … })`: bundlers recognise nothing else.
const RELATIVE = "'../worker/worker-entry.js' next to the client code";
const EXPORT = "the package export 'ff-backend-browser/worker'";
const SHARED: readonly Candidate<SharedWorker>[] = [
  { where: RELATIVE, start: (name) => new SharedWorker(new URL('../worker/worker-entry.js', import.meta.url), { type: 'module', name }) },
  // Its own name: in a build both URLs are one file, and a SharedWorker (URL + name) asked for again just after it
  // failed to load can be the failed instance, which then never fires `error`. Every tab lands on the same candidate, so
  // tabs still share one worker.
  { where: EXPORT, start: (name) => new SharedWorker(new URL('ff-backend-browser/worker', import.meta.url), { type: 'module', name: `${name}#export` }) },
];
const DEDICATED: readonly Candidate<Worker>[] = [
  { where: RELATIVE, start: (name) => new Worker(new URL('../worker/worker-entry.js', import.meta.url), { type: 'module', name }) },
  { where: EXPORT, start: (name) => new Worker(new URL('ff-backend-browser/worker', import.meta.url), { type: 'module', name }) },
];

type StartOutcome = { kind: 'ready' } | { kind: 'not-loaded' } | { kind: 'threw'; message: string } | { kind: 'timeout' };

/**
 * Start the engine's worker and resolve once it runs: a SharedWorker
 * ('shared'), a dedicated Worker ('dedicated'), or the leader tab's
 * dedicated Worker ('leader'). Fails with `unavailable` when no candidate
 * URL loads, when the script throws, or after `timeoutMs`.
 */
export async function openWorkerTransport(name: string, mode: Exclude<WorkerMode, 'auto'>, timeoutMs: number): Promise<BackendTransport> {
  if (mode === 'shared' && typeof SharedWorker === 'undefined') {
    throw new EngineError('unavailable', "createBrowserBackend: worker 'shared' asked for, but this browser has no SharedWorker (use 'auto' or 'dedicated')", { option: 'worker' });
  }
  if (mode === 'shared') return sharedTransport(await startScript(SHARED, workerName('engine', name), timeoutMs, { label: 'the backend shared worker', worker: 'shared' }));
  const role = mode === 'leader' ? 'leader-engine' : 'engine';
  return dedicatedTransport(await startScript(DEDICATED, workerName(role, name), timeoutMs, { label: 'the backend worker', worker: mode }));
}

/** Connect to the broker of database `name` (worker: 'leader'); resolves with its port once it runs. */
export async function openBrokerPort(name: string, timeoutMs: number): Promise<MessagePort> {
  if (typeof SharedWorker === 'undefined') throw new EngineError('unavailable', "createBrowserBackend: worker 'leader' needs SharedWorker, which this browser lacks", { option: 'worker' });
  const broker = await startScript(SHARED, workerName('broker', name), timeoutMs, { label: 'the broker shared worker', worker: 'leader' });
  return broker.port;
}

/** Try each candidate URL in order until one runs the script. */
async function startScript<W extends Worker | SharedWorker>(candidates: readonly Candidate<W>[], workerName: string, timeoutMs: number, what: { label: string; worker: string }): Promise<W> {
  const deadline = Date.now() + timeoutMs;
  const attempts: string[] = [];
  for (const candidate of candidates) {
    const worker = candidate.start(workerName);
    const port = worker instanceof Worker ? worker : (worker as SharedWorker).port;
    if (port instanceof MessagePort) port.start();
    const outcome = await waitForStart(worker, port, deadline - Date.now());
    if (outcome.kind === 'ready') return worker;
    if (worker instanceof Worker) worker.terminate();
    else (worker as SharedWorker).port.close();
    if (outcome.kind === 'not-loaded') {
      attempts.push(`${candidate.where}: the script did not load`);
      continue;
    }
    // It loaded and failed, or hangs: the other URL would give the same script.
    const why = outcome.kind === 'threw' ? outcome.message : `it did not start within ${timeoutMs} ms`;
    throw new EngineError('unavailable', `${what.label} failed to start: ${why}`, { worker: what.worker, reason: why });
  }
  throw new EngineError(
    'unavailable',
    `${what.label} failed to start: its script (ff-backend-browser/dist/worker/worker-entry.js) could not be loaded from any of its URLs (${attempts.join('; ')}). The server answered with an error, or with something other than JavaScript.`,
    { worker: what.worker, attempts },
  );
}

function waitForStart(worker: EventTarget, port: EventTarget, timeoutMs: number): Promise<StartOutcome> {
  return new Promise((resolve) => {
    const done = (outcome: StartOutcome): void => {
      clearTimeout(timer);
      worker.removeEventListener('error', onError);
      port.removeEventListener('message', onMessage);
      resolve(outcome);
    };
    const onMessage = (event: Event): void => {
      if (isWorkerReady((event as MessageEvent).data)) done({ kind: 'ready' });
    };
    const onError = (event: Event): void => {
      // Handled here, as the start failure's message: do not also report it as the page's own uncaught error.
      event.preventDefault();
      const message = event instanceof ErrorEvent ? event.message : '';
      done(message ? { kind: 'threw', message } : { kind: 'not-loaded' });
    };
    const timer = setTimeout(() => done({ kind: 'timeout' }), Math.max(0, timeoutMs));
    worker.addEventListener('error', onError);
    port.addEventListener('message', onMessage);
  });
}

function sharedTransport(worker: SharedWorker): BackendTransport {
  const port = worker.port;
  const listeners: ((why: string) => void)[] = [];
  const die = (why: string): void => listeners.forEach((l) => l(why));
  // Once started, a SharedWorker's crash is seen through the worker's alive lock, not here.
  port.addEventListener('messageerror', () => die('a message from the worker could not be read'));
  // Chromium fires `close` on a MessagePort whose other side went away.
  port.addEventListener('close', () => die('the worker port closed'));
  return {
    endpoint: port,
    onDead: (listener) => void listeners.push(listener),
    close: () => port.close(),
  };
}

function dedicatedTransport(worker: Worker): BackendTransport {
  const listeners: ((why: string) => void)[] = [];
  const die = (why: string): void => listeners.forEach((l) => l(why));
  worker.addEventListener('error', (event) => die(`the worker failed: ${event.message || 'uncaught error'}`));
  worker.addEventListener('messageerror', () => die('a message from the worker could not be read'));
  return {
    endpoint: worker,
    onDead: (listener) => void listeners.push(listener),
    close: () => worker.terminate(),
    // A dedicated worker is in its page's agent cluster, so on a cross-origin-isolated page the two may share memory.
    sharedMemory: globalThis.crossOriginIsolated === true && typeof SharedArrayBuffer === 'function',
  };
}
