/**
 * The worker's side of batch-channel.ts: run each batch of engine calls on
 * the connection and post its reply. Once the page offered shared memory,
 * the worker marks itself at work as a batch message arrives, and after it
 * runs the batch it drains the ring: every batch the page wrote meanwhile,
 * for at most DRAIN_SLICE_MS at a time so timers, saves and other messages
 * still get their turn, then it marks itself idle. After a lone call it
 * first spins on the empty ring for SPIN_MS, still marked at work: a caller
 * awaiting each call sends the next one within tens of microseconds of the
 * reply, and finds the worker already looking (see RingReader.awaitEntry). A
 * wake-up message starts a drain when the page wrote just as the worker went idle.
 *
 * Order. The page numbers its batches and sends them in that order, some
 * through the ring and some as messages, and a message was posted after
 * every ring entry with a smaller id was written. So before a message's
 * batch runs, the ring entries ahead of it run first.
 */
import type { BackendConnection } from './backend-connection.js';
import { failEvery, RING_READY, RING_WAKE, type BatchEndpoint, type BatchReply, type BatchRequest, type RingOffer } from './batch-channel.js';
import type { BatchCall, BatchOutcome } from './protocol.js';
import { RingReader, type RingEntry } from './shared-ring.js';
import { serializeError } from './wire.js';

/**
 * Longest a drain runs before it lets the event loop in (a continuous
 * stream of batches would otherwise hold it), in ms. Tests pass 0: one batch a task.
 */
const DRAIN_SLICE_MS = 4;
/**
 * How long a drain that emptied the ring after a lone call spins on it for
 * the page's next batch, in ms. Measured in Chromium: 0.02 ms was too short
 * for a caller awaiting each call (the reply must reach the page first),
 * 0.05 caught most and 0.1 nearly all; the event loop waits at most this long.
 */
const SPIN_MS = 0.1;

export interface ServeBatchesOptions {
  /** @default 4 */
  drainSliceMs?: number;
  /** Run a drain that used up its slice again, as a task of its own. Tests pass their own. @default a MessageChannel message */
  later?: (drain: () => void) => void;
  /** How long a drain that emptied the ring after a lone call spins on it for the page's next batch; 0 never spins. @default 0.1 */
  spinMs?: number;
}

/** Answer batch messages, and batches from the ring once the page offers one, on `endpoint` with `connection`. */
export function serveBatches(connection: BackendConnection, endpoint: BatchEndpoint, options: ServeBatchesOptions = {}): void {
  const sliceMs = options.drainSliceMs ?? DRAIN_SLICE_MS;
  const reply = (id: number, { values, errors }: BatchOutcome): void => endpoint.postMessage(errors ? { ffBatchReply: id, values, errors } : { ffBatchReply: id, values });
  let replying = 0;
  let lastBatchCalls = 0;
  const run = (id: number, calls: BatchCall[]): void => {
    lastBatchCalls = calls.length;
    try {
      const outcome = connection.invokeBatch(calls);
      if (outcome instanceof Promise) {
        replying++;
        outcome.then((o) => reply(id, o), (err: unknown) => reply(id, failEvery(calls.length, serializeError(err)))).finally(() => replying--);
      } else reply(id, outcome);
    } catch (err) {
      // The connection refusing the whole batch (closed, not open yet): each call fails with that error.
      reply(id, failEvery(calls.length, serializeError(err)));
    }
  };
  let ring: RingDrain | null = null;
  endpoint.addEventListener('message', (event) => {
    const data = event.data as (Partial<BatchRequest> & Partial<RingOffer> & Record<string, unknown>) | null;
    if (typeof data !== 'object' || data === null) return;
    if (typeof data.ffBatch === 'number' && Array.isArray(data.calls)) {
      // Busy from here on: the page puts what its callers send meanwhile in the ring, and the drain after this batch runs it.
      ring?.busy();
      ring?.runBefore(data.ffBatch);
      run(data.ffBatch, data.calls);
      ring?.drain();
    } else if (data[RING_WAKE] === true) ring?.drain();
    else if (data.ffBatchRing !== undefined && !ring && typeof SharedArrayBuffer === 'function' && data.ffBatchRing instanceof SharedArrayBuffer) {
      const spinMs = options.spinMs ?? SPIN_MS;
      // Spin after a lone call, which is what a caller awaiting one call after another sends. After a larger batch
      // (many callers) the page is busy making the next one, and a spinning worker would take the core it needs.
      // And a reply still on its way (an async call) is posted only once this task ends, so no spin then either.
      const maySpin = (): boolean => lastBatchCalls === 1 && replying === 0;
      ring = new RingDrain(new RingReader(data.ffBatchRing), sliceMs, options.later ?? nextTask, run, (id, error) => endpoint.postMessage({ ffBatchReply: id, values: [], failed: error } satisfies BatchReply), spinMs, maySpin);
      endpoint.postMessage({ [RING_READY]: true });
    }
  });
}

/** The default `later`: a message to itself, which (unlike a timer) no browser delays. */
function nextTask(drain: () => void): void {
  const { port1, port2 } = new MessageChannel();
  port1.onmessage = () => {
    port1.close();
    drain();
  };
  port2.postMessage(null);
}

class RingDrain {
  private readonly decoder = new TextDecoder();

  constructor(
    private readonly reader: RingReader,
    private readonly sliceMs: number,
    private readonly later: (drain: () => void) => void,
    private readonly run: (id: number, calls: BatchCall[]) => void,
    private readonly fail: (id: number, error: ReturnType<typeof serializeError>) => void,
    private readonly spinMs: number,
    private readonly maySpin: () => boolean,
  ) {}

  /** Tell the page the worker is at work: it writes batches to the ring, and drain() runs them. */
  busy(): void {
    this.reader.busy();
  }

  /** Run the batches waiting in the ring, until the slice is used up or the ring stays empty through a spin. */
  drain(): void {
    this.reader.busy();
    const until = performance.now() + this.sliceMs;
    for (;;) {
      const entry = this.reader.peek();
      if (!entry) {
        const left = Math.min(this.spinMs, until - performance.now());
        if (left > 0 && this.maySpin() && this.reader.awaitEntry(left)) continue;
        if (this.reader.idleIfEmpty()) return;
        continue;
      }
      this.take(entry);
      if (performance.now() >= until) {
        // Still BUSY: the page writes on without waking, and the next task picks the ring up again.
        this.later(() => this.drain());
        return;
      }
    }
  }

  /** Run the ring's batches numbered below `id` (a batch that came as a message runs after them). */
  runBefore(id: number): void {
    for (let next = this.reader.nextId(); next !== null && next < id; next = this.reader.nextId()) this.take(this.reader.peek()!);
  }

  private take(entry: RingEntry): void {
    this.reader.take();
    let calls: BatchCall[];
    try {
      calls = JSON.parse(this.decoder.decode(entry.payload)) as BatchCall[];
      if (!Array.isArray(calls)) throw new Error('not a list of calls');
    } catch (err) {
      this.fail(entry.id, serializeError(new Error(`a batch from shared memory could not be read: ${err instanceof Error ? err.message : String(err)}`)));
      return;
    }
    this.run(entry.id, calls);
  }
}
