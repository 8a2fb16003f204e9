/**
 * One operation = one synchronous transaction. The body runs between
 * BEGIN IMMEDIATE and COMMIT with no await; events it queued are handed to
 * the listener only after COMMIT, and dropped on rollback. Raw database
 * errors never reach callers unwrapped: they become `transport` errors.
 *
 * In a group (the worker's batch of calls, `group()`), each operation's
 * transaction is a savepoint of the group's, and the listeners hear of it
 * once the group has committed, in order; the listeners registered as
 * `withinGroup` (the completion cascade, which carries on the operation's
 * work) hear of it at once, as outside a group.
 */
import { EngineError } from '../../api/errors.js';
import type { Driver } from '../../db/driver.js';
import type { CommittedEvent } from './context.js';

/** Called after every COMMIT; `events` is empty when the transaction wrote no outbox row. */
export type CommitListener = (events: readonly CommittedEvent[]) => void;

export class TransactionRunner {
  private pending: CommittedEvent[] = [];
  private readonly listeners = new Set<CommitListener>();
  private readonly withinGroup = new Set<CommitListener>();
  /** In a group: each operation's events, for the listeners once the group commits. */
  private grouped: (readonly CommittedEvent[])[] | null = null;

  constructor(private readonly db: Driver) {}

  readonly emit = (event: CommittedEvent): void => {
    this.pending.push(event);
  };

  /** `withinGroup`: heard at each operation's own commit even inside a group (its savepoint's release). */
  onCommit(listener: CommitListener, options: { withinGroup?: boolean } = {}): () => void {
    const set = options.withinGroup ? this.withinGroup : this.listeners;
    set.add(listener);
    return () => set.delete(listener);
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
    for (const listener of this.withinGroup) listener(events);
    if (this.grouped) this.grouped.push(events);
    else for (const listener of this.listeners) listener(events);
    return result;
  }

  /**
   * Run `body` as one group (see above). If the group's transaction is lost (driver.group's GroupAbandoned),
   * nothing of it is kept or announced, and this throws a `transport` error for every call in it.
   */
  group<T>(op: string, body: () => T): T {
    if (this.grouped) throw new Error('groups do not nest');
    this.grouped = [];
    let result: T;
    let committed: (readonly CommittedEvent[])[];
    try {
      result = this.db.group(body);
    } catch (err) {
      throw wrapDatabaseError(op, err);
    } finally {
      committed = this.grouped;
      this.grouped = null;
    }
    // The group has committed: a listener that throws must not turn its calls into failures (the caller would
    // report them as not kept), so its error is reported here and the other listeners still hear of every commit.
    for (const events of committed) {
      for (const listener of this.listeners) {
        try {
          listener(events);
        } catch (err) {
          console.error(`[ff-backend-browser] a commit listener failed after ${op}:`, err);
        }
      }
    }
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
