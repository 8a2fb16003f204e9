/**
 * Driver on the official SQLite WASM build, with the database kept by the
 * page VFS (page-vfs.ts): same engine contract as the sql.js driver, plus a
 * view of which image chunks changed since the last save, so persistence can
 * copy those instead of exporting and comparing the whole image.
 */
import type { Driver, Params, Row, Statement } from './driver.js';
import { TransactionRunner } from './transaction-runner.js';
import { parameterNames, positional, shieldParameters } from './named-params.js';
import { PageFile, type BlockDelta } from './page-file.js';
import { installPageVfs, type PageVfs } from './page-vfs.js';
import { Heap, type Exports, type Sqlite3 } from './sqlite-wasm-heap.js';
import { loadSqliteWasm } from './sqlite-wasm-load.js';

const ROW = 100;
const DONE = 101;
const PREPARE_PERSISTENT = 1;
const OPEN_READWRITE_CREATE = 0x02 | 0x04;

export interface SqliteWasmDriverOptions {
  /** A database image to open (copied; every chunk counts as unsaved until takeDirty()). */
  image?: Uint8Array;
  /** Or the image as stored chunks (adopted, not copied) and its size in bytes. */
  chunks?: { chunks: readonly Uint8Array[]; bytes: number };
  /** An initialised module, shared between drivers to load the WASM once. */
  sqlite3?: unknown;
}

export async function createSqliteWasmDriver(options: SqliteWasmDriverOptions = {}): Promise<SqliteWasmDriver> {
  const sqlite3 = (options.sqlite3 ?? (await loadSqliteWasm())) as Sqlite3;
  const file = options.chunks
    ? PageFile.fromChunks(options.chunks.chunks, options.chunks.bytes)
    : options.image
      ? PageFile.fromImage(options.image)
      : new PageFile();
  return new SqliteWasmDriver(sqlite3, installPageVfs(sqlite3), file);
}

let nextPath = 0;

class CachedStatement implements Statement {
  private readonly names: string[];
  private columns: string[] | undefined;

  constructor(
    private readonly driver: SqliteWasmDriver,
    readonly stmt: number,
    private readonly sql: string,
  ) {
    this.names = parameterNames(sql);
  }

  private bind(params: Params | undefined): void {
    if (this.names.length === 0) return;
    const values = positional(this.names, params, this.sql);
    for (let i = 0; i < values.length; i++) {
      if (this.driver.heap.bind(this.stmt, i + 1, values[i]) !== 0) throw this.driver.error();
    }
  }

  private step(): boolean {
    const rc = this.driver.ex.sqlite3_step(this.stmt);
    if (rc === ROW) return true;
    if (rc === DONE) return false;
    throw this.driver.error();
  }

  private reset(): void {
    // The step's error (if any) has been thrown already; reset repeats it.
    this.driver.ex.sqlite3_reset(this.stmt);
  }

  private row(): Row {
    const columns = (this.columns ??= this.columnNames());
    const row: Row = {};
    for (let i = 0; i < columns.length; i++) row[columns[i]!] = this.driver.heap.column(this.stmt, i);
    return row;
  }

  private columnNames(): string[] {
    const ex = this.driver.ex;
    const names: string[] = [];
    const n = ex.sqlite3_column_count(this.stmt);
    for (let i = 0; i < n; i++) names.push(this.driver.heap.cstr(ex.sqlite3_column_name(this.stmt, i)));
    return names;
  }

  run(params?: Params): number {
    try {
      this.bind(params);
      this.step();
    } finally {
      this.reset();
    }
    return this.driver.ex.sqlite3_changes(this.driver.db);
  }

  get<T = Row>(params?: Params): T | undefined {
    try {
      this.bind(params);
      return this.step() ? (this.row() as T) : undefined;
    } finally {
      this.reset();
    }
  }

  all<T = Row>(params?: Params): T[] {
    const rows: T[] = [];
    try {
      this.bind(params);
      while (this.step()) rows.push(this.row() as T);
    } finally {
      this.reset();
    }
    return rows;
  }
}

export class SqliteWasmDriver implements Driver {
  readonly kind = 'sqlite-wasm' as const;
  readonly ex: Exports;
  readonly heap: Heap;
  readonly db: number;
  private readonly path: string;
  private readonly cache = new Map<string, CachedStatement>();
  private readonly slot: number;
  private readonly tx: TransactionRunner;

  constructor(
    sqlite3: Sqlite3,
    private readonly vfs: PageVfs,
    readonly file: PageFile,
  ) {
    this.ex = sqlite3.wasm.exports;
    this.heap = new Heap(sqlite3);
    this.slot = this.ex.sqlite3_malloc(8);
    this.path = `/ff-${++nextPath}.db`;
    vfs.mount(this.path, file);
    const zName = sqlite3.wasm.allocCString(this.path);
    const zVfs = sqlite3.wasm.allocCString(vfs.name);
    const rc = this.ex.sqlite3_open_v2(zName, this.slot, OPEN_READWRITE_CREATE, zVfs);
    this.ex.sqlite3_free(zName);
    this.ex.sqlite3_free(zVfs);
    this.db = new DataView(this.heap.u8.buffer).getUint32(this.slot, true);
    if (rc !== 0) {
      const err = this.error();
      this.ex.sqlite3_close_v2(this.db);
      throw err;
    }
    // Same settings as the sql.js driver, for the same reasons: the rollback
    // journal in memory (the file is in memory too and persisted as chunks),
    // one connection owning the file (no page-cache revalidation per
    // transaction), and a 16 MiB page cache so reads rarely reach the VFS.
    this.exec('PRAGMA journal_mode = MEMORY');
    this.exec('PRAGMA locking_mode = EXCLUSIVE');
    this.exec('PRAGMA cache_size = -16384');
    // xSync is a no-op here; OFF spares the calls into JS at every commit.
    this.exec('PRAGMA synchronous = OFF');
    // Only takes effect on a new database. This build defaults to 8 KiB;
    // 4 KiB, sql.js's size, measured about 10% more claim+complete pairs/s
    // (a small commit copies half the bytes) and dirties finer regions.
    this.exec('PRAGMA page_size = 4096');
    this.tx = new TransactionRunner((sql) => this.prepare(sql));
  }

  get inTransaction(): boolean {
    return this.tx.active;
  }

  /** The current database file size in bytes. */
  get imageBytes(): number {
    return this.file.size;
  }

  /** Chunks written since the last takeDirty(), ascending. */
  dirtyChunks(): number[] {
    return this.file.dirtyChunks();
  }

  /** dirtyChunks(), and forget them (give them back with restoreDirty() if saving them fails). */
  takeDirty(): number[] {
    // Mid-transaction the file may hold uncommitted pages (a cache spill).
    this.tx.assertOutside('takeDirty()');
    return this.file.takeDirty();
  }

  restoreDirty(indexes: readonly number[]): void {
    this.file.restoreDirty(indexes);
  }

  /** Blocks written since the last takeBlocks(). */
  dirtyBlockCount(): number {
    return this.file.dirtyBlockCount();
  }

  /** The blocks written since the last takeBlocks(), copied (see PageFile.takeBlocks); give them back with restoreBlocks() if saving them fails. */
  takeBlocks(copy = true): BlockDelta {
    this.tx.assertOutside('takeBlocks()');
    return this.file.takeBlocks(copy);
  }

  restoreBlocks(delta: BlockDelta): void {
    this.file.restoreBlocks(delta);
  }

  /** A copy of one chunk of the image (CHUNK_SIZE bytes, the last one shorter). */
  readChunk(index: number): Uint8Array {
    this.tx.assertOutside('readChunk()');
    return this.file.readChunk(index);
  }

  /** @internal */
  error(): Error {
    return new Error(this.heap.cstr(this.ex.sqlite3_errmsg(this.db)));
  }

  exec(sql: string): void {
    this.heap.put(sql);
    const rc = this.ex.sqlite3_exec(this.db, this.heap.pointer, 0, 0, 0);
    if (rc !== 0) throw this.error();
  }

  prepare(sql: string): Statement {
    let stmt = this.cache.get(sql);
    if (!stmt) {
      const n = this.heap.put(shieldParameters(sql));
      const rc = this.ex.sqlite3_prepare_v3(this.db, this.heap.pointer, n, PREPARE_PERSISTENT, this.slot, 0);
      if (rc !== 0) throw this.error();
      const p = new DataView(this.heap.u8.buffer).getUint32(this.slot, true);
      if (!p) throw new Error(`no statement in: ${sql.trim().slice(0, 120)}`);
      stmt = new CachedStatement(this, p, sql);
      this.cache.set(sql, stmt);
    }
    return stmt;
  }

  transaction<T>(fn: () => T): T {
    return this.tx.run(fn);
  }

  group<T>(fn: () => T): T {
    return this.tx.group(fn);
  }

  exportImage(): Uint8Array {
    this.tx.assertOutside('exportImage()');
    return this.file.image();
  }

  close(): void {
    for (const stmt of this.cache.values()) this.ex.sqlite3_finalize(stmt.stmt);
    this.cache.clear();
    this.ex.sqlite3_close_v2(this.db);
    this.vfs.unmount(this.path);
    this.heap.free();
    this.ex.sqlite3_free(this.slot);
  }
}
