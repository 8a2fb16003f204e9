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
import type { BatchCall, BatchResult } from './protocol.js';
import { serializeError, type SerializedError } from './wire.js';

interface BatchRequest {
  ffBatch: number;
  calls: BatchCall[];
}

/**
 * The results of a batch, compact: each call's value in order, and the
 * errors by index (usually none). Fewer objects to clone than one
 * `{ ok, value }` per call, which shows in how many calls a busy worker answers.
 */
interface BatchReply {
  ffBatchReply: number;
  values: unknown[];
  errors?: Record<number, SerializedError>;
}

function compact(id: number, results: BatchResult[]): BatchReply {
  let errors: Record<number, SerializedError> | undefined;
  // No holes: a failed call's slot is undefined (map() would skip a hole on the other side).
  const values = results.map((result, i) => {
    if (result.ok) return result.value;
    (errors ??= {})[i] = result.error;
    return undefined;
  });
  return errors ? { ffBatchReply: id, values, errors } : { ffBatchReply: id, values };
}

function expand(reply: BatchReply): BatchResult[] {
  const errors = reply.errors;
  return reply.values.map((value, i): BatchResult => {
    const error = errors?.[i];
    return error ? { ok: false, error } : { ok: true, value };
  });
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
    const reply = (results: BatchResult[]): void => endpoint.postMessage(compact(id, results));
    // The connection refusing the whole batch (closed, not open yet): each call fails with that error.
    const refuse = (err: unknown): void => reply(calls.map((): BatchResult => ({ ok: false, error: serializeError(err) })));
    try {
      const results = connection.invokeBatch(calls);
      if (results instanceof Promise) results.then(reply, refuse);
      else reply(results);
    } catch (err) {
      refuse(err);
    }
  });
}

/** Page side: send batches on `endpoint` and resolve each with its reply. */
export class BatchSender {
  private nextId = 1;
  private readonly pending = new Map<number, (results: BatchResult[]) => void>();

  constructor(private readonly endpoint: BatchEndpoint) {
    endpoint.addEventListener('message', (event) => {
      const reply = event.data as Partial<BatchReply> | null;
      if (typeof reply !== 'object' || reply === null || typeof reply.ffBatchReply !== 'number' || !Array.isArray(reply.values)) return;
      const resolve = this.pending.get(reply.ffBatchReply);
      this.pending.delete(reply.ffBatchReply);
      resolve?.(expand(reply as BatchReply));
    });
    endpoint.start?.();
  }

  /** Never settles if the worker is gone: the caller races it with the connection's death. */
  send(calls: BatchCall[]): Promise<BatchResult[]> {
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
