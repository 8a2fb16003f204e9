/**
 * The browser transports: a SharedWorker (one engine per database name,
 * shared by every tab) or a dedicated Worker, both running the worker entry
 * (dist/worker/worker-entry.js in the package, one self-contained module).
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
import { isWorkerReady } from '../worker/worker-ready.js';
import type { BackendTransport } from './connect-backend.js';

export type WorkerMode = 'auto' | 'shared' | 'dedicated';

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
 * Start the worker and resolve once it runs. Fails with `unavailable` when
 * no candidate URL loads, when the script throws, or after `timeoutMs`.
 */
export async function openWorkerTransport(name: string, mode: WorkerMode, timeoutMs: number): Promise<BackendTransport> {
  const sharedAvailable = typeof SharedWorker !== 'undefined';
  if (mode === 'shared' && !sharedAvailable) {
    throw new EngineError('unavailable', "createBrowserBackend: worker 'shared' asked for, but this browser has no SharedWorker (use 'auto' or 'dedicated')", { option: 'worker' });
  }
  const workerName = `ff-backend-browser:${name}`;
  const shared = mode !== 'dedicated' && sharedAvailable;
  const deadline = Date.now() + timeoutMs;
  const attempts: string[] = [];
  for (const candidate of shared ? SHARED : DEDICATED) {
    const worker = candidate.start(workerName);
    const port = worker instanceof Worker ? worker : worker.port;
    if (port instanceof MessagePort) port.start();
    const outcome = await waitForStart(worker, port, deadline - Date.now());
    if (outcome.kind === 'ready') return worker instanceof Worker ? dedicatedTransport(worker) : sharedTransport(worker);
    if (worker instanceof Worker) worker.terminate();
    else worker.port.close();
    if (outcome.kind === 'not-loaded') {
      attempts.push(`${candidate.where}: the script did not load`);
      continue;
    }
    // It loaded and failed, or hangs: the other URL would give the same script.
    const why = outcome.kind === 'threw' ? outcome.message : `it did not start within ${timeoutMs} ms`;
    throw new EngineError('unavailable', `the backend ${shared ? 'shared ' : ''}worker failed to start: ${why}`, { worker: shared ? 'shared' : 'dedicated', reason: why });
  }
  throw new EngineError(
    'unavailable',
    `the backend ${shared ? 'shared ' : ''}worker failed to start: its script (ff-backend-browser/dist/worker/worker-entry.js) could not be loaded from any of its URLs (${attempts.join('; ')}). The server answered with an error, or with something other than JavaScript.`,
    { worker: shared ? 'shared' : 'dedicated', attempts },
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
  };
}
