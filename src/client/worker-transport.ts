/**
 * The browser transports: a SharedWorker (one engine per database name,
 * shared by every tab) or a dedicated Worker. Both load the same worker
 * entry; the literal `new URL(..., import.meta.url)` inside `new
 * SharedWorker(...)` / `new Worker(...)` is what lets Vite bundle the worker
 * (and the sql.js .wasm it imports) from the app's own origin.
 */
import { EngineError } from '../api/errors.js';
import type { BackendTransport } from './connect-backend.js';

export type WorkerMode = 'auto' | 'shared' | 'dedicated';

export function openWorkerTransport(name: string, mode: WorkerMode): BackendTransport {
  const sharedAvailable = typeof SharedWorker !== 'undefined';
  if (mode === 'shared' && !sharedAvailable) {
    throw new EngineError('unavailable', "createBrowserBackend: worker 'shared' asked for, but this browser has no SharedWorker (use 'auto' or 'dedicated')", { option: 'worker' });
  }
  const workerName = `ff-backend-browser:${name}`;
  return mode === 'dedicated' || !sharedAvailable ? dedicatedTransport(workerName) : sharedTransport(workerName);
}

function sharedTransport(workerName: string): BackendTransport {
  const worker = new SharedWorker(new URL('../worker/worker-entry.js', import.meta.url), { type: 'module', name: workerName });
  const port = worker.port;
  const listeners: ((why: string) => void)[] = [];
  const die = (why: string): void => listeners.forEach((l) => l(why));
  // A SharedWorker reports only a failed start here; a later crash is seen through the worker's alive lock.
  worker.addEventListener('error', () => die('the shared worker failed to start'));
  port.addEventListener('messageerror', () => die('a message from the worker could not be read'));
  // Chromium fires `close` on a MessagePort whose other side went away.
  port.addEventListener('close', () => die('the worker port closed'));
  port.start();
  return {
    endpoint: port,
    onDead: (listener) => void listeners.push(listener),
    close: () => port.close(),
  };
}

function dedicatedTransport(workerName: string): BackendTransport {
  const worker = new Worker(new URL('../worker/worker-entry.js', import.meta.url), { type: 'module', name: workerName });
  const listeners: ((why: string) => void)[] = [];
  const die = (why: string): void => listeners.forEach((l) => l(why));
  worker.addEventListener('error', (event) => die(`the worker failed: ${event.message || 'uncaught error or failed start'}`));
  worker.addEventListener('messageerror', () => die('a message from the worker could not be read'));
  return {
    endpoint: worker,
    onDead: (listener) => void listeners.push(listener),
    close: () => worker.terminate(),
  };
}
