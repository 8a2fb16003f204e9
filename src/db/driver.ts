/**
 * The small synchronous database interface every engine module runs on.
 * Implementations: sqlite-wasm (the official SQLite WASM build on a JS page
 * VFS that tracks changed chunks; the browser worker's), sql.js (WASM, the
 * in-process default in Node), and better-sqlite3 (Node only, native). The
 * engine never touches any of the libraries directly.
 */

/** A bind value. `undefined` is bound as NULL. */
export type SqlValue = number | string | Uint8Array | null | undefined;

/** Named parameters; SQL text refers to them as `:name`. */
export type Params = Record<string, SqlValue>;

export type Row = Record<string, unknown>;

export interface Statement {
  /** Run a statement that returns no rows; resolves to the number of changed rows. */
  run(params?: Params): number;
  /** First row, or undefined. */
  get<T = Row>(params?: Params): T | undefined;
  /** Every row. */
  all<T = Row>(params?: Params): T[];
}

export interface Driver {
  readonly kind: 'sql.js' | 'better-sqlite3' | 'sqlite-wasm';
  /** Run one or more statements with no parameters and no result. */
  exec(sql: string): void;
  /** A prepared statement, cached by SQL text for the driver's lifetime. */
  prepare(sql: string): Statement;
  /**
   * Run `fn` inside BEGIN IMMEDIATE … COMMIT. On throw, roll back and rethrow.
   * Transactions do not nest: the engine runs exactly one per operation.
   */
  transaction<T>(fn: () => T): T;
  /**
   * Run `fn` inside one transaction, its transactions savepoints of it, committed together when it returns
   * (transaction-runner.ts). A transaction that throws rolls back alone; if SQLite abandons the whole
   * transaction, or the commit fails, nothing is kept and it throws GroupAbandoned.
   */
  group<T>(fn: () => T): T;
  readonly inTransaction: boolean;
  /** The whole database image. Throws inside a transaction. */
  exportImage(): Uint8Array;
  close(): void;
}
