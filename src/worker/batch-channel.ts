/**
 * Engine calls, the hot path, travel in plain messages of their own beside
 * comlink: `{ ffBatch: n, calls }` out, `{ ffBatchReply: n, values, errors? }` back.
 * comlink is kept for everything else (open, status, subscriptions, snapshots).
 *
 * Why: a comlink call builds and registers a proxy per property access,
 * wraps every argument, and makes a random id, on both sides. That is a few
 * microseconds a message, which is most of what a call costs over a raw
 * postMessage once the worker is a dedicated Worker (the leader tab's), and
 * it is paid per message by the worker that many callers keep busy.
 * comlink ignores these messages (they are not its shape), and these
 * listeners ignore comlink's.
 *
 * Shared memory. Where the page may share memory with the worker (a
 * cross-origin-isolated page and its own dedicated worker), the worker says
 * in a ring in shared memory (shared-ring.ts) whether it is at work. While
 * it is, batches go into the ring as JSON instead of as messages, and when
 * the worker finishes a batch it runs the next one from the ring without
 * first returning to its event loop: that return and the next message's
 * dispatch cost the worker 30–45 µs a batch, as much as an engine call.
 * After a lone call the worker also spins briefly on the emptied ring before
 * it goes idle, so a caller awaiting one call after another finds it there:
 * waking a sleeping thread costs about as much as the message would. An idle
 * worker gets the batch as a message, which is how a lone call arrives
 * soonest. Replies come back as messages. A batch whose arguments JSON would
 * change (plain-json.ts), or that does not fit, goes as a message; batches
 * run in the order of their ids whichever way they came (batch-server.ts).
 */
import type { BatchCall, BatchOutcome } from './protocol.js';
import { plainJson } from './plain-json.js';
import { createRingMemory, RingWriter } from './shared-ring.js';
import type { SerializedError } from './wire.js';

/** A batch as a message. */
export interface BatchRequest {
  ffBatch: number;
  calls: BatchCall[];
}

/**
 * The outcome with its batch's id: few objects to clone, which shows in how
 * many calls a busy worker answers. `failed` (a batch from the ring the
 * worker could not read) fails every call of the batch.
 */
export interface BatchReply extends BatchOutcome {
  ffBatchReply: number;
  failed?: SerializedError;
}

/** The page offers the ring's memory; the worker answers `ffBatchRingReady` once it reads from it. */
export interface RingOffer {
  ffBatchRing: SharedArrayBuffer;
}
export const RING_READY = 'ffBatchRingReady';
/** The page wrote to the ring while the worker was idle. */
export const RING_WAKE = 'ffBatchRingWake';

/** What both sides need of an endpoint (a Worker, its scope, a MessagePort, a Node port adapter). */
export interface BatchEndpoint {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  start?(): void;
}

/** Bytes of the ring: batches of a few hundred bytes each, and a batch over half of it goes as a message. */
const RING_BYTES = 256 * 1024;

export type CallChannel = 'shared-memory' | 'messages';

/** Page side: send batches on `endpoint` and resolve each with its reply. */
export class BatchSender {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (outcome: BatchOutcome) => void; size: number }>();
  private ring: RingWriter | null = null;
  private readonly encoder = new TextEncoder();

  /** `sharedMemory`: offer the worker a ring (only where the page and the worker may share memory). */
  constructor(
    private readonly endpoint: BatchEndpoint,
    options: { sharedMemory?: boolean } = {},
  ) {
    let offered: SharedArrayBuffer | null = null;
    endpoint.addEventListener('message', (event) => {
      const reply = event.data as Partial<BatchReply> | null;
      if (typeof reply !== 'object' || reply === null) return;
      if (typeof reply.ffBatchReply !== 'number' || !Array.isArray(reply.values)) {
        if (offered && (reply as Record<string, unknown>)[RING_READY] === true) this.ring = new RingWriter(offered);
        return;
      }
      const waiting = this.pending.get(reply.ffBatchReply);
      if (!waiting) return;
      this.pending.delete(reply.ffBatchReply);
      waiting.resolve(reply.failed ? failEvery(waiting.size, reply.failed) : (reply as BatchReply));
    });
    endpoint.start?.();
    if (options.sharedMemory) {
      offered = createRingMemory(RING_BYTES);
      endpoint.postMessage({ ffBatchRing: offered } satisfies RingOffer);
    }
  }

  /** How batches travel now: shared memory once the worker took the ring, else messages. */
  get channel(): CallChannel {
    return this.ring ? 'shared-memory' : 'messages';
  }

  /** Never settles if the worker is gone: the caller races it with the connection's death. */
  send(calls: BatchCall[]): Promise<BatchOutcome> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, { resolve, size: calls.length });
      // An idle worker gets the batch as a message, which is how a lone call arrives soonest; a busy one finds it in the ring.
      if (this.ring?.readerBusy) {
        const text = plainJson(calls);
        const written = text === null ? false : this.ring.write(id, this.encoder.encode(text));
        if (written === 'wake') this.endpoint.postMessage({ [RING_WAKE]: true });
        if (written) return;
      }
      this.endpoint.postMessage({ ffBatch: id, calls } satisfies BatchRequest);
    });
  }

  /** The worker is gone: drop what waits (its callers were already rejected). */
  clear(): void {
    this.pending.clear();
  }
}

export function failEvery(size: number, error: SerializedError): BatchOutcome {
  const errors: Record<number, SerializedError> = {};
  for (let i = 0; i < size; i++) errors[i] = error;
  return { values: new Array<unknown>(size), errors };
}
