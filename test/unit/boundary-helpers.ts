/**
 * The browser backend's boundary in Node: the real host, service, comlink
 * and client over a same-realm MessageChannel or a worker thread, on real
 * databases (sql.js, or better-sqlite3 with FF_TEST_DRIVER). Only the
 * IndexedDB store is left to the Playwright tests.
 */
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { Endpoint } from 'comlink';
import { connectBackend, type BackendTransport, type ConnectOptions } from '../../src/client/connect-backend.js';
import type { EngineError } from '../../src/api/errors.js';
import type { BrowserBackend } from '../../src/client/browser-backend.js';
import { MemoryPersistence } from '../../src/persistence/memory-persistence.js';
import type { PersistedMeta, Persistence, SavedImage, SaveReport } from '../../src/persistence/persistence.js';
import { BackendHost } from '../../src/worker/backend-host.js';
import type { ServeBatchesOptions } from '../../src/worker/batch-server.js';
import { BackendService } from '../../src/worker/backend-service.js';
import { backendConfigInput, type BackendConfigInput } from '../../src/worker/protocol.js';
import type { Timer } from '../../src/worker-runtime/worker-runtime-timer.js';
import { openDriver } from './helpers.js';

export const BASE_CONFIG: BackendConfigInput = { name: 'unit', persistence: 'memory', clock: 'manual', scanners: false, persistDebounceMs: 20 };

/** A backend service in this realm; pass a ManualTimer to drive its persist debounce. */
export async function openService(config: Partial<BackendConfigInput> = {}, persistence: Persistence = new MemoryPersistence(), timer?: Timer): Promise<BackendService> {
  return BackendService.open(backendConfigInput.parse({ ...BASE_CONFIG, ...config }), { persistence, openDriver, banner: false, ...(timer ? { timer } : {}) });
}

export interface ChannelBackend {
  client: BrowserBackend;
  host: BackendHost;
  /** The worker side's port: closing it is the "worker went away" of a MessageChannel. */
  servicePort: MessagePort;
}

/** A client and a host in this realm, over a MessageChannel. */
export async function channelBackend(
  config: Partial<BackendConfigInput> = {},
  persistence: Persistence = new MemoryPersistence(),
  host?: BackendHost,
  connect: ConnectOptions = {},
): Promise<ChannelBackend> {
  host ??= new BackendHost({ kind: 'in-process', deps: async () => ({ persistence, openDriver, banner: false }) });
  const { port1, port2 } = new MessageChannel();
  host.serve(port1 as unknown as Endpoint);
  const transport: BackendTransport = {
    endpoint: port2 as unknown as Endpoint,
    onDead: (listener) => void port2.on('close', () => listener('port closed')),
    close: () => port2.close(),
  };
  const client = await connectBackend(transport, { ...BASE_CONFIG, ...config }, connect);
  return { client, host, servicePort: port1 };
}

/** A client of a backend running in a Node worker thread (see fixtures/backend-thread.ts). */
export async function threadBackend(
  workerData: { slowSaveMs?: number; crashAfterMs?: number; failAtStart?: string; batches?: ServeBatchesOptions } = {},
  options: { sharedMemory?: boolean; sent?: unknown[] } = {},
): Promise<{ client: BrowserBackend; worker: Worker }> {
  // Node 20 does not pass `--import tsx` hooks on to worker threads: register tsx inside the thread, then load the fixture.
  const fixture = new URL('./fixtures/backend-thread.ts', import.meta.url).href;
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(fixture)}); })`;
  const worker = new Worker(bootstrap, { eval: true, workerData });
  const endpoint = nodeEndpoint(worker);
  if (options.sent) {
    // Record what the page side posts to the thread.
    const post = endpoint.postMessage.bind(endpoint);
    endpoint.postMessage = (message: unknown, transfer?: Transferable[]) => {
      options.sent!.push(message);
      post(message, transfer);
    };
  }
  const transport: BackendTransport = {
    endpoint,
    onDead: (listener) => {
      worker.on('error', (err) => listener(`error: ${err.message}`));
      worker.on('exit', (code) => listener(`exit ${code}`));
    },
    close: () => void worker.terminate(),
    // A worker thread may share memory with this one, as a page may with its own dedicated worker.
    sharedMemory: options.sharedMemory === true,
  };
  const client = await connectBackend(transport, BASE_CONFIG, { connectTimeoutMs: 30_000 });
  return { client, worker };
}

/** A test double of our own Persistence interface whose saves fail like a full IndexedDB. */
export class QuotaExceededPersistence implements Persistence {
  readonly kind = 'indexeddb' as const;
  attempts = 0;
  constructor(private readonly saved: SavedImage | null = null) {}
  load(): Promise<SavedImage | null> {
    return Promise.resolve(this.saved);
  }
  save(_image: Uint8Array, _meta: PersistedMeta): Promise<SaveReport> {
    this.attempts++;
    return Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
  }
  close(): void {}
}

/** A store whose load fails (a broken IndexedDB). */
export class BrokenLoadPersistence extends QuotaExceededPersistence {
  override load(): Promise<SavedImage | null> {
    return Promise.reject(new DOMException('Internal error opening backing store', 'UnknownError'));
  }
}

/** The EngineError a call rejects (or throws) with; fails the test when it succeeds. */
export async function rejection(promise: Promise<unknown> | (() => unknown)): Promise<EngineError> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (err) {
    return err as EngineError;
  }
  throw new Error('expected a rejection');
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Let every queued microtask run (a save's promise chain, a store that
 * resolves at once). Not a wait on time: with a ManualTimer nothing else
 * can happen meanwhile, however slow the machine.
 */
export const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Poll until `check` is true (or fail after `timeoutMs`). */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('until: timed out');
    await sleep(5);
  }
}

export const LANE = 'lane-a';
export const WORKER_ARGS = { laneId: LANE, workerId: 'w1', workerInstanceId: 'w1-i1', leaseTtlMs: 30_000 } as const;
