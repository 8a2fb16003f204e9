/**
 * The page-side types of the browser backend: its options and the client
 * that createBrowserBackend returns.
 */
import type { EngineError } from '../api/errors.js';
import type {
  BackendConfigInput,
  BackendEvent,
  BackendStatus,
  FlushResult,
  MeasureInput,
  MeasureResult,
  Snapshot,
  SubscribeOptions,
} from '../worker/protocol.js';
import type { CallChannel } from '../worker/batch-channel.js';
import type { RemoteEngine } from '../worker/remote-methods.js';

export interface BrowserBackendOptions extends BackendConfigInput {
  /** Must be `true`: this is a dev-only backend (the analogue of FF_DEV_MODE=1). */
  devMode: true;
  /**
   * Where the engine runs.
   * - 'leader': a dedicated Worker in one tab, the leader (chosen with a Web
   *   Lock); other tabs call it straight through a MessagePort that a small
   *   broker SharedWorker relays. When the leader tab goes, the next tab
   *   takes over from the saved image and this client reconnects on its own.
   * - 'shared': a SharedWorker per database name, shared by every tab.
   * - 'dedicated': a Worker per client, guarded by a Web Lock so a second one
   *   on the same name fails with `unavailable` instead of ever writing beside the first.
   * - 'auto': 'leader' where Web Locks and SharedWorker exist, else 'shared'
   *   where SharedWorker exists, else 'dedicated'.
   * @default 'auto'
   */
  worker?: 'auto' | 'leader' | 'shared' | 'dedicated';
  /** Reject if the worker has not started and answered by then. A script that fails to load or throws rejects at once, with `unavailable`. @default 15000 */
  connectTimeoutMs?: number;
}

/** status() as the client reports it: the worker's status, plus where this client stands under 'leader'. */
export interface BrowserBackendStatus extends BackendStatus {
  /** Under worker 'leader': 'leader' when this client's tab runs the engine, 'follower' when it reaches another tab's. */
  role?: 'leader' | 'follower';
  /** Under worker 'leader': the id of the client whose tab runs the engine (the same in every tab). */
  leaderId?: string;
  /** Under worker 'leader': how many times this client reconnected, after the engine moved to another worker. */
  reconnects?: number;
  /**
   * How this client's engine calls reach the worker: 'shared-memory' on a
   * cross-origin-isolated page calling its own tab's worker (the leader tab,
   * or worker: 'dedicated'), else 'messages'.
   */
  callChannel: CallChannel;
}

export interface Subscription {
  readonly id: number;
  /** Scanner events the `from` cursor asked for that were no longer kept (see SCANNER_RING_SIZE). */
  readonly scannerEventsLost: number;
  /** Stop delivery (at once, page side) and release the worker's callback proxy. */
  unsubscribe(): Promise<void>;
}

/** What the browser backend adds to the engine's methods. */
export interface BrowserBackendExtras {
  /** Persistence mode, last persisted sequence, unsaved changes, image size, last error, connections; under 'leader', this client's role. */
  status(): Promise<BrowserBackendStatus>;
  /** Save now; resolves once IndexedDB reports the transaction complete, rejects with EngineError('persistence'). */
  flush(): Promise<FlushResult>;
  /** The whole database with its schema version, sequence and SHA-256; the image is transferred, not copied. */
  exportSnapshot(): Promise<Snapshot>;
  /** Check a snapshot, then replace the database with it (and save). Bad input is a validation error and changes nothing. */
  importSnapshot(snapshot: Snapshot): Promise<FlushResult>;
  /** Replace the database with an empty, migrated one (and save). A virtual clock starts again at the wall time, or at `clockStartMs` when set. */
  reset(): Promise<FlushResult>;
  /**
   * Receive completion, lease, budget, signal and scanner events. Every event carries
   * a `cursor`; pass the last one seen per channel in `options.from` to
   * resume with no gap and no duplicate.
   */
  subscribe(options: SubscribeOptions, callback: (event: BackendEvent) => void): Promise<Subscription>;
  /** Benchmarks: run operations inside the worker, with no boundary crossing. */
  measureInWorker(input: MeasureInput): Promise<MeasureResult>;
  /**
   * Flush, drop this client's subscriptions and disconnect. Other tabs of a
   * shared engine carry on (under 'leader', a leader's worker ends and the
   * next tab takes over). Later calls reject with EngineError('closed').
   * Rejects with the flush's error if the final save failed.
   */
  close(): Promise<void>;
  /**
   * Resolves with the reason once this client can no longer be used: closed,
   * or ('shared', 'dedicated') the worker crashed or was terminated. Under
   * 'leader' the client reconnects instead, so only close() resolves it.
   */
  readonly closed: Promise<EngineError>;
}

/** The client: every Engine method (async), plus the extras. */
export interface BrowserBackend extends RemoteEngine, BrowserBackendExtras {}
