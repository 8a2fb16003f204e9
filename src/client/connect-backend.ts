/**
 * The page side of the boundary, over any transport (a SharedWorker port, a
 * Worker, a MessageChannel, a Node worker thread).
 *
 * comlink waits forever for an answer from a dead port, so every call is
 * tracked (pending-calls.ts): when the transport reports the other side gone (worker
 * error or exit, port closed, the worker's alive lock released) or the
 * client is closed, pending calls reject at once with EngineError('closed'),
 * and so does every later call. A worker that is gone, or fails, before it
 * answers `open` never started: the connect rejects with
 * EngineError('unavailable') and the worker's own message.
 */
import * as Comlink from 'comlink';
import { EngineError } from '../api/errors.js';
import type { BackendConnection } from '../worker/backend-connection.js';
import { BatchSender, type BatchEndpoint } from '../worker/batch-channel.js';
import type { BackendConfigInput, BackendEvent, EventSink, Hello } from '../worker/protocol.js';
import { REMOTE_ENGINE_METHODS, WAITING_ENGINE_METHODS } from '../worker/remote-methods.js';
import { holdLock, lockManager, whenReleased } from '../worker/web-locks.js';
import { installWireHandlers } from '../worker/wire.js';
import { realTimer, type Timer } from '../worker-runtime/worker-runtime-timer.js';
import type { BrowserBackend, Subscription } from './browser-backend.js';
import { CallBatcher } from './call-batcher.js';
import { PendingCalls } from './pending-calls.js';

/**
 * A message channel to the backend: a Worker, a MessagePort, or a Node
 * worker thread's port. Declared here rather than as comlink's Endpoint so
 * the published types never pull in DOM declarations a Node project lacks.
 */
export interface MessageEndpoint {
  // Only passed on to comlink, never called here: the parameter types stay as
  // open as the platforms' own (DOM, Node) differ.
  postMessage(message: unknown, transfer?: never): void;
  addEventListener(type: string, listener: never, options?: never): void;
  removeEventListener(type: string, listener: never, options?: never): void;
}

export interface BackendTransport {
  readonly endpoint: MessageEndpoint;
  /** Register the listener for "the other side is gone"; `why` names the cause. */
  onDead(listener: (why: string) => void): void;
  /** Close the channel (terminate a dedicated worker, close a port). */
  close(): void;
  /** The page may share memory with the worker (a cross-origin-isolated page and its own dedicated worker): batches of calls may travel through it. */
  readonly sharedMemory?: boolean;
}

export interface ConnectOptions {
  /** @default 15000 */
  connectTimeoutMs?: number;
  /** Forward page lifecycle events (pagehide, hidden) so the worker saves; returns a dispose function. */
  lifecycle?: (onHide: () => void) => () => void;
  /** What the connect timeout waits on; tests pass a ManualTimer. @default the platform's timers */
  timer?: Timer;
  /** Called once the worker answered `open`, with what worker: 'leader' needs (see OpenedConnection). */
  onOpen?: (opened: OpenedConnection) => void;
}

export interface OpenedConnection {
  /** The worker's answer to `open`; its alive lock names this worker instance. */
  hello: Hello;
  /**
   * Serve a follower tab's MessagePort in this worker (the leader tab relays
   * it from the broker); rejects once the worker is gone. Typed `object` so
   * the published types need no DOM declarations.
   */
  servePort(port: object): Promise<void>;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 15_000;

export async function connectBackend(transport: BackendTransport, config: BackendConfigInput, options: ConnectOptions = {}): Promise<BrowserBackend> {
  installWireHandlers();
  const remote = Comlink.wrap<BackendConnection>(transport.endpoint as unknown as Comlink.Endpoint);
  const cleanups: (() => void)[] = [];
  const pending = new PendingCalls();
  let deadReason: EngineError | undefined;
  let markDead!: (reason: EngineError) => void;
  const closed = new Promise<EngineError>((resolve) => {
    markDead = (reason) => {
      if (deadReason) return;
      deadReason = reason;
      pending.fail(reason);
      resolve(reason);
      for (const cleanup of cleanups.splice(0)) cleanup();
      transport.close();
    };
  });
  // Gone before it answered `open`: it never started, and `why` (a worker's own error) is the message the caller needs.
  let opened = false;
  transport.onDead((why) =>
    markDead(
      opened
        ? new EngineError('closed', `the backend worker is gone (${why}); pending and later calls fail`, { reason: why })
        : new EngineError('unavailable', `the backend worker failed to start: ${why}`, { reason: why }),
    ),
  );

  /** Every remote call goes through here: it rejects with the death reason instead of hanging. */
  const call = <T>(promise: Promise<T>): Promise<T> => pending.track(promise);

  // The page holds a lock while connected, so the worker can tell when this tab vanishes without close().
  const locks = lockManager();
  let clientLock: string | null = null;
  if (locks) {
    const name = `ff-backend-browser-client:${crypto.randomUUID()}`;
    const release = await holdLock(locks, name, 0);
    if (release) {
      clientLock = name;
      cleanups.push(release);
    }
  }

  const timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const timers = options.timer ?? realTimer;
  const timer = timers.setTimeout(() => markDead(new EngineError('closed', `the backend worker did not answer within ${timeoutMs} ms`, { reason: 'connect timeout' })), timeoutMs);
  let hello;
  try {
    hello = await call(remote.open(config, { aliveLock: clientLock }));
  } catch (err) {
    const reason = err instanceof EngineError ? err : new EngineError('unavailable', `the backend worker failed to start: ${err instanceof Error ? err.message : String(err)}`, {});
    markDead(reason);
    throw reason;
  } finally {
    timers.clearTimeout(timer);
  }
  opened = true;
  options.onOpen?.({ hello, servePort: (port) => call(remote.servePort(Comlink.transfer(port as MessagePort, [port as MessagePort]))) });
  if (locks && hello.aliveLock) cleanups.push(whenReleased(locks, hello.aliveLock, () => markDead(new EngineError('closed', 'the backend worker is gone (it ended); pending and later calls fail', { reason: 'worker ended' }))));
  if (options.lifecycle) cleanups.push(options.lifecycle(() => void remote.pageHidden().catch(() => {})));

  const subscriptions = new Set<() => void>();
  cleanups.push(() => subscriptions.forEach((stop) => stop()));

  const backend = {
    status: async () => ({ ...(await call(remote.status())), callChannel: batches.channel }),
    flush: () => call(remote.flush()),
    exportSnapshot: () => call(remote.exportSnapshot()),
    importSnapshot: (snapshot) => call(remote.importSnapshot(snapshot)),
    reset: () => call(remote.reset()),
    measureInWorker: (input) => call(remote.measureInWorker(input)),
    closed,
    async subscribe(subscribeOptions, callback): Promise<Subscription> {
      let active = true;
      const stop = (): void => {
        active = false;
        subscriptions.delete(stop);
      };
      const sink: EventSink = Comlink.proxy({
        deliver(events: BackendEvent[]) {
          for (const event of events) {
            if (!active) return;
            try {
              callback(event);
            } catch (err) {
              // A throwing callback must not stop delivery; surface it like any uncaught error.
              reportError(err);
            }
          }
        },
      });
      subscriptions.add(stop);
      const info = await call(remote.subscribe(subscribeOptions ?? {}, sink)).catch((err: unknown) => {
        stop();
        throw err;
      });
      return {
        id: info.id,
        scannerEventsLost: info.scannerEventsLost,
        async unsubscribe() {
          if (!active) return;
          stop();
          if (!deadReason) await call(remote.unsubscribe(info.id));
        },
      };
    },
    async close(): Promise<void> {
      if (deadReason) return;
      let flushError: unknown;
      try {
        await call(remote.flush());
      } catch (err) {
        flushError = err;
      }
      await call(remote.disconnect()).catch(() => {});
      markDead(new EngineError('closed', 'this backend client was closed', { reason: 'closed' }));
      if (flushError && !(flushError instanceof EngineError && flushError.code === 'closed')) throw flushError;
    },
  } satisfies Omit<BrowserBackend, (typeof REMOTE_ENGINE_METHODS)[number]> as Record<string, unknown>;
  // Engine calls bypass comlink (see batch-channel.ts); a batch pending when the worker goes rejects through `call`.
  const batches = new BatchSender(transport.endpoint as unknown as BatchEndpoint, { sharedMemory: transport.sharedMemory === true });
  cleanups.push(() => batches.clear());
  const batcher = new CallBatcher((calls) => call(batches.send(calls)), WAITING_ENGINE_METHODS);
  for (const method of REMOTE_ENGINE_METHODS) backend[method] = (...args: unknown[]) => batcher.call(method, args);
  return backend as unknown as BrowserBackend;
}

function reportError(err: unknown): void {
  const report = (globalThis as { reportError?: (e: unknown) => void }).reportError;
  if (report) report(err);
  else console.error('[ff-backend-browser] a subscription callback threw:', err);
}
