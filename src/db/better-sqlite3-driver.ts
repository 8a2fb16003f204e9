/**
 * better-sqlite3 (native SQLite) driver, Node only. Runs the same engine code
 * as the sql.js driver; used by the benchmarks and by Node users who want
 * native speed. better-sqlite3 is an optional dependency: install it yourself.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Database, Statement as NativeStatement } from 'better-sqlite3';
import type { Driver, Params, Row, Statement } from './driver.js';
import { TransactionRunner } from './transaction-runner.js';

export interface BetterSqlite3DriverOptions {
  /** A file path, or ':memory:' (the default). */
  filename?: string;
  /** A database image to open instead of a file. */
  image?: Uint8Array;
}

export async function createBetterSqlite3Driver(options: BetterSqlite3DriverOptions = {}): Promise<Driver> {
  let Native: typeof BetterSqlite3;
  try {
    Native = (await import('better-sqlite3')).default;
  } catch (cause) {
    throw new Error('the better-sqlite3 driver needs the optional dependency: npm install better-sqlite3', { cause });
  }
  const db = options.image
    ? new Native(Buffer.from(options.image.buffer, options.image.byteOffset, options.image.byteLength))
    : new Native(options.filename ?? ':memory:');
  return new BetterSqlite3Driver(db);
}

/** better-sqlite3 refuses `undefined`; the driver contract binds it as NULL. */
function normalise(params: Params | undefined): Params | undefined {
  if (params === undefined) return undefined;
  for (const key in params) {
    if (params[key] === undefined) {
      const copy: Params = {};
      for (const k in params) copy[k] = params[k] === undefined ? null : params[k];
      return copy;
    }
  }
  return params;
}

class CachedStatement implements Statement {
  constructor(private readonly stmt: NativeStatement) {}
  run(params?: Params): number {
    const p = normalise(params);
    return (p === undefined ? this.stmt.run() : this.stmt.run(p)).changes;
  }
  get<T = Row>(params?: Params): T | undefined {
    const p = normalise(params);
    return (p === undefined ? this.stmt.get() : this.stmt.get(p)) as T | undefined;
  }
  all<T = Row>(params?: Params): T[] {
    const p = normalise(params);
    return (p === undefined ? this.stmt.all() : this.stmt.all(p)) as T[];
  }
}

class BetterSqlite3Driver implements Driver {
  readonly kind = 'better-sqlite3' as const;
  private readonly cache = new Map<string, CachedStatement>();
  private readonly tx: TransactionRunner;

  constructor(private readonly db: Database) {
    db.pragma('journal_mode = MEMORY');
    this.tx = new TransactionRunner((sql) => this.prepare(sql));
  }

  get inTransaction(): boolean {
    return this.db.inTransaction;
  }

  exec(sql: string): void {
    this.db.exec(sql);
  }

  prepare(sql: string): Statement {
    let stmt = this.cache.get(sql);
    if (!stmt) {
      stmt = new CachedStatement(this.db.prepare(sql));
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
    if (this.db.inTransaction) throw new Error('exportImage() inside a transaction');
    const buf = this.db.serialize();
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  close(): void {
    this.cache.clear();
    this.db.close();
  }
}
