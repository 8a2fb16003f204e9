/**
 * The transaction bracket every driver uses: BEGIN IMMEDIATE, the body,
 * COMMIT, or ROLLBACK and rethrow. Transactions do not nest (the engine opens
 * one per operation), and while one is open the drivers refuse to export or
 * hand out the file, which may hold uncommitted pages.
 *
 * A group (the worker's batch of calls) runs many transactions inside one:
 * each becomes a savepoint, rolled back alone if its body throws, and the
 * group commits them together, which spares a commit per call. If SQLite
 * abandons the whole transaction (it does on out-of-memory and I/O errors),
 * nothing of the group is kept: later transactions in it refuse to run, and
 * the group throws GroupAbandoned, so its caller fails every call in it.
 */
import type { Statement } from './driver.js';

export class GroupAbandoned extends Error {
  override readonly name = 'GroupAbandoned';
}

export class TransactionRunner {
  private depth = 0;
  private grouped = false;
  private abandoned: unknown = null;
  private readonly begin: Statement;
  private readonly commit: Statement;
  private readonly rollback: Statement;
  private readonly savepoint: Statement;
  private readonly release: Statement;
  private readonly rollbackTo: Statement;

  constructor(prepare: (sql: string) => Statement) {
    this.begin = prepare('BEGIN IMMEDIATE');
    this.commit = prepare('COMMIT');
    this.rollback = prepare('ROLLBACK');
    this.savepoint = prepare('SAVEPOINT ff_call');
    this.release = prepare('RELEASE ff_call');
    this.rollbackTo = prepare('ROLLBACK TO ff_call');
  }

  get active(): boolean {
    return this.depth > 0 || this.grouped;
  }

  /** Throw when a transaction is open: `what` may not run inside one. */
  assertOutside(what: string): void {
    if (this.active) throw new Error(`${what} inside a transaction`);
  }

  run<T>(fn: () => T): T {
    if (this.depth > 0) throw new Error('transactions do not nest');
    if (!this.grouped) return this.bracket(this.begin, this.commit, () => this.rollbackQuietly(), fn);
    if (this.abandoned) throw this.abandonedError();
    return this.bracket(this.savepoint, this.release, () => this.undoSavepoint(), fn);
  }

  /** Run `fn`, whose transactions become savepoints of one transaction, committed when it returns. */
  group<T>(fn: () => T): T {
    if (this.active) throw new Error('a group cannot open inside a transaction');
    this.begin.run();
    this.grouped = true;
    this.abandoned = null;
    try {
      const result = fn();
      if (this.abandoned) throw this.abandonedError();
      this.commit.run();
      return result;
    } catch (err) {
      this.rollbackQuietly();
      throw err instanceof GroupAbandoned ? err : new GroupAbandoned(`the batch's transaction failed: ${messageOf(err)}`);
    } finally {
      this.grouped = false;
      this.abandoned = null;
    }
  }

  /** `open`, the body, then `close`; on a throw, `undo` and rethrow. A transaction and a savepoint alike. */
  private bracket<T>(open: Statement, close: Statement, undo: () => void, fn: () => T): T {
    open.run();
    this.depth = 1;
    try {
      const result = fn();
      close.run();
      return result;
    } catch (err) {
      undo();
      throw err;
    } finally {
      this.depth = 0;
    }
  }

  private undoSavepoint(): void {
    try {
      this.rollbackTo.run();
      this.release.run();
    } catch (lost) {
      // SQLite rolled the whole transaction back: the group's earlier calls are gone too.
      this.abandoned = lost;
    }
  }

  private abandonedError(): GroupAbandoned {
    return new GroupAbandoned(`the batch's transaction was abandoned: ${messageOf(this.abandoned)}`);
  }

  private rollbackQuietly(): void {
    try {
      this.rollback.run();
    } catch {
      // The transaction may already be gone (SQLite rolls back on some errors).
    }
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
