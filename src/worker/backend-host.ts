/**
 * One engine per worker, shared by every connection. A SharedWorker gets
 * one port per tab; a dedicated worker (or a Node worker thread) has one
 * endpoint. `serve(endpoint)` exposes a BackendConnection on it with
 * comlink. The first connection's `open(config)` builds the service; later
 * ones join it, and must ask for the same persistence and clock.
 *
 * With Web Locks (browsers), the host holds an "alive" lock for its whole
 * life, which pages watch to learn that the worker is gone, and watches each
 * page's own alive lock to drop a vanished tab's subscriptions.
 */
import * as Comlink from 'comlink';
import { EngineError } from '../api/errors.js';
import { parseInput } from '../api/validate.js';
import { BackendConnection, type ServeOptions } from './backend-connection.js';
import { BackendService, type BackendServiceDeps } from './backend-service.js';
import type { BatchEndpoint } from './batch-channel.js';
import { serveBatches, type ServeBatchesOptions } from './batch-server.js';
import { backendConfigInput, type BackendConfig, type BackendConfigInput, type HostKind } from './protocol.js';
import { startupMark } from './startup-mark.js';
import { holdLock, whenReleased } from './web-locks.js';
import { installWireHandlers } from './wire.js';

export interface BackendHostOptions {
  kind: HostKind;
  /** Persistence and database factory, for the first config. */
  deps(config: BackendConfig): Promise<BackendServiceDeps>;
  /** Web Locks, where the platform has them. */
  locks?: LockManager | undefined;
  /**
   * With Web Locks: how long to wait for the database's owner lock before
   * failing with `unavailable`. 0 fails at once when another context holds it.
   * @default 0
   */
  ownerLockWaitMs?: number;
  /** How batches of engine calls are served (see ServeBatchesOptions); the defaults suit a page. */
  batches?: ServeBatchesOptions | undefined;
}

export class BackendHost {
  private service: Promise<BackendService> | undefined;
  private config: BackendConfig | undefined;
  private aliveLock: string | null = null;
  private nextOwner = 1;

  constructor(private readonly options: BackendHostOptions) {
    installWireHandlers();
  }

  get kind(): HostKind {
    return this.options.kind;
  }

  /**
   * Expose a new connection on `endpoint`. Under worker: 'leader', a
   * follower tab's port is `savedOnly` and the leader tab's own endpoint
   * `saveWhenShared` (see ServeOptions).
   */
  serve(endpoint: Comlink.Endpoint, options: ServeOptions = {}): BackendConnection {
    const connection = new BackendConnection(this, this.nextOwner++, options);
    Comlink.expose(connection, endpoint);
    serveBatches(connection, endpoint as unknown as BatchEndpoint, this.options.batches);
    return connection;
  }

  /** The shared service, opened by the first caller's config. */
  async acquire(input: BackendConfigInput): Promise<{ service: BackendService; aliveLock: string | null }> {
    const config = parseInput('createBrowserBackend', backendConfigInput, input);
    if (this.config) assertCompatible(this.config, config);
    else this.config = config;
    this.service ??= this.openService(config);
    try {
      return { service: await this.service, aliveLock: this.aliveLock };
    } catch (err) {
      // Let a later connection try again (e.g. after the user freed storage).
      this.service = undefined;
      this.config = undefined;
      throw err;
    }
  }

  /** Watch a page's alive lock: when it is released, the page is gone. */
  watchClient(lockName: string, onGone: () => void): () => void {
    const locks = this.options.locks;
    return locks ? whenReleased(locks, lockName, onGone) : () => {};
  }

  private async openService(config: BackendConfig): Promise<BackendService> {
    const locks = this.options.locks;
    // One writer per database name, whatever opened it (a SharedWorker, a dedicated worker, another build of the app).
    const releaseOwner = locks ? await holdLock(locks, ownerLockName(config.name), this.options.ownerLockWaitMs ?? 0) : () => {};
    if (!releaseOwner) {
      throw new EngineError(
        'unavailable',
        `database '${config.name}' is already open in another tab or worker that does not share this engine; close it first (or use a SharedWorker-capable browser, where tabs share one engine)`,
        { name: config.name, lock: ownerLockName(config.name) },
      );
    }
    let service: BackendService;
    let deps: BackendServiceDeps | undefined;
    try {
      const startedAt = startupMark('host');
      deps = await this.options.deps(config);
      service = await BackendService.open(config, { ...deps, host: this.options.kind, startedAt });
    } catch (err) {
      deps?.persistence.close();
      releaseOwner();
      throw err;
    }
    if (locks) {
      const name = `ff-backend-browser:${config.name}#alive-${Math.random().toString(36).slice(2, 10)}`;
      // Never released: the browser frees it when this worker ends, which is what pages wait for.
      if (await holdLock(locks, name, 0)) this.aliveLock = name;
    }
    return service;
  }
}

/** The Web Lock that makes one context the only writer of a database name. */
export function ownerLockName(name: string): string {
  return `ff-backend-browser:${name}`;
}

function assertCompatible(open: BackendConfig, asked: BackendConfig): void {
  for (const key of ['name', 'persistence', 'clock'] as const) {
    if (open[key] !== asked[key]) {
      throw new EngineError(
        'unavailable',
        `database '${open.name}' is already open with ${key} '${open[key]}' (asked for '${asked[key]}'); every client of one database shares one engine, so they must agree`,
        { name: open.name, option: key, open: open[key], asked: asked[key] },
      );
    }
  }
}
