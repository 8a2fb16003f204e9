/**
 * worker: 'leader' in Node: a fake origin with Web Locks (fake-locks.ts),
 * one broker, and one store standing in for IndexedDB; tabs whose "workers"
 * are BackendHosts in this realm behind MessageChannels. Closing a tab or
 * terminating a worker does what the browser does: its ports close, its
 * locks are released, and a save it had not finished never lands.
 */
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import type { Endpoint } from 'comlink';
import type { BrowserBackend } from '../../src/client/browser-backend.js';
import type { BackendTransport } from '../../src/client/connect-backend.js';
import { LeaderTopology } from '../../src/client/leader-topology.js';
import { reconnectingBackend } from '../../src/client/reconnecting-backend.js';
import { MemoryPersistence } from '../../src/persistence/memory-persistence.js';
import type { PersistedMeta, Persistence, SavedImage, SaveReport } from '../../src/persistence/persistence.js';
import { BackendHost } from '../../src/worker/backend-host.js';
import { Broker, type BrokerPort } from '../../src/worker/broker.js';
import type { BackendConfigInput } from '../../src/worker/protocol.js';
import { holdLock, whenReleased } from '../../src/worker/web-locks.js';
import { ManualTimer } from '../../src/worker-runtime/manual-timer.js';
import { BASE_CONFIG } from './boundary-helpers.js';
import { FakeLocks } from './fake-locks.js';
import { openDriver } from './helpers.js';

/** The origin's IndexedDB: one image; `hold()` keeps saves from completing until `release()`. */
export class OriginStore {
  private readonly memory = new MemoryPersistence();
  private gate: Promise<void> | null = null;
  private open: (() => void) | null = null;

  get saves(): number {
    return this.memory.saves;
  }

  load(): Promise<SavedImage | null> {
    return this.memory.load();
  }

  async save(image: Uint8Array, meta: PersistedMeta, alive: () => boolean): Promise<SaveReport> {
    await this.gate;
    // A worker that ended while its write was in flight: the write never lands, and nobody hears back.
    if (!alive()) return new Promise(() => {});
    return this.memory.save(image, meta);
  }

  hold(): void {
    this.gate ??= new Promise((resolve) => (this.open = resolve));
  }

  release(): void {
    this.open?.();
    this.gate = null;
  }
}

/** A worker's view of the store; kind 'memory' as far as the store goes, while the config says 'indexeddb'. */
class WorkerStore implements Persistence {
  readonly kind = 'memory' as const;
  constructor(
    private readonly store: OriginStore,
    private readonly alive: () => boolean,
  ) {}
  load(): Promise<SavedImage | null> {
    return this.store.load();
  }
  save(image: Uint8Array, meta: PersistedMeta): Promise<SaveReport> {
    return this.store.save(image, meta, this.alive);
  }
  close(): void {}
}

/** A "dedicated worker": a host in this realm whose every port can be closed at once. */
export class FakeWorker {
  readonly ports: MessagePort[] = [];
  alive = true;
  readonly host: BackendHost;

  constructor(
    readonly context: string,
    private readonly origin: FakeOrigin,
  ) {
    const ports = this.ports;
    this.host = new (class extends BackendHost {
      override serve(endpoint: Endpoint, options?: { savedOnly?: boolean }) {
        ports.push(endpoint as unknown as MessagePort);
        return super.serve(endpoint, options);
      }
    })({
      kind: 'worker',
      locks: origin.locks.manager(context),
      ownerLockWaitMs: 5_000,
      deps: async () => ({ persistence: new WorkerStore(origin.store, () => this.alive), openDriver, banner: false, timer: origin.timer }),
    });
  }

  /** Terminated: its ports close, its locks go, its unfinished saves never land. */
  kill(): void {
    if (!this.alive) return;
    this.alive = false;
    for (const port of this.ports) port.close();
    this.origin.locks.kill(this.context);
  }
}

export class FakeTab {
  readonly workers: FakeWorker[] = [];
  readonly brokerPorts: MessagePort[] = [];
  client!: BrowserBackend;
  /** While set, starting a worker waits for it (a worker slow to start). */
  startGate: Promise<void> | null = null;

  constructor(
    readonly context: string,
    private readonly origin: FakeOrigin,
  ) {}

  get worker(): FakeWorker | undefined {
    return this.workers.find((w) => w.alive);
  }

  async startWorker(): Promise<BackendTransport> {
    await this.startGate;
    const worker = new FakeWorker(`${this.context}/worker-${this.workers.length + 1}`, this.origin);
    this.workers.push(worker);
    const { port1, port2 } = new MessageChannel();
    // As the worker entry serves the leader tab's own endpoint.
    worker.host.serve(port1 as unknown as Endpoint, { saveWhenShared: true });
    return {
      endpoint: port2 as unknown as Endpoint,
      onDead: (listener) => void port2.on('close', () => listener('port closed')),
      close: () => worker.kill(),
    };
  }

  /** The tab closes or crashes: its workers end, its locks are released, its broker port closes. */
  close(): void {
    this.workers.forEach((w) => w.kill());
    this.origin.locks.kill(this.context);
    this.brokerPorts.forEach((p) => p.close());
  }
}

export class FakeOrigin {
  readonly locks = new FakeLocks();
  readonly timer = new ManualTimer();
  readonly store = new OriginStore();
  private brokers = 0;
  broker = this.newBroker();
  /** The broker's ends of the tabs' ports. */
  private brokerSide: MessagePort[] = [];
  private tabs = 0;

  /**
   * The broker SharedWorker crashes: its alive lock is released, and with
   * `closePorts` the tabs' ports to it also close (Chromium does not fire
   * that `close`); the next connect starts a new one.
   */
  crashBroker(closePorts = false): void {
    this.locks.kill(`broker-${this.brokers}`);
    const ports = this.brokerSide.splice(0);
    if (closePorts) ports.forEach((port) => port.close());
    this.broker = this.newBroker();
  }

  private newBroker(): Broker {
    const context = `broker-${++this.brokers}`;
    const locks = this.locks.manager(context);
    const alive = `${context}#alive`;
    return new Broker((lock, onGone) => whenReleased(locks, lock, onGone), holdLock(locks, alive, 0).then(() => alive));
  }

  async openTab(config: Partial<BackendConfigInput> = {}, connectTimeoutMs = 10_000): Promise<FakeTab> {
    const tab = new FakeTab(`tab-${++this.tabs}`, this);
    const topology = await LeaderTopology.start({
      config: { ...BASE_CONFIG, persistence: 'indexeddb', ...config } as BackendConfigInput & { name: string },
      locks: this.locks.manager(tab.context),
      timer: this.timer,
      startEngine: () => tab.startWorker(),
      openBroker: async () => {
        const { port1, port2 } = new MessageChannel();
        this.broker.accept(port1 as unknown as BrokerPort);
        this.brokerSide.push(port1);
        tab.brokerPorts.push(port2);
        return port2 as unknown as BrokerPort;
      },
      newChannel: () => new MessageChannel() as unknown as { port1: globalThis.MessagePort; port2: globalThis.MessagePort },
    });
    tab.client = await reconnectingBackend({ open: (ms) => topology.open(ms), dispose: () => topology.dispose(), connectTimeoutMs, timer: this.timer });
    return tab;
  }
}
