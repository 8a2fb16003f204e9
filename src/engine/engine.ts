/**
 * The engine: one database, one clock, its scanners, and every operation of
 * the table in operations.ts as a method. A call validates its input with the
 * operation's schema, then runs the body as its kind says: a read, one write
 * transaction followed by the completion cascade, or a time/scanner control.
 */
import { EngineError } from '../api/errors.js';
import { parseInput } from '../api/validate.js';
import type { Driver } from '../db/driver.js';
import { buildScanners, retentionOf, scannerInterval, type ScannerOptions } from '../scanners/build-scanners.js';
import type { ScannerReport } from '../scanners/scanner.js';
import { ScannerSupervisor } from '../scanners/supervisor.js';
import type { EngineContext, EngineHooks, EngineLimits } from './core/context.js';
import type { IdGenerator } from './core/ids.js';
import { TransactionRunner, type CommitListener } from './core/transaction.js';
import { CommitWaiters } from './commit-waiters.js';
import { CompletionCascade } from './flows/cascade.js';
import type { AnyOperation, EngineRuntime, OperationEnv, OperationMethods } from './operation.js';
import { OPERATIONS } from './operations.js';
import { OutboxDelivery } from './outbox/outbox-delivery.js';
import { openSubscription, SUBSCRIPTIONS, type SubscriptionMethods, type SubscriptionName } from './outbox/subscriptions.js';
import type { DeliveredEvent, EventSubscription } from '../api/subscriptions.js';
import { createEngineRuntime } from './engine-runtime.js';
import { realTimer, type WallTimer } from '../worker-runtime/worker-runtime-timer.js';
import { ManualClock, type Clock } from './time/clock.js';
import { readVirtualNow, recordVirtualNow } from './time/virtual-clock-store.js';

/** The engine's entry point for the methods installed from the table; a symbol, so it is neither remote nor listed. */
const INVOKE = Symbol('invoke');
/** The entry point of the subscribe<Channel> methods (outbox/subscriptions.ts), installed like the table's. */
const SUBSCRIBE = Symbol('subscribe');

/** Every operation of the table, as a method of the engine. */
export type EngineMethods = OperationMethods<typeof OPERATIONS>;
export type OperationName = keyof EngineMethods;

// The methods are installed on the prototype from the table (below the class).
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- the merge is how the table's methods get their types
export interface Engine extends EngineMethods, SubscriptionMethods {}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- see above
export class Engine {
  private readonly tx: TransactionRunner;
  private readonly ctx: EngineContext;
  private readonly cascade: CompletionCascade;
  private readonly runtime: EngineRuntime;
  private readonly waiters: CommitWaiters;
  private readonly reportListeners = new Set<(report: ScannerReport) => void>();
  private readonly trimListeners = new Set<() => void>();
  /** In-process subscriptions (subscribeCompletion and the rest); idle until one is opened. */
  private readonly delivery = new OutboxDelivery(() => this);
  private closed = false;

  /** @internal use `createEngine` */
  constructor(
    readonly driver: Driver,
    readonly clock: Clock,
    ids: IdGenerator,
    limits: EngineLimits,
    readonly schemaVersion: number,
    scanners: ScannerOptions | false = false,
    hooks?: EngineHooks,
    timer: WallTimer = realTimer,
  ) {
    this.tx = new TransactionRunner(driver);
    this.ctx = {
      db: driver,
      clock,
      ids,
      limits,
      emit: this.tx.emit,
      scheduledBudgetResets: scannerInterval(scanners, 'budget_reset') > 0,
      attemptsKept: retentionOf(scanners)?.attemptsKept ?? 0,
      ...(hooks ? { hooks } : {}),
    };
    // Every write (operations and scanner ticks alike) is followed by the
    // dispatch of the flow completions it wrote: see flows/cascade.ts.
    this.cascade = new CompletionCascade(this.ctx, this.tx, (eventId, error) =>
      console.warn(`[ff-backend-browser] dispatch of completion event ${eventId} failed; the dependency reconciler will retry it:`, error),
    );
    // Within a group too: the cascade carries on each operation's own work, inside the group.
    this.tx.onCommit(this.cascade.collect, { withinGroup: true });
    const host = {
      ctx: this.ctx,
      run: this.cascade.run.bind(this.cascade),
      read: this.tx.read.bind(this.tx),
      beforeTrim: () => this.trimListeners.forEach((listener) => listener()),
    };
    const supervisor = new ScannerSupervisor(
      clock,
      scanners === false ? [] : buildScanners(host, scanners),
      (report) => this.reportListeners.forEach((listener) => listener(report)),
      (scanner, error) => console.warn(`[ff-backend-browser] scanner ${scanner} tick failed:`, error),
      timer,
    );
    this.waiters = new CommitWaiters(clock, timer);
    this.tx.onCommit((events) => {
      if (this.waiters.size > 0) this.waiters.committed();
      this.delivery.onCommit(events);
    });
    this.runtime = createEngineRuntime(clock, supervisor, timer, (now) => this.tx.run('recordVirtualTime', () => recordVirtualNow(this.ctx, now)), {
      nextCommit: (until) => this.waiters.next(until),
      read: (op, body) => this.tx.read(op, body),
    });
  }

  /** @internal called once by createEngine */
  startScanners(): void {
    if (this.clock instanceof ManualClock) {
      // Resume virtual time where this database left it (before the scanners attach, so nothing ticks).
      const saved = this.tx.read('startScanners', () => readVirtualNow(this.ctx));
      if (saved !== null && saved > this.clock.now()) this.clock.advanceTo(saved);
    }
    this.runtime.supervisor.start();
    if (this.clock instanceof ManualClock) this.clock.attach(this.runtime.supervisor);
  }

  /**
   * @internal Run `body`, calls of this engine's read and write operations, as one group: each write's
   * transaction is a savepoint of one transaction, committed when `body` returns, and commit listeners hear
   * of them after that (core/transaction.ts). The worker runs a batch of calls so, sparing a commit per call.
   * If the group's transaction is lost, nothing of it is kept and this throws.
   */
  runGrouped<T>(body: () => T): T {
    if (this.closed) throw new EngineError('closed', 'the engine is closed', {});
    return this.tx.group('batch', body);
  }

  /** @internal Run one operation of the table: validate its input, then run its body as its kind says. */
  [INVOKE](op: AnyOperation, input: unknown): unknown {
    const parsed: unknown = parseInput(op.name, op.input, input === undefined && acceptsNoInput(op) ? {} : input);
    if (this.closed) throw new EngineError('closed', `${op.name}: the engine is closed`, { op: op.name });
    const env = (): OperationEnv => ({ ctx: this.ctx, now: this.clock.now(), runtime: this.runtime, operationNames: OPERATION_NAMES });
    switch (op.kind) {
      case 'read':
        return this.tx.read(op.name, () => op.run(env(), parsed));
      case 'write':
        return this.cascade.run(op.name, () => op.run(env(), parsed));
      case 'control':
      case 'wait':
        return op.run(env(), parsed);
    }
  }

  /** @internal Open an in-process subscription (see outbox/subscriptions.ts). */
  [SUBSCRIBE](name: SubscriptionName, options: unknown, onEvent: (event: DeliveredEvent) => void): EventSubscription {
    if (this.closed) throw new EngineError('closed', `${name}: the engine is closed`, { op: name });
    return openSubscription(this.delivery, name, options, onEvent);
  }

  /** Called after every commit with the outbox events it produced. */
  onCommit(listener: CommitListener): () => void {
    return this.tx.onCommit(listener);
  }

  /** Called with every scanner tick's report. */
  onScannerReport(listener: (report: ScannerReport) => void): () => void {
    this.reportListeners.add(listener);
    return () => this.reportListeners.delete(listener);
  }

  /**
   * Called, synchronously and outside any transaction, right before the
   * retention trimmer deletes outbox rows. A subscriber that delivers events
   * later (the worker's event hub batches them after the current call) uses
   * it to deliver what it has not sent yet, so no event is trimmed unsent.
   * Registering the same function twice registers it once.
   */
  onBeforeTrim(listener: () => void): () => void {
    this.trimListeners.add(listener);
    return () => this.trimListeners.delete(listener);
  }

  /** The whole database image (a consistent snapshot between operations). */
  exportImage(): Uint8Array {
    if (this.closed) throw new EngineError('closed', 'exportImage: the engine is closed', { op: 'exportImage' });
    return this.driver.exportImage();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.waiters.close();
    this.runtime.player?.stop();
    void this.runtime.supervisor.shutdown(0);
    if (this.clock instanceof ManualClock) this.clock.attach(undefined);
    this.driver.close();
  }
}

const OPERATION_NAMES: ReadonlySet<string> = new Set(OPERATIONS.map((op) => op.name));

/**
 * An input whose fields are all optional may be left out: `engine.listLanes()`. Found out at the first call
 * without input, not as this module loads: a schema's first parse compiles its fast path, and doing that for
 * every operation at load took tens of milliseconds of every worker's start.
 */
const NO_INPUT_OK = new Map<string, boolean>();
function acceptsNoInput(op: AnyOperation): boolean {
  const known = NO_INPUT_OK.get(op.name);
  if (known !== undefined) return known;
  const ok = op.input.safeParse({}).success;
  NO_INPUT_OK.set(op.name, ok);
  return ok;
}

for (const op of OPERATIONS as readonly AnyOperation[]) {
  // A wait operation answers with a promise, so its refusals (bad input, a closed engine) are rejections too.
  const invoke =
    op.kind === 'wait'
      ? function (this: Engine, input?: unknown) {
          try {
            return this[INVOKE](op, input);
          } catch (err) {
            return Promise.reject(err);
          }
        }
      : function (this: Engine, input?: unknown) {
          return this[INVOKE](op, input);
        };
  Object.defineProperty(Engine.prototype, op.name, {
    value: invoke,
    writable: true,
    configurable: true,
  });
}

for (const name of Object.keys(SUBSCRIPTIONS) as SubscriptionName[]) {
  Object.defineProperty(Engine.prototype, name, {
    value: function (this: Engine, options: unknown, onEvent: (event: DeliveredEvent) => void) {
      return this[SUBSCRIBE](name, options, onEvent);
    },
    writable: true,
    configurable: true,
  });
}
