/**
 * The broker: a small SharedWorker, one per database name, that introduces
 * follower tabs to the leader tab (worker: 'leader'). The engine runs in a
 * dedicated Worker owned by the leader tab; another tab reaches it through a
 * MessagePort whose other end is served inside that worker. A MessagePort
 * cannot travel between tabs through BroadcastChannel (it is not
 * transferable there), but it can be transferred to a SharedWorker and on to
 * another tab, so the broker does exactly that and nothing else: it never
 * opens a database, and calls never pass through it.
 *
 * Protocol, one port per tab:
 *   leader → broker   { ff: 'lead', leaderId, workerLock }   this tab's worker (whose alive lock is workerLock) serves followers
 *   leader → broker   { ff: 'unlead', leaderId }              this tab stops leading (its client closed)
 *   tab    → broker   { ff: 'connect', requestId, port }      serve `port` in the leader's worker
 *   tab    → broker   { ff: 'cancel', requestId }             never mind (this tab became the leader itself)
 *   broker → leader   { ff: 'serve', requestId, workerLock, port }
 *   broker → tab      { ff: 'forwarded', requestId, leaderId, workerLock }
 *   broker → tab      { ff: 'hello', aliveLock }                 a lock the broker holds for its whole life
 *
 * A connect that arrives while no leader is registered waits in a queue.
 * The broker watches the registered worker's alive lock, so a registration
 * never outlives its worker; the follower watches the same lock between
 * `forwarded` and the worker's WORKER_READY on its port, and asks again if
 * it is released first (a port relayed to a worker that was dying).
 *
 * If the broker itself ends (it crashed: every tab holds a port to it, so it
 * does not end otherwise), its registration and queue go with it. Tabs learn
 * it from its alive lock being released (Chromium does not fire `close` on
 * the port then): the leader registers with the next broker, and a pending
 * connect is sent again.
 */

export type BrokerRequest =
  | { ff: 'lead'; leaderId: string; workerLock: string }
  | { ff: 'unlead'; leaderId: string }
  | { ff: 'connect'; requestId: string; port: MessagePort }
  | { ff: 'cancel'; requestId: string };

export type BrokerNotice =
  | { ff: 'serve'; requestId: string; workerLock: string; port: MessagePort }
  | { ff: 'forwarded'; requestId: string; leaderId: string; workerLock: string }
  | { ff: 'hello'; aliveLock: string };

/** What the broker and the tabs talk over: a SharedWorker's port, or a MessagePort in tests. */
export interface BrokerPort {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  start?(): void;
}

interface Leader {
  tab: BrokerPort;
  leaderId: string;
  workerLock: string;
  unwatch: () => void;
}

interface Waiting {
  tab: BrokerPort;
  port: MessagePort;
}

/** Watch a Web Lock: call `onGone` once its holder lets go; returns a cancel function (see whenReleased). */
export type LockWatch = (lockName: string, onGone: () => void) => () => void;

export class Broker {
  private leader: Leader | null = null;
  /** Connects waiting for a leader, in arrival order. */
  private readonly waiting = new Map<string, Waiting>();

  /** `aliveLock`: a Web Lock this broker holds until it ends, named to every tab (none without Web Locks). */
  constructor(
    private readonly watch: LockWatch,
    private readonly aliveLock: Promise<string | null> = Promise.resolve(null),
  ) {}

  /** A tab connected: listen to its requests, and name the lock it can watch to learn that this broker ended. */
  accept(tab: BrokerPort): void {
    tab.addEventListener('message', (event) => this.onMessage(tab, event.data));
    tab.start?.();
    void this.aliveLock.then((lock) => {
      if (lock) tab.postMessage({ ff: 'hello', aliveLock: lock } satisfies BrokerNotice, []);
    });
  }

  /** The registered leader, for tests and diagnostics. */
  get leaderId(): string | null {
    return this.leader?.leaderId ?? null;
  }

  get queued(): number {
    return this.waiting.size;
  }

  private onMessage(tab: BrokerPort, message: unknown): void {
    if (!isBrokerRequest(message)) return;
    switch (message.ff) {
      case 'lead':
        this.setLeader(tab, message.leaderId, message.workerLock);
        break;
      case 'unlead':
        if (this.leader?.leaderId === message.leaderId) this.clearLeader();
        break;
      case 'connect':
        this.waiting.set(message.requestId, { tab, port: message.port });
        this.forwardWaiting();
        break;
      case 'cancel': {
        const waiting = this.waiting.get(message.requestId);
        this.waiting.delete(message.requestId);
        waiting?.port.close();
        break;
      }
    }
  }

  private setLeader(tab: BrokerPort, leaderId: string, workerLock: string): void {
    this.clearLeader();
    const leader: Leader = { tab, leaderId, workerLock, unwatch: () => {} };
    this.leader = leader;
    // Its worker ended (crash, or the tab closed): stop relaying to it until a tab leads again.
    leader.unwatch = this.watch(workerLock, () => {
      if (this.leader === leader) this.leader = null;
    });
    this.forwardWaiting();
  }

  private clearLeader(): void {
    this.leader?.unwatch();
    this.leader = null;
  }

  private forwardWaiting(): void {
    const leader = this.leader;
    if (!leader) return;
    for (const [requestId, { tab, port }] of this.waiting) {
      this.waiting.delete(requestId);
      const serve: BrokerNotice = { ff: 'serve', requestId, workerLock: leader.workerLock, port };
      leader.tab.postMessage(serve, [port]);
      const forwarded: BrokerNotice = { ff: 'forwarded', requestId, leaderId: leader.leaderId, workerLock: leader.workerLock };
      tab.postMessage(forwarded, []);
    }
  }
}

function isBrokerRequest(value: unknown): value is BrokerRequest {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  switch (v['ff']) {
    case 'lead':
      return typeof v['leaderId'] === 'string' && typeof v['workerLock'] === 'string';
    case 'unlead':
      return typeof v['leaderId'] === 'string';
    case 'connect':
      return typeof v['requestId'] === 'string' && typeof v['port'] === 'object' && v['port'] !== null;
    case 'cancel':
      return typeof v['requestId'] === 'string';
    default:
      return false;
  }
}

export function isBrokerNotice(value: unknown): value is BrokerNotice {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  if (v['ff'] === 'hello') return typeof v['aliveLock'] === 'string';
  if (typeof v['requestId'] !== 'string' || typeof v['workerLock'] !== 'string') return false;
  return (v['ff'] === 'serve' && typeof v['port'] === 'object' && v['port'] !== null) || (v['ff'] === 'forwarded' && typeof v['leaderId'] === 'string');
}
