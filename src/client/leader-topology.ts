/**
 * worker: 'leader' — one engine per database name, in a dedicated Worker
 * owned by one tab, the leader. A dedicated Worker answers in a fraction of
 * a SharedWorker's round trip (same process as its tab), so the tab that
 * runs the engine pays the least; other tabs reach it through a MessagePort
 * whose far end is served inside that worker, so their calls go straight
 * to it, not through the leader tab's main thread.
 *
 * - The leader holds the Web Lock `ff-backend-browser-leader:<name>`; every
 *   other client waits in that lock's queue. When the leader's tab closes or
 *   crashes, the browser releases the lock and the next client in the queue
 *   becomes the leader and starts its own worker from IndexedDB.
 * - A follower creates a MessageChannel and sends one end to the broker
 *   SharedWorker, which relays it to the leader tab, which hands it to its
 *   worker (BackendConnection.servePort). The worker answers WORKER_READY on
 *   it, then the follower connects over it like over any transport.
 * - The worker's owner lock (BackendHost) still makes it the only writer:
 *   a new leader's worker waits for the previous one's to let go.
 *
 * `open()` returns one session (a connectBackend client) as leader or
 * follower; reconnecting-backend.ts calls it again whenever the session dies.
 */
import { EngineError } from '../api/errors.js';
import type { BrokerPort } from '../worker/broker.js';
import type { BackendConfigInput } from '../worker/protocol.js';
import { holdLock, whenReleased } from '../worker/web-locks.js';
import { isWorkerReady } from '../worker/worker-ready.js';
import type { WallTimer } from '../worker-runtime/worker-runtime-timer.js';
import { BrokerLink, type Forwarded } from './broker-link.js';
import { connectBackend, type BackendTransport, type ConnectOptions, type OpenedConnection } from './connect-backend.js';
import type { Session } from './reconnecting-backend.js';

export interface LeaderTopologyDeps {
  config: BackendConfigInput & { name: string };
  locks: LockManager;
  timer: WallTimer;
  /** Start this tab's engine worker; resolves once its script runs. */
  startEngine(timeoutMs: number): Promise<BackendTransport>;
  /** Connect to the database's broker; resolves with its port once it runs. */
  openBroker(timeoutMs: number): Promise<BrokerPort & { close?(): void }>;
  /** A new MessageChannel. */
  newChannel(): { port1: MessagePort; port2: MessagePort };
  lifecycle?: ConnectOptions['lifecycle'];
}

/** The Web Lock whose holder runs the engine of database `name`. */
export function leaderLockName(name: string): string {
  return `ff-backend-browser-leader:${name}`;
}

type Outcome = 'ready' | 'retry' | 'lead' | 'timeout';

export class LeaderTopology {
  /** Names this client in status().leaderId. */
  readonly clientId = randomId();
  private leading = false;
  private becameLeader!: Promise<void>;
  private releaseLead: (() => void) | undefined;
  private readonly abort = new AbortController();
  private broker: Promise<BrokerLink> | undefined;
  /** The leader's current worker connection: follower ports go to it, and only to it. */
  private serving: OpenedConnection | undefined;
  private disposed = false;

  private constructor(private readonly deps: LeaderTopologyDeps) {}

  /** Take the leader lock if it is free, else queue for it. */
  static async start(deps: LeaderTopologyDeps): Promise<LeaderTopology> {
    const topology = new LeaderTopology(deps);
    const release = await holdLock(deps.locks, leaderLockName(deps.config.name), 0);
    if (release) {
      topology.leading = true;
      topology.releaseLead = release;
      topology.becameLeader = Promise.resolve();
    } else {
      topology.queueForLead();
    }
    return topology;
  }

  /** One session: this tab's own worker if it leads, else a port to the leader's. Rejects with `unavailable` after `timeoutMs`. */
  async open(timeoutMs: number): Promise<Session> {
    const deadline = this.deps.timer.now() + timeoutMs;
    const remaining = (): number => Math.max(1, deadline - this.deps.timer.now());
    for (let retries = 0; ; retries++) {
      if (this.disposed) throw new EngineError('closed', 'this backend client was closed', { reason: 'closed' });
      if (this.leading) return this.openAsLeader(remaining());
      const session = await this.follow(remaining());
      if (session) return session;
      if (this.deps.timer.now() >= deadline) break;
      // A port relayed to a worker that was just ending comes back at once; asking again straight away is
      // right the first times, and after that the broker has caught up, so back off rather than spin.
      if (retries >= 2 && !this.leading) await this.sleep(Math.min(1_000, 25 * 2 ** (retries - 2)));
    }
    throw new EngineError('unavailable', `no tab's backend worker answered within ${timeoutMs} ms (worker: 'leader')`, { worker: 'leader', reason: 'no leader answered' });
  }

  /** Stop leading (or queueing to lead): the next client in the lock's queue takes over. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.serving = undefined;
    this.abort.abort();
    void this.broker?.then((link) => {
      if (this.leading) link.unlead(this.clientId);
      link.close();
    }, () => {});
    this.releaseLead?.();
  }

  private queueForLead(): void {
    this.becameLeader = new Promise((granted) => {
      this.deps.locks
        .request(leaderLockName(this.deps.config.name), { signal: this.abort.signal }, () => {
          this.leading = true;
          granted();
          // Held until dispose(), or until this tab ends.
          return new Promise<void>((release) => (this.releaseLead = release));
        })
        .catch(() => {}); // aborted by dispose()
    });
  }

  private async openAsLeader(timeoutMs: number): Promise<Session> {
    // One budget for both steps: the worker starting, then answering `open`.
    const deadline = this.deps.timer.now() + timeoutMs;
    const transport = await this.deps.startEngine(timeoutMs);
    let opened: OpenedConnection | undefined;
    const backend = await connectBackend(transport, this.deps.config, {
      connectTimeoutMs: Math.max(1, deadline - this.deps.timer.now()),
      timer: this.deps.timer,
      onOpen: (o) => (opened = o),
      ...(this.deps.lifecycle ? { lifecycle: this.deps.lifecycle } : {}),
    });
    const workerLock = opened?.hello.aliveLock ?? null;
    this.serving = opened;
    void backend.closed.then(() => {
      if (this.serving === opened) this.serving = undefined;
    });
    if (workerLock && opened) await this.register(opened, workerLock, timeoutMs);
    return { backend, workerId: workerLock, role: 'leader', leaderId: this.clientId };
  }

  /** Tell the broker this tab's worker serves followers; again with a new broker if this one goes away. */
  private async register(serving: OpenedConnection, workerLock: string, timeoutMs: number): Promise<void> {
    let link: BrokerLink;
    try {
      link = await this.brokerLink(timeoutMs);
    } catch (err) {
      // Without the broker this tab still works; other tabs then cannot reach it, and say so when they time out.
      console.warn('[ff-backend-browser] other tabs cannot reach this one: the broker did not start', err);
      return;
    }
    link.lead(this.clientId, workerLock, (port, lock) => {
      if (lock === workerLock && this.serving === serving) serving.servePort(port).catch(() => {});
      else port.close();
    });
    void link.lost.then(() => {
      if (!this.disposed && this.serving === serving) void this.register(serving, workerLock, timeoutMs);
    });
  }

  /** One attempt to reach the leader's worker; null to try again (or to lead instead). */
  private async follow(timeoutMs: number): Promise<Session | null> {
    const link = await this.brokerLink(timeoutMs);
    const { port1, port2 } = this.deps.newChannel();
    const requestId = randomId();
    let where: Forwarded | undefined;
    const cleanups: (() => void)[] = [];
    const outcome = await new Promise<Outcome>((resolve) => {
      const onMessage = (event: MessageEvent): void => {
        if (isWorkerReady(event.data)) resolve('ready');
      };
      port2.addEventListener('message', onMessage);
      // Chromium fires `close` when the other end is closed: the leader tab dropped it.
      const onClose = (): void => resolve('retry');
      port2.addEventListener('close', onClose);
      cleanups.push(() => {
        port2.removeEventListener('message', onMessage);
        port2.removeEventListener('close', onClose);
      });
      port2.start();
      const timer = this.deps.timer.setTimeout(() => resolve('timeout'), timeoutMs);
      cleanups.push(() => this.deps.timer.clearTimeout(timer));
      void this.becameLeader.then(() => resolve('lead'));
      // The broker went away with this request: ask the next one.
      void link.lost.then(() => resolve('retry'));
      link.connect(requestId, port1, (forwarded) => {
        where = forwarded;
        // Relayed to a worker that ends before it answers: ask again.
        cleanups.push(whenReleased(this.deps.locks, forwarded.workerLock, () => resolve('retry')));
      });
    });
    cleanups.forEach((cleanup) => cleanup());
    if (outcome !== 'ready' || !where) {
      link.cancel(requestId);
      port2.close();
      if (outcome === 'timeout') throw new EngineError('unavailable', `no tab's backend worker answered within ${timeoutMs} ms (worker: 'leader')`, { worker: 'leader', reason: 'no leader answered' });
      return null;
    }
    const leader = where;
    let opened: OpenedConnection | undefined;
    try {
      const backend = await connectBackend(portTransport(port2), this.deps.config, {
        connectTimeoutMs: timeoutMs,
        timer: this.deps.timer,
        onOpen: (o) => (opened = o),
        ...(this.deps.lifecycle ? { lifecycle: this.deps.lifecycle } : {}),
      });
      return { backend, workerId: opened?.hello.aliveLock ?? leader.workerLock, role: 'follower', leaderId: leader.leaderId };
    } catch (err) {
      // The worker ended between answering and `open`: ask again. A refusal of its own (another clock, say) is final.
      if (isTransportLoss(err)) return null;
      throw err;
    }
  }

  private brokerLink(timeoutMs: number): Promise<BrokerLink> {
    if (!this.broker) {
      const link = this.deps.openBroker(timeoutMs).then((port) => new BrokerLink(port, (lock, onGone) => whenReleased(this.deps.locks, lock, onGone)));
      this.broker = link;
      // A broker that failed to start, or went away, is asked for again next time.
      const forget = (): void => {
        if (this.broker === link) this.broker = undefined;
      };
      link.then((l) => l.lost.then(forget), forget);
    }
    return this.broker;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.deps.timer.setTimeout(resolve, ms));
  }
}

/** A follower's port to the leader's worker, as a transport. */
function portTransport(port: MessagePort): BackendTransport {
  const listeners: ((why: string) => void)[] = [];
  const die = (why: string): void => listeners.forEach((l) => l(why));
  port.addEventListener('close', () => die("the port to the leader tab's worker closed"));
  port.addEventListener('messageerror', () => die('a message from the worker could not be read'));
  return {
    endpoint: port,
    onDead: (listener) => void listeners.push(listener),
    close: () => port.close(),
  };
}

/** connectBackend's own errors when the other side vanished (their details hold only the reason), not the worker's refusals. */
function isTransportLoss(err: unknown): boolean {
  if (!(err instanceof EngineError)) return false;
  return err.code === 'closed' || (err.code === 'unavailable' && Object.keys(err.details).join() === 'reason');
}

function randomId(): string {
  return globalThis.crypto.randomUUID();
}
