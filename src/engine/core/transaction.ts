/**
 * One operation = one synchronous transaction. The body runs between
 * BEGIN IMMEDIATE and COMMIT with no await; events it queued are handed to
 * the listener only after COMMIT, and dropped on rollback. Raw database
 * errors never reach callers unwrapped: they become `transport` errors.
 */
import { EngineError } from '../../api/errors.js';
import type { Driver } from '../../db/driver.js';
import type { CommittedEvent } from './context.js';

/** Called after every COMMIT; `events` is empty when the transaction wrote no outbox row. */
export type CommitListener = (events: readonly CommittedEvent[]) => void;

export class TransactionRunner {
  private pending: CommittedEvent[] = [];
  private readonly listeners = new Set<CommitListener>();

  constructor(private readonly db: Driver) {}

  readonly emit = (event: CommittedEvent): void => {
    this.pending.push(event);
  };

  onCommit(listener: CommitListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  run<T>(op: string, body: () => T): T {
    this.pending = [];
    let result: T;
    try {
      result = this.db.transaction(body);
    } catch (err) {
      this.pending = [];
      throw wrapDatabaseError(op, err);
    }
    const events = this.pending;
    this.pending = [];
    // Every commit is announced, even one without outbox events: persistence
    // counts commits to know what is unsaved (a scanner tick or a registry
    // write changes the database without an event).
    for (const listener of this.listeners) listener(events);
    return result;
  }

  /** A read outside any transaction; errors are wrapped the same way. */
  read<T>(op: string, body: () => T): T {
    try {
      return body();
    } catch (err) {
      throw wrapDatabaseError(op, err);
    }
  }
}

export function wrapDatabaseError(op: string, err: unknown): EngineError {
  if (err instanceof EngineError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new EngineError('transport', `${op}: database error: ${message}`, { op, backend: 'sqlite', cause: message });
}
