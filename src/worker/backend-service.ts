/**
 * The backend inside the worker: one engine, its persistence and its
 * subscribers. It knows nothing of comlink or of the DOM, so Node tests run
 * it in-process, over a MessageChannel, or in a worker thread.
 *
 * Start: load the saved image (or none), open it, run migrations, and save
 * at once when the database is new or its schema moved. Then every commit
 * feeds the persist scheduler and the event hub. When the store keeps chunks
 * and the driver can open them (`openChunks`), the stored chunks become the
 * database file as they are, and only what changes from then on is unsaved.
 */
import { EngineError, errors } from '../api/errors.js';
import type { Driver } from '../db/driver.js';
import { ManualClock, RealClock, type Clock } from '../engine/time/clock.js';
import { createEngine } from '../engine/create-engine.js';
import type { Engine } from '../engine/engine.js';
import { randomIds, seededIds } from '../engine/core/ids.js';
import { persistenceError } from '../persistence/persistence-error.js';
import { isChunkedPersistence, type PersistedMeta, type Persistence } from '../persistence/persistence.js';
import type { Timer } from '../worker-runtime/worker-runtime-timer.js';
import { EventHub } from './event-hub.js';
import { isChunkSource, PersistScheduler, type ImageSource } from './persist-scheduler.js';
import type { BackendConfig, BackendStatus, FlushResult, HostKind, MeasureInput, MeasureResult, Snapshot } from './protocol.js';
import { isRemoteEngineMethod } from './remote-methods.js';
import { makeSnapshot, openSnapshotDriver, validateSnapshot } from './snapshot.js';
import { markedAt, startupMark } from './startup-mark.js';

export interface BackendServiceDeps {
  persistence: Persistence;
  /** Opens a database (from an image, or empty). */
  openDriver(image?: Uint8Array): Promise<Driver>;
  /** Opens a database from a chunked store's chunks (CHUNK_SIZE each, the last shorter), taking them over. */
  openChunks?(chunks: Uint8Array[], bytes: number): Promise<Driver>;
  /**
   * Called once start-up has asked the store for the saved image; settles when the drivers can open (SQLite's
   * WebAssembly loaded), while the store reads. A rejection is the start-up's error.
   */
  ready?(): Promise<unknown>;
  /** performance.now() when the host began to open the store: the start-up's total counts from it, and `storeMs` until open() is called. */
  startedAt?: number;
  host?: HostKind;
  /** Log the one start-up line naming the persistence mode. @default true */
  banner?: boolean;
  /** What the persist debounce and its retries wait on; tests pass a ManualTimer. @default the platform's timers */
  timer?: Timer;
}

export class BackendService {
  private engine!: Engine;
  private detach: (() => void)[] = [];
  private readonly hub: EventHub;
  private persist!: PersistScheduler;
  private connections = 0;
  /** import/reset replace the engine asynchronously: one at a time. */
  private replacing: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    readonly config: BackendConfig,
    private readonly deps: BackendServiceDeps,
    private clock: Clock,
    private openedFrom: BackendStatus['openedFrom'],
    private readonly startup: BackendStatus['startup'],
  ) {
    this.hub = new EventHub(() => this.engine);
  }

  static async open(config: BackendConfig, deps: BackendServiceDeps): Promise<BackendService> {
    const t0 = startupMark('open');
    let loadedAt = t0;
    let readyAt = t0;
    // The saved image is read while the drivers get ready, not after.
    const loading = loadSaved(deps).then(
      (saved) => ((loadedAt = startupMark('loaded')), saved),
      (err: unknown) => {
        throw persistenceError('load', deps.persistence.kind, err);
      },
    );
    loading.catch(() => {}); // a driver that cannot load is the error to report; observed below otherwise
    await deps.ready?.().then(() => (readyAt = startupMark('ready')));
    const saved = await loading;
    const t1 = startupMark('sqlite-open');
    const clock = config.clock === 'manual' ? new ManualClock(config.clockStartMs) : new RealClock();
    const driver = saved ? await openSnapshotDriver(saved.open, 'the saved image', { quickCheck: false }) : await deps.openDriver();
    // The file now holds exactly what the store has, but for the chunks its deltas changed (still to fold in);
    // migrations and later commits mark what they change.
    if (saved?.asStored && isChunkSource(driver)) {
      driver.takeDirty();
      driver.restoreDirty(saved.unfolded);
    }
    const t2 = startupMark('migrate');
    const engine = await createBackendEngine(config, driver, clock, deps.banner ?? true);
    const end = startupMark('end');
    const started = deps.startedAt ?? t0;
    // In a worker, performance.now() counts from the worker's creation: what came before the host is its boot.
    const inWorker = deps.host === 'worker' || deps.host === 'shared-worker';
    const sinceCreation = (at: number | undefined): number => (inWorker ? (at ?? 0) : 0);
    const boot = { bootMs: sinceCreation(started), scriptMs: sinceCreation(markedAt('script')), loadedScriptMs: sinceCreation(markedAt('boot')) };
    const startup = { ...boot, storeMs: t0 - started, loadMs: loadedAt - t0, readyMs: readyAt - t0, openMs: t2 - t1, migrateMs: end - t2, totalMs: end - started };
    const service = new BackendService(config, deps, clock, saved ? 'saved-image' : 'new-database', startup);
    service.attach(engine);
    // A store of another chunk size is rewritten whole at once too: deltas apply to chunks of this size only.
    const current = saved !== null && saved.asStored && saved.meta.schemaVersion === engine.schemaVersion;
    service.persist = new PersistScheduler(service.source(), deps.persistence, config.persistDebounceMs, {
      sequence: saved?.meta.sequence ?? 0,
      imageBytes: saved?.meta.bytes ?? 0,
      saved: current,
    }, deps.timer);
    // A new database (or a migrated one) is saved right away, so the next start finds it; in the
    // background, so start-up does not wait for the store. A failure shows in status() and is retried.
    if (!current) service.persist.flush('relaxed').catch(() => {});
    return service;
  }

  /** Call an Engine method by name (only those in REMOTE_ENGINE_METHODS). */
  invoke(method: string, args: unknown[]): unknown {
    this.assertOpen(method);
    if (!isRemoteEngineMethod(method)) throw errors.unavailable(String(method), 'not a method of the browser backend');
    const fn = this.engine[method] as (...a: unknown[]) => unknown;
    return fn.apply(this.engine, args);
  }

  /** Run `body` (calls through invoke()) as one group of the engine's: see Engine.runGrouped. */
  grouped<T>(body: () => T): T {
    this.assertOpen('invokeBatch');
    return this.engine.runGrouped(body);
  }

  /** Whether commits wait for a save: read after every batch, where status() would build a whole report. */
  get unsavedChanges(): boolean {
    return this.persist.unsavedChanges;
  }

  /** Clients connected now (see connected()). */
  get connectionCount(): number {
    return this.connections;
  }

  status(): BackendStatus {
    return {
      name: this.config.name,
      host: this.deps.host ?? 'in-process',
      persistence: this.config.persistence,
      clock: this.config.clock,
      schemaVersion: this.engine.schemaVersion,
      openedFrom: this.openedFrom,
      sequence: this.persist.sequence,
      persistedSequence: Math.max(0, this.persist.persistedSequence),
      unsavedChanges: this.persist.unsavedChanges,
      imageBytes: this.persist.imageBytes,
      lastPersistedAtMs: this.persist.lastPersistedAtMs,
      lastSave: this.persist.lastSave,
      lastError: this.persist.lastErrorPlain(),
      connections: this.connections,
      subscriptions: this.hub.size,
      startup: { ...this.startup },
    };
  }

  /**
   * Save now. 'strict' (the client's flush()) waits for the disk; 'relaxed'
   * for the browser's commit, which outlives a closed tab (what a follower
   * tab's replies wait for, see saved-only.ts).
   */
  flush(durability: 'strict' | 'relaxed' = 'strict'): Promise<FlushResult> {
    this.assertOpen('flush');
    return this.persist.flush(durability);
  }

  /** Save now without waiting for the debounce (a page is going away or a client left); errors stay in status(). */
  saveInBackground(): void {
    if (!this.closed) this.persist.flush('relaxed').catch(() => {});
  }

  exportSnapshot(): Snapshot {
    this.assertOpen('exportSnapshot');
    return makeSnapshot(this.engine.exportImage(), this.engine.schemaVersion, this.persist.sequence);
  }

  /** Validate, then replace the whole database with the snapshot's; resolves once it is saved. */
  importSnapshot(snapshot: Snapshot): Promise<FlushResult> {
    this.assertOpen('importSnapshot');
    return this.serial(async () => {
      const image = validateSnapshot(snapshot, this.engine.schemaVersion);
      const driver = await openSnapshotDriver(() => this.deps.openDriver(image), 'the snapshot', { quickCheck: true });
      await this.replaceEngine(driver, 'saved-image');
      return this.persist.flush('strict');
    });
  }

  /**
   * Replace the database with an empty, migrated one; resolves once it is
   * saved. A virtual clock starts again where a new backend's would (the
   * wall time, or `clockStartMs` when pinned): an empty database has no
   * history for time to run ahead of, and the page's `Date.now()` agrees
   * with the engine again.
   */
  reset(): Promise<FlushResult> {
    this.assertOpen('reset');
    return this.serial(async () => {
      const driver = await this.deps.openDriver();
      const clock = this.config.clock === 'manual' ? new ManualClock(this.config.clockStartMs) : this.clock;
      await this.replaceEngine(driver, 'new-database', clock);
      return this.persist.flush('strict');
    });
  }

  subscribe(...args: Parameters<EventHub['subscribe']>): ReturnType<EventHub['subscribe']> {
    this.assertOpen('subscribe');
    return this.hub.subscribe(...args);
  }

  unsubscribe(owner: number, id: number): boolean {
    return this.hub.unsubscribe(owner, id);
  }

  /** Track connected clients; a disconnect drops the client's subscriptions. */
  connected(): void {
    this.connections++;
  }
  disconnected(owner: number): void {
    this.connections = Math.max(0, this.connections - 1);
    this.hub.dropOwner(owner);
  }

  /** Benchmarks: run `count` operations inside the worker, with no boundary crossing. */
  measureInWorker(input: MeasureInput): MeasureResult {
    this.assertOpen('measureInWorker');
    const laneId = input.laneId ?? 'bench';
    const payload = input.payloadBytes ? 'x'.repeat(input.payloadBytes) : undefined;
    const worker = { workerId: 'bench', workerInstanceId: 'bench-1', leaseTtlMs: 60_000 };
    const t0 = performance.now();
    for (let i = 0; i < input.count; i++) {
      if (input.op === 'now') this.engine.now();
      else if (input.op === 'exportImage') this.engine.exportImage();
      else if (input.op === 'createExecution') this.engine.createExecution(payload === undefined ? { laneId } : { laneId, payload });
      else {
        const handle = this.engine.claim({ laneId, ...worker });
        if (!handle) throw errors.invalid('count', `lane ${laneId} ran out of executions after ${i}`);
        this.engine.completeExecution({ handle });
      }
    }
    return { count: input.count, elapsedMs: performance.now() - t0 };
  }

  /** Save what is unsaved, stop the engine and close the store. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.persist.flush('strict').catch(() => {});
    this.closed = true;
    this.persist.stop();
    this.detach.forEach((d) => d());
    this.engine.close();
    this.deps.persistence.close();
  }

  private assertOpen(op: string): void {
    if (this.closed) throw new EngineError('closed', `${op}: the backend is closed`, { op });
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.replacing.catch(() => {}).then(fn);
    this.replacing = next;
    return next;
  }

  private attach(engine: Engine): void {
    this.detach.forEach((d) => d());
    this.engine = engine;
    this.detach = [
      engine.onCommit((events) => {
        this.persist.noteCommit();
        this.hub.onCommit(events);
      }),
      engine.onScannerReport((report) => this.hub.onScannerReport(report)),
    ];
  }

  private async replaceEngine(driver: Driver, openedFrom: BackendStatus['openedFrom'], clock = this.clock): Promise<void> {
    let engine: Engine;
    try {
      engine = await createBackendEngine(this.config, driver, clock, false);
    } catch (err) {
      driver.close();
      throw err;
    }
    const old = this.engine;
    // The old engine detaches from a shared ManualClock on close; the new one attaches after.
    this.detach.forEach((d) => d());
    old.close();
    this.clock = clock;
    engine.startScanners();
    this.attach(engine);
    this.openedFrom = openedFrom;
    this.persist.replaceSource(this.source());
    this.hub.rebase();
  }

  private source(): ImageSource {
    const engine = this.engine;
    return {
      exportImage: () => engine.exportImage(),
      totalChanges: () => engine.driver.prepare('SELECT total_changes() AS n').get<{ n: number }>()!.n,
      schemaVersion: engine.schemaVersion,
      get inTransaction() {
        return engine.driver.inTransaction;
      },
      chunks: isChunkSource(engine.driver) ? engine.driver : undefined,
    };
  }
}

/**
 * The saved database and how to open it: from its chunks when the store and
 * the driver both can, else from one image. `asStored`: the opened file is
 * the store's chunks as they are, so none of them needs saving yet.
 */
async function loadSaved(deps: BackendServiceDeps): Promise<{ meta: PersistedMeta; open: () => Promise<Driver>; asStored: boolean; unfolded: number[] } | null> {
  const { persistence, openChunks } = deps;
  if (openChunks && isChunkedPersistence(persistence)) {
    const saved = await persistence.loadChunks();
    return saved && { meta: saved.meta, open: () => openChunks(saved.chunks, saved.meta.bytes), asStored: !saved.resized, unfolded: saved.unfolded };
  }
  const saved = await persistence.load();
  return saved && { meta: saved.meta, open: () => deps.openDriver(saved.image), asStored: true, unfolded: [] };
}

/** The engine of a backend: the banner (one console line naming the persistence mode) only at start. */
async function createBackendEngine(config: BackendConfig, driver: Driver, clock: Clock, banner: boolean): Promise<Engine> {
  return createEngine({
    devMode: true,
    driver,
    clock,
    ids: config.seed === undefined ? randomIds : seededIds(config.seed),
    banner,
    persistence: `${config.persistence} (${config.name})`,
    scanners: config.scanners,
    ...(config.limits ? { limits: config.limits } : {}),
  });
}
