/**
 * Test harness page: opens a browser backend from the URL's parameters
 * (`name`, `persistence`, `clock`, `worker`, `debounce`, `timeout`; `autostart=0` to
 * open none) and exposes it as `window.ffHarness` for `page.evaluate`.
 */
import { createBrowserBackend, EngineError, type BrowserBackend, type BrowserBackendOptions } from '../src/index.js';

export interface Harness {
  /** The backend opened from the URL, once ready. */
  backend: BrowserBackend | null;
  /** Why opening it failed, as plain data. */
  error: { code: string; message: string; details: Record<string, unknown> } | null;
  /** Resolves once the URL's backend is open (or failed). */
  ready: Promise<void>;
  createBrowserBackend: typeof createBrowserBackend;
  EngineError: typeof EngineError;
  /** Plain data of an error, for returning it from page.evaluate. */
  plain(err: unknown): { code: string; message: string; details: Record<string, unknown>; isEngineError: boolean };
  /** Terminate every dedicated Worker this page started (a crash of the engine's worker, as the page can cause it); returns how many. */
  terminateWorkers(): number;
}

declare global {
  interface Window {
    ffHarness: Harness;
  }
}

const params = new URLSearchParams(location.search);

// Every dedicated Worker the page starts is kept, so a test can terminate the engine's worker from the page.
const startedWorkers: Worker[] = [];
window.Worker = class extends window.Worker {
  constructor(...args: ConstructorParameters<typeof Worker>) {
    super(...args);
    startedWorkers.push(this);
  }
};
function terminateWorkers(): number {
  const workers = startedWorkers.splice(0);
  workers.forEach((worker) => worker.terminate());
  return workers.length;
}
const status = document.querySelector<HTMLElement>('#status')!;

function plain(err: unknown): ReturnType<Harness['plain']> {
  if (err instanceof EngineError) return { code: err.code, message: err.message, details: err.details, isEngineError: true };
  return { code: 'not_an_engine_error', message: String(err), details: {}, isEngineError: false };
}

async function openFromUrl(): Promise<void> {
  if (params.get('autostart') === '0') return;
  const options: BrowserBackendOptions = {
    devMode: true,
    name: params.get('name') ?? 'harness',
    persistence: (params.get('persistence') ?? 'indexeddb') as 'indexeddb' | 'memory',
    clock: (params.get('clock') ?? 'real') as 'real' | 'manual',
    worker: (params.get('worker') ?? 'auto') as 'auto' | 'leader' | 'shared' | 'dedicated',
    ...(params.has('debounce') ? { persistDebounceMs: Number(params.get('debounce')) } : {}),
    ...(params.has('timeout') ? { connectTimeoutMs: Number(params.get('timeout')) } : {}),
  };
  try {
    harness.backend = await createBrowserBackend(options);
    status.textContent = `ready: ${JSON.stringify(await harness.backend.status())}`;
    status.dataset['ready'] = 'true';
  } catch (err) {
    harness.error = plain(err);
    status.textContent = `failed: ${String(err)}`;
    status.dataset['ready'] = 'error';
  }
}

const harness: Harness = { backend: null, error: null, ready: Promise.resolve(), createBrowserBackend, EngineError, plain, terminateWorkers };
window.ffHarness = harness;
harness.ready = openFromUrl();
