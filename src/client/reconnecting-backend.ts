/**
 * The client of worker: 'leader': one BrowserBackend object over a series
 * of sessions (connectBackend clients), because the engine moves to another
 * tab's worker when the leader tab goes, and the client must keep working.
 *
 * - A call is made on the current session. If that session dies while the
 *   call is pending, the call rejects with the session's EngineError
 *   ('closed'); it is never retried, since it may have run.
 * - When the session dies (and the client was not closed), a new one is
 *   opened at once (as leader or follower, whichever this tab now is), and
 *   again with a growing pause after a failure, until close().
 * - A call made while there is no session waits for the next one, for at
 *   most `connectTimeoutMs`, then rejects with EngineError('unavailable').
 * - Subscriptions resume on each new session from the last cursor they
 *   delivered (resumable-subscription.ts).
 * - `closed` resolves only once close() is called: a handoff is not the end.
 */
import { EngineError } from '../api/errors.js';
import type { SubscribeOptions } from '../worker/protocol.js';
import { REMOTE_ENGINE_METHODS } from '../worker/remote-methods.js';
import type { Timer, TimerId } from '../worker-runtime/worker-runtime-timer.js';
import type { BrowserBackend, BrowserBackendStatus, Subscription } from './browser-backend.js';
import { ResumableSubscription } from './resumable-subscription.js';

export interface Session {
  /** One connection to one worker; dead for good once its `closed` resolves. */
  backend: BrowserBackend;
  /** The engine's identity (its worker's alive lock): a different value means a different engine instance. */
  workerId: string | null;
  role: 'leader' | 'follower';
  /** The client whose tab runs the engine. */
  leaderId: string;
}

export interface ReconnectingOptions {
  /** Open a session; rejects (EngineError) when none could be opened within `timeoutMs`. */
  open(timeoutMs: number): Promise<Session>;
  /** After close(): stop leading or queueing, let go of the broker. */
  dispose(): void;
  connectTimeoutMs: number;
  timer: Timer;
}

/** Pauses between failed reconnects: doubling from the first, capped at the last. */
const RETRY_MS = { first: 100, max: 5_000 };

interface Waiter {
  resolve(session: Session): void;
  reject(error: EngineError): void;
  timer: TimerId;
}

export async function reconnectingBackend(options: ReconnectingOptions): Promise<BrowserBackend> {
  let first: Session;
  try {
    first = await options.open(options.connectTimeoutMs);
  } catch (err) {
    options.dispose();
    throw err;
  }
  return new Reconnecting(options, first).client();
}

class Reconnecting {
  private current: Session | undefined;
  private lastWorkerId: string | null;
  private reconnects = 0;
  private closing = false;
  private readonly waiters = new Set<Waiter>();
  private readonly subscriptions = new Set<ResumableSubscription>();
  private resolveClosed!: (reason: EngineError) => void;
  private readonly closed = new Promise<EngineError>((resolve) => (this.resolveClosed = resolve));

  constructor(
    private readonly options: ReconnectingOptions,
    first: Session,
  ) {
    this.lastWorkerId = first.workerId;
    this.adopt(first);
  }

  client(): BrowserBackend {
    const backend = {
      status: () => this.route(async (s): Promise<BrowserBackendStatus> => ({ ...(await s.backend.status()), role: s.role, leaderId: s.leaderId, reconnects: this.reconnects })),
      flush: () => this.route((s) => s.backend.flush()),
      exportSnapshot: () => this.route((s) => s.backend.exportSnapshot()),
      importSnapshot: (snapshot) => this.route((s) => s.backend.importSnapshot(snapshot)),
      reset: () => this.route((s) => s.backend.reset()),
      measureInWorker: (input) => this.route((s) => s.backend.measureInWorker(input)),
      subscribe: (subscribeOptions, callback) => this.subscribe(subscribeOptions ?? {}, callback),
      close: () => this.close(),
      closed: this.closed,
    } satisfies Omit<BrowserBackend, (typeof REMOTE_ENGINE_METHODS)[number]> as Record<string, unknown>;
    for (const method of REMOTE_ENGINE_METHODS) {
      backend[method] = (...args: unknown[]) => this.route((s) => (s.backend[method] as (...a: unknown[]) => Promise<unknown>)(...args));
    }
    return backend as unknown as BrowserBackend;
  }

  /** Run `call` on the current session, or on the next one once it is there. */
  private route<T>(call: (session: Session) => Promise<T>): Promise<T> {
    // The common case stays synchronous, so calls of one tick still share one message (CallBatcher).
    if (this.current) return call(this.current);
    return this.nextSession().then(call);
  }

  private nextSession(): Promise<Session> {
    if (this.closing) return this.closed.then((reason) => Promise.reject(reason));
    return new Promise((resolve, reject) => {
      const ms = this.options.connectTimeoutMs;
      const waiter: Waiter = {
        resolve,
        reject,
        timer: this.options.timer.setTimeout(() => {
          this.waiters.delete(waiter);
          reject(new EngineError('unavailable', `the backend is moving to another tab's worker and none answered within ${ms} ms`, { reason: 'reconnecting' }));
        }, ms),
      };
      this.waiters.add(waiter);
    });
  }

  private adopt(session: Session): void {
    this.current = session;
    for (const waiter of this.waiters) {
      this.options.timer.clearTimeout(waiter.timer);
      waiter.resolve(session);
    }
    this.waiters.clear();
    void session.backend.closed.then(() => {
      if (this.current !== session) return;
      this.current = undefined;
      if (!this.closing) void this.reconnect();
    });
  }

  private async reconnect(): Promise<void> {
    for (let failures = 0; !this.closing; failures++) {
      let session: Session;
      try {
        session = await this.options.open(this.options.connectTimeoutMs);
      } catch {
        // Nobody could start the engine yet (or the new leader is still starting): try again after a pause.
        await new Promise<void>((resolve) => this.options.timer.setTimeout(resolve, Math.min(RETRY_MS.max, RETRY_MS.first * 2 ** failures)));
        continue;
      }
      if (this.closing) {
        void session.backend.close().catch(() => {});
        return;
      }
      const newWorker = session.workerId === null || session.workerId !== this.lastWorkerId;
      this.lastWorkerId = session.workerId;
      this.reconnects++;
      this.adopt(session);
      for (const sub of this.subscriptions) {
        // A subscription that cannot resume (its cursor expired, say) is reported; a session that died meanwhile retries them all.
        sub.resume(session.backend, newWorker).catch((err: unknown) => {
          if (this.current === session) reportError(err);
        });
      }
      return;
    }
  }

  private async subscribe(options: SubscribeOptions, callback: Parameters<BrowserBackend['subscribe']>[1]): Promise<Subscription> {
    const sub = new ResumableSubscription(options, callback);
    // Known before it starts, so a handoff during the start resumes it too.
    this.subscriptions.add(sub);
    let info: Subscription;
    try {
      info = await this.route((s) => sub.start(s.backend));
    } catch (err) {
      this.subscriptions.delete(sub);
      await sub.unsubscribe();
      throw err;
    }
    return {
      id: info.id,
      scannerEventsLost: info.scannerEventsLost,
      unsubscribe: async () => {
        this.subscriptions.delete(sub);
        await sub.unsubscribe();
      },
    };
  }

  private async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    const reason = new EngineError('closed', 'this backend client was closed', { reason: 'closed' });
    const session = this.current;
    this.current = undefined;
    for (const waiter of this.waiters) {
      this.options.timer.clearTimeout(waiter.timer);
      waiter.reject(reason);
    }
    this.waiters.clear();
    this.subscriptions.clear();
    try {
      // Flush, then disconnect; for the leader this also ends its worker, and the next tab takes over.
      await session?.backend.close();
    } finally {
      this.options.dispose();
      this.resolveClosed(reason);
    }
  }
}

function reportError(err: unknown): void {
  const report = (globalThis as { reportError?: (e: unknown) => void }).reportError;
  if (report) report(err);
  else console.error('[ff-backend-browser] a subscription could not resume:', err);
}
