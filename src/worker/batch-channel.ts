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
 */
import type { BackendConnection } from './backend-connection.js';
import type { BatchCall, BatchOutcome } from './protocol.js';
import { serializeError, type SerializedError } from './wire.js';

interface BatchRequest {
  ffBatch: number;
  calls: BatchCall[];
}

/** The outcome with its batch's id: few objects to clone, which shows in how many calls a busy worker answers. */
interface BatchReply extends BatchOutcome {
  ffBatchReply: number;
}

/** What both sides need of an endpoint (a Worker, its scope, a MessagePort, a Node port adapter). */
export interface BatchEndpoint {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  start?(): void;
}

/** Worker side: answer batch messages on `endpoint` with `connection`. */
export function serveBatches(connection: BackendConnection, endpoint: BatchEndpoint): void {
  endpoint.addEventListener('message', (event) => {
    const request = event.data as Partial<BatchRequest> | null;
    if (typeof request !== 'object' || request === null || typeof request.ffBatch !== 'number' || !Array.isArray(request.calls)) return;
    const id = request.ffBatch;
    const calls = request.calls;
    const reply = ({ values, errors }: BatchOutcome): void => endpoint.postMessage(errors ? { ffBatchReply: id, values, errors } : { ffBatchReply: id, values });
    // The connection refusing the whole batch (closed, not open yet): each call fails with that error.
    const refuse = (err: unknown): void => {
      const error = serializeError(err);
      const errors: Record<number, SerializedError> = {};
      for (let i = 0; i < calls.length; i++) errors[i] = error;
      reply({ values: new Array<unknown>(calls.length), errors });
    };
    try {
      const outcome = connection.invokeBatch(calls);
      if (outcome instanceof Promise) outcome.then(reply, refuse);
      else reply(outcome);
    } catch (err) {
      refuse(err);
    }
  });
}

/** Page side: send batches on `endpoint` and resolve each with its reply. */
export class BatchSender {
  private nextId = 1;
  private readonly pending = new Map<number, (outcome: BatchOutcome) => void>();

  constructor(private readonly endpoint: BatchEndpoint) {
    endpoint.addEventListener('message', (event) => {
      const reply = event.data as Partial<BatchReply> | null;
      if (typeof reply !== 'object' || reply === null || typeof reply.ffBatchReply !== 'number' || !Array.isArray(reply.values)) return;
      const resolve = this.pending.get(reply.ffBatchReply);
      this.pending.delete(reply.ffBatchReply);
      resolve?.(reply as BatchReply);
    });
    endpoint.start?.();
  }

  /** Never settles if the worker is gone: the caller races it with the connection's death. */
  send(calls: BatchCall[]): Promise<BatchOutcome> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.endpoint.postMessage({ ffBatch: id, calls } satisfies BatchRequest);
    });
  }

  /** The worker is gone: drop what waits (its callers were already rejected). */
  clear(): void {
    this.pending.clear();
  }
}
