/**
 * A worker compiles SQLite's .wasm first and instantiates it later
 * (worker-entry.ts): loadSqliteWasm takes the compiled module. A module that
 * fails to compile fails the load with its own error instead of leaving it
 * pending, and the next load tries again. (Its own file: the loaded module
 * is kept once per context, and the other test file loads it the usual way.)
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { createSqliteWasmDriver } from '../../src/db/sqlite-wasm-driver.js';
import { loadSqliteWasm } from '../../src/db/sqlite-wasm-load.js';
import type { WasmSqlite } from '../../src/db/page-vfs.js';

const wasmBytes = (): Uint8Array<ArrayBuffer> => new Uint8Array(readFileSync(createRequire(import.meta.url).resolve('@sqlite.org/sqlite-wasm/sqlite3.wasm')));

describe('loading SQLite from a module compiled beforehand', () => {
  it('a module that fails to compile rejects the load; the next load with a good module works', async () => {
    const broken = WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 9, 9, 9, 9]));
    await expect(loadSqliteWasm({ module: broken })).rejects.toThrow(WebAssembly.CompileError);

    let instantiated = 0;
    const good = WebAssembly.compile(wasmBytes()).then((module) => (instantiated++, module));
    const sqlite3 = (await loadSqliteWasm({ module: good })) as WasmSqlite;
    expect(instantiated).toBe(1);
    expect(sqlite3.capi.sqlite3_vfs_find('ff-pages')).not.toBe(0);
    const driver = await createSqliteWasmDriver({ sqlite3 });
    try {
      driver.exec('CREATE TABLE t (a INTEGER)');
      driver.prepare('INSERT INTO t (a) VALUES (:a)').run({ a: 3 });
      expect(driver.prepare('SELECT a FROM t').get()).toEqual({ a: 3 });
    } finally {
      driver.close();
    }
    // Loaded once: a later call hands back the same module without compiling again.
    expect(await loadSqliteWasm()).toBe(sqlite3);
  });
});
