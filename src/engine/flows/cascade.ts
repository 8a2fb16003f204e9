/**
 * The completion cascade: right after an operation commits, every
 * completion event it wrote for a flow member is dispatched, one
 * transaction per event, in event order. A dispatch may end more members
 * (a skipped child, a cancelled sibling); their events join the queue, so
 * the loop runs until the whole cascade has drained.
 *
 * The engine routes every write, and every scanner transaction, through
 * `run()`, so nothing that ends a flow member waits for the reconciler.
 * A dispatch that fails is reported and left: its event stays
 * undispatched and the dependency reconciler picks it up once it is older
 * than its staleness threshold. The operation that wrote it stays
 * committed; its caller never sees the dispatch error.
 */
import type { CommittedEvent, EngineContext } from '../core/context.js';
import { dispatchCompletion, isPendingDispatch } from './dispatch-completion.js';
import type { TransactionRunner } from '../core/transaction.js';

export class CompletionCascade {
  private queue: number[] = [];
  private draining = false;

  constructor(
    private readonly ctx: EngineContext,
    private readonly tx: TransactionRunner,
    private readonly onError: (eventId: number, error: unknown) => void,
  ) {}

  /** Commit listener: remember every completion event (non-flow ones are filtered out by `drain`). */
  readonly collect = (events: readonly CommittedEvent[]): void => {
    for (const event of events) if (event.channel === 'completion') this.queue.push(event.eventId);
  };

  /** One write transaction, then the cascade of whatever it ended. */
  run<T>(op: string, body: () => T): T {
    const result = this.tx.run(op, body);
    this.drain();
    return result;
  }

  /**
   * Dispatch queued events until none is left. Re-entrant calls (a commit
   * listener that writes) only enqueue; the outermost loop drains.
   */
  drain(): void {
    if (this.draining || this.queue.length === 0) return;
    this.draining = true;
    try {
      for (let i = 0; i < this.queue.length; i++) {
        const eventId = this.queue[i]!;
        // Events outside a flow are written already dispatched: one indexed
        // read skips them without opening a transaction.
        if (!isPendingDispatch(this.ctx, eventId)) continue;
        try {
          this.tx.run('dispatchCompletion', () => dispatchCompletion(this.ctx, eventId, this.ctx.clock.now()));
        } catch (err) {
          this.onError(eventId, err);
        }
      }
    } finally {
      this.queue = [];
      this.draining = false;
    }
  }
}
