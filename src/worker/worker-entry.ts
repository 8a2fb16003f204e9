/**
 * The worker entry: builds the backend host and exposes it. As a
 * SharedWorker (one per database name) every tab's port gets its own
 * connection over one engine; as a dedicated worker, the worker scope is
 * the one endpoint. Either way it first posts WORKER_READY, which tells
 * the page the script loaded.
 *
 * The database runs on the official SQLite WASM build with the page VFS
 * (src/db/sqlite-wasm-driver.ts): it knows which 256 KiB chunks each commit
 * wrote, so a save copies and stores only those, and a start opens the
 * stored chunks as they are.
 *
 * In the package, scripts/build.mjs bundles this file (the library's glue
 * included) into dist/worker/worker-entry.js and turns the `?url` import
 * below into `new URL('./sqlite3.wasm', import.meta.url)`; the
 * playground's Vite build bundles it straight from here. Either way the
 * .wasm is served from the app's own origin.
 */
import './boot-mark.js';
import wasmUrl from '@sqlite.org/sqlite-wasm/sqlite3.wasm?url';
import type { Endpoint } from 'comlink';
import { EngineError } from '../api/errors.js';
import { createSqliteWasmDriver } from '../db/sqlite-wasm-driver.js';
import { compileSqliteWasm, loadSqliteWasm, onceUntilFailed } from '../db/sqlite-wasm-load.js';
import { openIndexedDbPersistence } from '../persistence/indexeddb-persistence.js';
import { MemoryPersistence } from '../persistence/memory-persistence.js';
import { BackendHost } from './backend-host.js';
import { Broker } from './broker.js';
import { holdLock, lockManager, whenReleased } from './web-locks.js';
import { startupMark } from './startup-mark.js';
import { WORKER_READY } from './worker-ready.js';
import { workerRole } from './worker-roles.js';

/**
 * A SharedWorker waits this long for the database's owner lock: when the
 * last tab closes and a new one opens at once, the old worker may still be
 * shutting down and holding it. A dedicated worker never waits (fail fast:
 * another tab owns the database).
 */
const SHARED_OWNER_LOCK_WAIT_MS = 5_000;

startupMark('script');
const scope = globalThis as unknown as { onconnect?: ((event: MessageEvent) => void) | null; name?: unknown };
const shared = 'onconnect' in scope;
// Chosen by the worker's name (see worker-roles.ts). The leader tab's engine waits for the owner lock like a
// SharedWorker does: the previous leader's worker may still be ending when the next tab takes over.
const role = workerRole(scope.name);
// An engine's worker fetches and compiles SQLite's .wasm at once, off its own thread, while the page sends its
// config and the owner lock is taken; the broker never opens a database. Instantiating it, with the library's
// set-up (some 30 ms of this thread), waits until the service has asked IndexedDB for the saved image (deps'
// `ready`), so the set-up and the read overlap. Doing the set-up first kept the page's open message, and so
// the read, waiting behind it: with the set-up after the read's request, a 10 MB start took 167-169 ms as the
// page sees it against 205-207 (incognito and on disk, 10 alternating starts each). A failed compile is
// reported by the start that needed it and retried by the next.
const compiled = onceUntilFailed(() => compileSqliteWasm(wasmUrl));
if (role !== 'broker') void compiled();
const loadWasm = (): Promise<unknown> => loadSqliteWasm({ locateFile: () => wasmUrl, module: compiled() }).then((sqlite3) => (startupMark('wasm'), sqlite3));

const host = new BackendHost({
  kind: shared ? 'shared-worker' : 'worker',
  locks: lockManager(),
  ownerLockWaitMs: shared || role === 'leader-engine' ? SHARED_OWNER_LOCK_WAIT_MS : 0,
  async deps(config) {
    const persistence = config.persistence === 'indexeddb' ? await openIndexedDbPersistence(config.name) : new MemoryPersistence();
    let sqlite3: Promise<unknown> | undefined;
    // Started by the service once it has asked the store for the saved image (or by the first open, if sooner).
    const load = (): Promise<unknown> =>
      (sqlite3 ??= loadWasm().catch((err: unknown) => {
        // The page gets this as the reason its backend could not start; the library's own message alone does not say which file.
        throw new EngineError('unavailable', `SQLite could not load its WebAssembly module from ${wasmUrl}: ${err instanceof Error ? err.message : String(err)}`, { wasmUrl });
      }));
    return {
      persistence,
      ready: load,
      openDriver: async (image?: Uint8Array) => createSqliteWasmDriver(image ? { sqlite3: await load(), image } : { sqlite3: await load() }),
      openChunks: async (chunks: Uint8Array[], bytes: number) => createSqliteWasmDriver({ sqlite3: await load(), chunks: { chunks, bytes } }),
    };
  },
});

if (role === 'broker') {
  // Relays ports between tabs and nothing else: the host above is never served here, so no database is opened.
  const locks = lockManager();
  // Held for the broker's whole life: tabs watch it to learn that the broker ended (and a new one must be told who leads).
  const alive = `${String(scope.name)}#alive-${Math.random().toString(36).slice(2, 10)}`;
  const aliveLock = locks ? holdLock(locks, alive, 0).then((held) => (held ? alive : null)) : Promise.resolve(null);
  const broker = new Broker((lock, onGone) => (locks ? whenReleased(locks, lock, onGone) : () => {}), aliveLock);
  scope.onconnect = (event) => {
    const port = event.ports[0];
    if (!port) return;
    broker.accept(port);
    port.postMessage(WORKER_READY);
  };
} else if (shared) {
  scope.onconnect = (event) => {
    const port = event.ports[0];
    if (!port) return;
    host.serve(port);
    port.postMessage(WORKER_READY);
  };
} else {
  const endpoint = globalThis as unknown as Endpoint;
  // The leader tab's own calls: while a follower tab is connected, its writes are saved once they pause (saved-only.ts).
  host.serve(endpoint, { saveWhenShared: role === 'leader-engine' });
  endpoint.postMessage(WORKER_READY);
}
