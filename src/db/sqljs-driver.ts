/**
 * sql.js (SQLite compiled to WASM) driver. Runs in a Web Worker, on a browser
 * thread, or in Node.
 */
import initSqlJs from 'sql.js';
import type { Database, SqlJsStatic, Statement as SqlJsStatement, SqlValue as SqlJsValue } from 'sql.js';
import type { Driver, Params, Row, Statement } from './driver.js';
import { TransactionRunner } from './transaction-runner.js';
import { parameterNames, positional, shieldParameters } from './named-params.js';

/**
 * A loaded sql.js module, opaque to callers: the published types never
 * mention sql.js's own, which pull in Emscripten's DOM declarations.
 */
export interface SqlJsModule {
  readonly Database: unknown;
}

/** What `initSqlJs` takes: where to find the .wasm (or its bytes). */
export interface SqlJsInitOptions {
  locateFile?: (file: string, prefix: string) => string;
  wasmBinary?: ArrayBuffer | Uint8Array;
}

export interface SqlJsDriverOptions {
  /** A database image to open (from `exportImage()` or IndexedDB). */
  image?: Uint8Array;
  /** An initialised sql.js module (from loadSqlJs); shared between drivers to load the WASM once. */
  sqlJs?: SqlJsModule;
  /** Passed to `initSqlJs` when `sqlJs` is not given (e.g. `locateFile` for the .wasm URL). */
  init?: SqlJsInitOptions;
}

let defaultModule: Promise<SqlJsStatic> | undefined;

/** Load (once) and return the sql.js module. */
export function loadSqlJs(init?: SqlJsInitOptions): Promise<SqlJsModule> {
  if (init) return initSqlJs(init as Parameters<typeof initSqlJs>[0]);
  defaultModule ??= initSqlJs();
  return defaultModule;
}

export async function createSqlJsDriver(options: SqlJsDriverOptions = {}): Promise<Driver> {
  const SQL = (options.sqlJs ?? (await loadSqlJs(options.init))) as SqlJsStatic;
  return new SqlJsDriver(new SQL.Database(options.image));
}

class CachedStatement implements Statement {
  private readonly names: string[];
  private columns: string[] | undefined;

  constructor(
    private readonly stmt: SqlJsStatement,
    private readonly sql: string,
  ) {
    this.names = parameterNames(sql);
  }

  private bind(params: Params | undefined): void {
    if (this.names.length > 0) this.stmt.bind(positional(this.names, params, this.sql) as SqlJsValue[]);
  }

  private row(): Row {
    const values = this.stmt.get();
    this.columns ??= this.stmt.getColumnNames();
    const row: Row = {};
    for (let i = 0; i < values.length; i++) row[this.columns[i]!] = values[i];
    return row;
  }

  run(params?: Params): number {
    try {
      this.bind(params);
      this.stmt.step();
    } finally {
      this.stmt.reset();
    }
    return this.db().getRowsModified();
  }

  get<T = Row>(params?: Params): T | undefined {
    try {
      this.bind(params);
      return this.stmt.step() ? (this.row() as T) : undefined;
    } finally {
      this.stmt.reset();
    }
  }

  all<T = Row>(params?: Params): T[] {
    const rows: T[] = [];
    try {
      this.bind(params);
      while (this.stmt.step()) rows.push(this.row() as T);
    } finally {
      this.stmt.reset();
    }
    return rows;
  }

  /** Set by the driver right after construction. */
  db!: () => Database;
}

class SqlJsDriver implements Driver {
  readonly kind = 'sql.js' as const;
  private readonly cache = new Map<string, CachedStatement>();
  private readonly tx: TransactionRunner;

  constructor(private readonly db: Database) {
    // The default rollback journal costs half the throughput in sql.js; the
    // database lives in memory anyway and is persisted as a whole image.
    db.run('PRAGMA journal_mode = MEMORY');
    // One connection owns the database. Without an exclusive lock SQLite
    // re-validates its page cache against the (in-memory) file at the start
    // of every transaction, a fixed cost of tens of microseconds per call.
    db.run('PRAGMA locking_mode = EXCLUSIVE');
    // 16 MiB of page cache, as native builds default to (sql.js keeps
    // SQLite's 2 MiB); past it every page miss is a copy out of the
    // in-memory file.
    db.run('PRAGMA cache_size = -16384');
    this.tx = new TransactionRunner((sql) => this.prepare(sql));
  }

  get inTransaction(): boolean {
    return this.tx.active;
  }

  exec(sql: string): void {
    this.db.run(sql);
  }

  prepare(sql: string): Statement {
    let stmt = this.cache.get(sql);
    if (!stmt) {
      stmt = new CachedStatement(this.db.prepare(shieldParameters(sql)), sql);
      stmt.db = () => this.db;
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
    return this.db.export();
  }

  close(): void {
    for (const stmt of this.cache.values()) (stmt as unknown as { stmt: SqlJsStatement }).stmt.free();
    this.cache.clear();
    this.db.close();
  }
}
