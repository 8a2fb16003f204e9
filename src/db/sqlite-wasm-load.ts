/**
 * Loading the official SQLite WASM build: once per context, with the page
 * VFS installed. A worker splits the load in two (worker-entry.ts): it
 * compiles the `.wasm` as soon as its script runs, which happens off its
 * thread, and instantiates it (with the library's set-up, which takes the
 * thread for tens of milliseconds) only once the saved image is being read,
 * so the set-up and the read overlap.
 */
import sqlite3InitModule from '@sqlite.org/sqlite-wasm';
import { installPageVfs } from './page-vfs.js';
import type { Sqlite3 } from './sqlite-wasm-heap.js';

export interface SqliteWasmInit {
  /** Where the `.wasm` file is (the worker passes the URL its bundler gave it); the library's own guess otherwise. */
  locateFile?: (file: string) => string;
  /** The `.wasm`, compiled or compiling (compileSqliteWasm): the library instantiates it instead of fetching its own. */
  module?: Promise<WebAssembly.Module>;
}

/** What the library's Emscripten module takes (its published types declare no argument). */
interface EmscriptenInit {
  locateFile?: (file: string) => string;
  instantiateWasm?: (imports: WebAssembly.Imports, receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void) => object;
}

/** Fetch and compile the `.wasm` without instantiating it; compiling runs off the calling thread. */
export async function compileSqliteWasm(url: string): Promise<WebAssembly.Module> {
  const response = fetch(url, { credentials: 'same-origin' });
  try {
    return await WebAssembly.compileStreaming(response);
  } catch {
    // A server that does not say application/wasm: compile from the bytes, as the library itself falls back to.
    const first = await response;
    if (!first.ok) throw new Error(`HTTP ${first.status} ${first.statusText}`.trim());
    const again = await fetch(url, { credentials: 'same-origin' });
    return WebAssembly.compile(await again.arrayBuffer());
  }
}

/**
 * `start` once: later calls get the same promise while it may still succeed; once it fails it is forgotten, so
 * the next call starts again (a later connection, after the network came back). Arguments count on a start only.
 */
export function onceUntilFailed<A extends unknown[], T>(start: (...args: A) => Promise<T>): (...args: A) => Promise<T> {
  let current: Promise<T> | undefined;
  return (...args) => {
    if (!current) {
      const attempt = start(...args);
      current = attempt;
      attempt.catch(() => {
        if (current === attempt) current = undefined;
      });
    }
    return current;
  };
}

/** Load (once) and return the SQLite WASM module; `init` only counts on the call that starts the load. */
export const loadSqliteWasm: (init?: SqliteWasmInit) => Promise<unknown> = onceUntilFailed((init: SqliteWasmInit = {}) => {
  // The database lives in the page VFS, never in the library's own VFSes. Its
  // OPFS VFS, left on, would start a helper worker from a file next to the
  // library (absent from our bundle) and wait up to 4 s for it when the page
  // is cross-origin isolated, or log a warning when it cannot install. Its
  // key-value VFS (for localStorage) is never used either, and setting it
  // up took a few milliseconds of every worker's start. The library reads
  // this global once, while it initialises, then deletes it.
  const scope = globalThis as { sqlite3ApiConfig?: unknown };
  scope.sqlite3ApiConfig = { disable: { vfs: { opfs: true, 'opfs-vfs': true, 'opfs-wl': true, 'opfs-sahpool': true, kvvfs: true } } };
  const initModule = sqlite3InitModule as unknown as (module?: EmscriptenInit) => Promise<unknown>;
  const options: EmscriptenInit = init.locateFile ? { locateFile: init.locateFile } : {};
  // The page VFS is installed as part of the load: each of its methods becomes a small WebAssembly function
  // compiled on the spot (16 of them), which a worker then does while the saved image is still being read,
  // not inside the first open.
  const load = (): Promise<unknown> => initModule(options).then((sqlite3) => (installPageVfs(sqlite3 as Sqlite3), sqlite3));
  const compiled = init.module;
  if (!compiled) return load();
  // Emscripten's hook hands it the instance; the hook has no way to fail the library's load, so a module that
  // fails to compile or instantiate fails the race instead.
  return new Promise<unknown>((resolve, reject) => {
    options.instantiateWasm = (imports, receive) => {
      compiled.then((module) => WebAssembly.instantiate(module, imports).then((instance) => receive(instance, module))).catch(reject);
      return {};
    };
    load().then(resolve, reject);
  });
});
