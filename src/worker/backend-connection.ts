/**
 * What one page sees through comlink: one connection per port, over the
 * host's shared service. `open` must come first. The connection owns its
 * subscriptions; `disconnect()` (or the page's alive lock being released)
 * drops them and releases their callback proxies.
 *
 * A connection from a follower tab (worker: 'leader') is `savedOnly`: its
 * results and events wait until what they reflect is saved. The leader tab's
 * own connection is `saveWhenShared`: while a follower is connected, its
 * writes are saved once they pause for SHARED_SAVE_MS (see saved-only.ts).
 */
import * as Comlink from 'comlink';
import { EngineError } from '../api/errors.js';
import type { BackendHost } from './backend-host.js';
import type { BackendService } from './backend-service.js';
import { GROUPABLE_ENGINE_METHODS } from './remote-methods.js';
import { SavedOnly, saveSoonWhenShared } from './saved-only.js';
import { serializeError } from './wire.js';
import { WORKER_READY } from './worker-ready.js';
import type {
  BackendConfigInput,
  BatchCall,
  BatchOutcome,
  BackendStatus,
  ClientInfo,
  EventSink,
  FlushResult,
  Hello,
  MeasureInput,
  MeasureResult,
  Snapshot,
  SubscribeOptions,
  SubscriptionInfo,
} from './protocol.js';

/** How a connection treats saves (worker: 'leader'); see saved-only.ts. */
export interface ServeOptions {
  /** A follower tab's port: results and events wait until what they reflect is saved. */
  savedOnly?: boolean;
  /** The leader tab's own endpoint: while another tab is connected, save once writes pause for SHARED_SAVE_MS. */
  saveWhenShared?: boolean;
}

export class BackendConnection {
  private service: BackendService | undefined;
  private unwatch: () => void = () => {};
  private gone = false;
  private readonly savedOnly: SavedOnly | undefined;
  private readonly saveWhenShared: boolean;

  constructor(
    private readonly host: BackendHost,
    private readonly owner: number,
    options: ServeOptions = {},
  ) {
    this.savedOnly = options.savedOnly ? new SavedOnly(() => this.service) : undefined;
    this.saveWhenShared = options.saveWhenShared === true;
  }

  async open(config: BackendConfigInput, client: ClientInfo = { aliveLock: null }): Promise<Hello> {
    if (this.service) throw new EngineError('unavailable', 'open: this connection is already open', {});
    if (this.gone) throw new EngineError('closed', 'open: this connection was closed', {});
    const { service, aliveLock } = await this.host.acquire(config);
    this.service = service;
    service.connected();
    if (client.aliveLock) this.unwatch = this.host.watchClient(client.aliveLock, () => this.disconnect());
    return { host: this.host.kind, schemaVersion: service.status().schemaVersion, aliveLock };
  }

  invoke(method: string, args: unknown[]): unknown {
    return this.require(method).invoke(method, Array.isArray(args) ? args : []);
  }

  /**
   * Several engine calls in one message, run in order, each in its own
   * transaction as if called alone; one failing does not affect the others.
   * The client batches the calls its callers issue in the same tick, which
   * is what lets many concurrent callers approach in-worker throughput.
   * A batch of reads and writes runs as one group (Engine.runGrouped): each
   * write's transaction a savepoint, all committed together, which spares a
   * commit per call and changes nothing a caller can see.
   */
  invokeBatch(calls: BatchCall[]): BatchOutcome | Promise<BatchOutcome> {
    const service = this.require('invokeBatch');
    const outcome: BatchOutcome = { values: new Array<unknown>(calls.length) };
    const fail = (i: number, err: unknown): void => void ((outcome.errors ??= {})[i] = serializeError(err));
    let waits: Promise<void>[] | undefined;
    const runAll = (): void => {
      for (let i = 0; i < calls.length; i++) {
        const [method, args] = calls[i]!;
        try {
          const value = service.invoke(method, Array.isArray(args) ? args : []);
          if (value instanceof Promise) {
            (waits ??= []).push(
              value.then(
                (v: unknown) => void (outcome.values[i] = v),
                (err: unknown) => fail(i, err),
              ),
            );
          } else outcome.values[i] = value;
        } catch (err) {
          fail(i, err);
        }
      }
    };
    if (calls.length > 1 && calls.every((call) => GROUPABLE_ENGINE_METHODS.has(call[0]))) {
      try {
        service.grouped(runAll);
      } catch (err) {
        // The group's transaction was lost: nothing of it was kept, so every call fails, the earlier ones too.
        outcome.values = new Array<unknown>(calls.length);
        outcome.errors = {};
        for (let i = 0; i < calls.length; i++) fail(i, err);
      }
    } else runAll();
    const replies = waits ? Promise.all(waits).then(() => outcome) : outcome;
    if (this.savedOnly) return this.savedOnly.after(replies);
    if (this.saveWhenShared) {
      if (replies instanceof Promise) void replies.then(() => saveSoonWhenShared(this.service));
      else saveSoonWhenShared(this.service);
    }
    return replies;
  }

  status(): BackendStatus {
    return this.require('status').status();
  }

  flush(): Promise<FlushResult> {
    return this.require('flush').flush();
  }

  /** The page may be going away (pagehide, hidden tab): save now. */
  pageHidden(): void {
    this.service?.saveInBackground();
  }

  exportSnapshot(): Snapshot {
    const snapshot = this.require('exportSnapshot').exportSnapshot();
    // Hand the image's memory to the page instead of copying it.
    return Comlink.transfer(snapshot, [snapshot.image.buffer as ArrayBuffer]);
  }

  importSnapshot(snapshot: Snapshot): Promise<FlushResult> {
    return this.require('importSnapshot').importSnapshot(snapshot);
  }

  reset(): Promise<FlushResult> {
    return this.require('reset').reset();
  }

  subscribe(options: SubscribeOptions, sink: EventSink): SubscriptionInfo {
    return this.require('subscribe').subscribe(this.owner, options ?? {}, this.savedOnly ? this.savedOnly.sink(sink) : sink);
  }

  unsubscribe(id: number): boolean {
    return this.require('unsubscribe').unsubscribe(this.owner, id);
  }

  measureInWorker(input: MeasureInput): MeasureResult {
    return this.require('measureInWorker').measureInWorker(input);
  }

  /**
   * The leader tab hands over a follower tab's port (relayed by the broker):
   * serve a saved-only connection on it, and tell the follower it is there.
   */
  servePort(port: MessagePort): void {
    this.require('servePort');
    this.host.serve(port, { savedOnly: true });
    port.postMessage(WORKER_READY);
  }

  /** The page closes this client: drop its subscriptions. Safe to call twice. */
  disconnect(): void {
    if (this.gone) return;
    this.gone = true;
    this.unwatch();
    this.service?.disconnected(this.owner);
    // A client leaving is a natural save point: what it wrote is saved even if it never flushed.
    this.service?.saveInBackground();
  }

  private require(op: string): BackendService {
    if (this.gone) throw new EngineError('closed', `${op}: this client was closed`, { op });
    if (!this.service) throw new EngineError('unavailable', `${op}: the backend is not open yet (call open first)`, { op });
    return this.service;
  }
}
