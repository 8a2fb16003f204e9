/**
 * A tab's side of the broker protocol (src/worker/broker.ts): the leader
 * registers its worker and receives follower ports to hand to it; a
 * follower sends a port and learns which worker it was relayed to.
 */
import { isBrokerNotice, type BrokerPort, type BrokerRequest, type LockWatch } from '../worker/broker.js';

/** Where the broker relayed a follower's port: the leader and its worker's alive lock. */
export interface Forwarded {
  leaderId: string;
  workerLock: string;
}

export class BrokerLink {
  private readonly forwarded = new Map<string, (where: Forwarded) => void>();
  private serve: ((port: MessagePort, workerLock: string) => void) | null = null;
  private markLost!: () => void;
  private unwatch: () => void = () => {};
  /**
   * Resolves if the broker goes away (its alive lock is released, or its port
   * closes): its registrations and queued connects went with it.
   */
  readonly lost = new Promise<void>((resolve) => (this.markLost = resolve));

  constructor(
    private readonly port: BrokerPort & { close?(): void },
    private readonly watch: LockWatch,
  ) {
    port.addEventListener('message', (event) => this.onMessage(event.data));
    (port as unknown as EventTarget).addEventListener('close', () => this.markLost());
    port.start?.();
  }

  /** This tab leads: its worker (alive lock `workerLock`) serves followers through `serve`. */
  lead(leaderId: string, workerLock: string, serve: (port: MessagePort, workerLock: string) => void): void {
    this.serve = serve;
    this.post({ ff: 'lead', leaderId, workerLock });
  }

  unlead(leaderId: string): void {
    this.serve = null;
    this.post({ ff: 'unlead', leaderId });
  }

  /** Ask for `port` to be served by the leader's worker; `onForwarded` says where it went (it may wait for a leader). */
  connect(requestId: string, port: MessagePort, onForwarded: (where: Forwarded) => void): void {
    this.forwarded.set(requestId, onForwarded);
    this.post({ ff: 'connect', requestId, port }, [port]);
  }

  /** Withdraw a connect (this tab became the leader, or gave up on it). */
  cancel(requestId: string): void {
    this.forwarded.delete(requestId);
    this.post({ ff: 'cancel', requestId });
  }

  close(): void {
    this.serve = null;
    this.forwarded.clear();
    this.unwatch();
    this.port.close?.();
  }

  private post(message: BrokerRequest, transfer: Transferable[] = []): void {
    this.port.postMessage(message, transfer);
  }

  private onMessage(message: unknown): void {
    if (!isBrokerNotice(message)) return;
    if (message.ff === 'hello') {
      this.unwatch();
      this.unwatch = this.watch(message.aliveLock, () => this.markLost());
      return;
    }
    if (message.ff === 'forwarded') {
      const onForwarded = this.forwarded.get(message.requestId);
      this.forwarded.delete(message.requestId);
      onForwarded?.({ leaderId: message.leaderId, workerLock: message.workerLock });
      return;
    }
    // A port for a worker this tab no longer runs (or no longer leads with) is dropped: its follower
    // sees that worker's alive lock released, or its port closed, and asks again.
    if (this.serve) this.serve(message.port, message.workerLock);
    else message.port.close();
  }
}
