/**
 * Loading SQLite's WebAssembly module installs the page VFS with it, so the
 * first database open (a worker's cold start) does not pay for compiling the
 * VFS's method bridges; a driver opened afterwards uses that same VFS.
 */
import { describe, expect, it } from 'vitest';
import { createSqliteWasmDriver } from '../../src/db/sqlite-wasm-driver.js';
import { loadSqliteWasm } from '../../src/db/sqlite-wasm-load.js';
import { installPageVfs, type WasmSqlite } from '../../src/db/page-vfs.js';

describe('loading the SQLite WASM module', () => {
  it('comes with the page VFS registered, before any driver opens', async () => {
    const sqlite3 = (await loadSqliteWasm()) as WasmSqlite;
    expect(sqlite3.capi.sqlite3_vfs_find('ff-pages')).not.toBe(0);
    // Installing again hands back the registered VFS rather than a second one.
    expect(installPageVfs(sqlite3)).toBe(installPageVfs(sqlite3));
    const driver = await createSqliteWasmDriver({ sqlite3 });
    try {
      driver.exec('CREATE TABLE t (a INTEGER)');
      driver.prepare('INSERT INTO t (a) VALUES (:a)').run({ a: 7 });
      expect(driver.prepare('SELECT a FROM t').get()).toEqual({ a: 7 });
      // The database lives in the page VFS's file: the write shows there.
      expect(driver.file.size).toBeGreaterThan(0);
    } finally {
      driver.close();
    }
  });
});
