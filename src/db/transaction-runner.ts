/**
 * The transaction bracket both WASM drivers use: BEGIN IMMEDIATE, the body,
 * COMMIT, or ROLLBACK and rethrow. Transactions do not nest (the engine opens
 * one per operation), and while one is open the drivers refuse to export or
 * hand out the file, which may hold uncommitted pages.
 */
import type { Statement } from './driver.js';

export class TransactionRunner {
  private depth = 0;
  private readonly begin: Statement;
  private readonly commit: Statement;
  private readonly rollback: Statement;

  constructor(prepare: (sql: string) => Statement) {
    this.begin = prepare('BEGIN IMMEDIATE');
    this.commit = prepare('COMMIT');
    this.rollback = prepare('ROLLBACK');
  }

  get active(): boolean {
    return this.depth > 0;
  }

  /** Throw when a transaction is open: `what` may not run inside one. */
  assertOutside(what: string): void {
    if (this.depth > 0) throw new Error(`${what} inside a transaction`);
  }

  run<T>(fn: () => T): T {
    if (this.depth > 0) throw new Error('transactions do not nest');
    this.begin.run();
    this.depth = 1;
    try {
      const result = fn();
      this.commit.run();
      return result;
    } catch (err) {
      try {
        this.rollback.run();
      } catch {
        // The transaction may already be gone (SQLite rolls back on some errors).
      }
      throw err;
    } finally {
      this.depth = 0;
    }
  }
}
