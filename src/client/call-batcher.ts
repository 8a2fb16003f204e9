/**
 * Engine calls issued in the same tick travel in one message. A message to
 * a worker costs more than most engine operations (a round trip is tens to
 * hundreds of microseconds, a create a few tens), so with many concurrent
 * callers one message per call would keep the worker busy with messaging
 * rather than with the engine. The batch runs in issue order, each call failing
 * on its own (the worker commits a batch of reads and writes once, each call in a
 * savepoint); a lone call waits only for the end of the current microtask.
 */
import type { BatchCall, BatchOutcome } from '../worker/protocol.js';
import { deserializeError } from '../worker/wire.js';

/**
 * Most calls in one message, so a flood of calls becomes a stream of
 * moderate messages instead of one huge one.
 */
const MAX_BATCH = 256;

interface Pending {
  call: BatchCall;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

export class CallBatcher {
  private queue: Pending[] = [];
  private scheduled = false;
  /** Batches sent and not answered yet. */
  private inFlight = 0;

  /**
   * `send` delivers one batch; it rejects (e.g. the worker died) for all of its calls at once.
   * `alone` names the methods that may wait (tailStream): each goes in a batch of its own, in
   * issue order, not counted in flight, so it never holds up the replies of other calls.
   */
  constructor(
    private readonly send: (calls: BatchCall[]) => Promise<BatchOutcome>,
    private readonly alone: ReadonlySet<string> = new Set(),
  ) {}

  call(method: string, args: unknown[]): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.queue.push({ call: [method, args], resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        queueMicrotask(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    // Two messages rather than one when several calls wait and none is in flight: the worker starts
    // on the first half while the second is in flight. From then on each reply's callers make up the
    // next message while the worker runs the other one, so two batches stay in flight and the worker
    // does not sit idle during round trips. Splitting every flush instead (as this did before) breaks
    // 16 callers into ever smaller messages, and with a dedicated worker (worker: 'leader') the
    // per-message cost then dominates: 16 callers on a busy 2-core VM, leader tab, 4 runs each,
    // creates 41-52 % of in-worker throughput with every flush split, 57-72 % never split, 65-73 %
    // split only with nothing in flight; claim+complete pairs 51-59 %, 64-72 %, 64-86 %.
    const size = this.inFlight === 0 && this.queue.length >= 8 ? Math.min(MAX_BATCH, Math.ceil(this.queue.length / 2)) : MAX_BATCH;
    while (this.queue.length > 0) {
      const waits = this.alone.has(this.queue[0]!.call[0]);
      // A waiting call travels alone; the others up to the next waiting call, in issue order.
      let end = 1;
      if (!waits) while (end < size && end < this.queue.length && !this.alone.has(this.queue[end]!.call[0])) end++;
      this.sendBatch(this.queue.splice(0, end), !waits);
    }
  }

  private sendBatch(batch: Pending[], counted: boolean): void {
    if (counted) this.inFlight++;
    this.send(batch.map((p) => p.call)).then(
      ({ values, errors }) => {
        if (counted) this.inFlight--;
        for (let i = 0; i < batch.length; i++) {
          const error = errors?.[i];
          if (error) batch[i]!.reject(deserializeError(error));
          else if (i < values.length) batch[i]!.resolve(values[i]);
          else batch[i]!.reject(new Error('invokeBatch: missing result'));
        }
      },
      (error: unknown) => {
        if (counted) this.inFlight--;
        batch.forEach((pending) => pending.reject(error));
      },
    );
  }
}
