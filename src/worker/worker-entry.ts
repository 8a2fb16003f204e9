/**
 * The worker entry: builds the backend host and exposes it. As a
 * SharedWorker (one per database name) every tab's port gets its own
 * connection over one engine; as a dedicated worker, the worker scope is
 * the one endpoint. Bundled by Vite from `new SharedWorker(new URL(...))`,
 * so sql.js's .wasm comes from the app's own origin.
 */
import wasmUrl from 'sql.js/dist/sql-wasm-browser.wasm?url';
import type { Endpoint } from 'comlink';
import { createSqlJsDriver, loadSqlJs } from '../db/sqljs-driver.js';
import { openIndexedDbPersistence } from '../persistence/indexeddb-persistence.js';
import { MemoryPersistence } from '../persistence/memory-persistence.js';
import { BackendHost } from './backend-host.js';
import { lockManager } from './web-locks.js';

/**
 * A SharedWorker waits this long for the database's owner lock: when the
 * last tab closes and a new one opens at once, the old worker may still be
 * shutting down and holding it. A dedicated worker never waits (fail fast:
 * another tab owns the database).
 */
const SHARED_OWNER_LOCK_WAIT_MS = 5_000;

const scope = globalThis as unknown as { onconnect?: ((event: MessageEvent) => void) | null };
const shared = 'onconnect' in scope;

const host = new BackendHost({
  kind: shared ? 'shared-worker' : 'worker',
  locks: lockManager(),
  ownerLockWaitMs: shared ? SHARED_OWNER_LOCK_WAIT_MS : 0,
  async deps(config) {
    // Compile the .wasm while IndexedDB opens: both are start-up latency.
    const wasm = loadSqlJs({ locateFile: () => wasmUrl });
    wasm.catch(() => {}); // observed below; never an unhandled rejection if IndexedDB fails first
    const persistence = config.persistence === 'indexeddb' ? await openIndexedDbPersistence(config.name) : new MemoryPersistence();
    const sqlJs = await wasm.catch((err: unknown) => {
      persistence.close();
      throw err;
    });
    return { persistence, openDriver: (image?: Uint8Array) => createSqlJsDriver(image ? { sqlJs, image } : { sqlJs }) };
  },
});

if (shared) {
  scope.onconnect = (event) => {
    const port = event.ports[0];
    if (port) host.serve(port);
  };
} else {
  host.serve(globalThis as unknown as Endpoint);
}
