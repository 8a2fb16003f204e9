/**
 * The test handle's contract, shared by the page (installTestHandle) and the
 * test runner (the Playwright fixture). Everything that crosses
 * `page.evaluate` is plain, serializable data.
 */
import type { ScannerName } from '../scanners/scanner.js';
import type { CreateBudgetInput } from '../api/budgets.js';
import type { CreateExecutionInput } from '../api/executions.js';
import type { CreateQuotaPolicyInput } from '../api/quotas.js';
import type { RegisterWorkerInput } from '../api/workers.js';
import type { DueTick } from '../scanners/supervisor.js';
import type { BackendChannel, BackendEvent, BackendStatus, FlushResult } from '../worker/protocol.js';

/** Where the handle lives on `window` unless the app names another global. */
export const DEFAULT_GLOBAL_NAME = '__ffBackend';

/**
 * An EngineError thrown inside the page reaches the test as an Error whose
 * message holds this marker and the error as one line of JSON, so the
 * fixture can rethrow it with its `code` and `details`.
 */
export const HANDLE_ERROR_MARKER = 'FF_ENGINE_ERROR:';

/** What seed() creates, in this order: budgets, quota policies, workers, then executions (in one transaction). */
export interface SeedInput {
  budgets?: CreateBudgetInput[];
  quotaPolicies?: CreateQuotaPolicyInput[];
  workers?: RegisterWorkerInput[];
  executions?: CreateExecutionInput[];
}

export interface SeedResult {
  budgetIds: string[];
  quotaPolicyIds: string[];
  workerInstanceIds: string[];
  /** In input order; a duplicate id is reported as its existing id. */
  executionIds: string[];
}

/** Every field optional, at every depth; arrays and primitives stay whole. */
export type DeepPartial<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

/**
 * A subset to look for in an event of channel `C`: every key given must be
 * equal in the event (nested objects are matched the same way, arrays and
 * primitives exactly). Typed against the channel's events, so a misspelt key
 * or value fails to compile. `{}` matches any event of the channel.
 */
export type EventMatch<C extends BackendChannel = BackendChannel> = DeepPartial<EventOf<C>>;

/** The events of one channel. */
export type EventOf<C extends BackendChannel> = Extract<BackendEvent, { channel: C }>;

export interface WaitForEventInput<C extends BackendChannel = BackendChannel> {
  channel: C;
  match?: EventMatch<C>;
  /** @default 5000 */
  timeoutMs?: number;
  /**
   * Only events after this cursor (one returned by an earlier event), or
   * `'now'` for events that arrive from now on.
   * @default every event since the handle was installed (or last reset)
   */
  after?: string;
}

export interface AdvanceResult {
  /** The engine clock after the move. */
  now: number;
  /** Scanner ticks that ran on the way. */
  ticks: number;
  /** Rows those ticks acted on (resets, promotions, expiries, …). */
  processed: number;
  /** False when the engine's safety cap stopped the advance short: `now` is then the last instant it processed. */
  finished: boolean;
}

/** What happened through the handle, for an app that wants to re-render (see InstallTestHandleOptions.onChange). */
export type TestHandleChange = 'reset' | 'seed' | 'clock' | 'call';

/** The handle as it sits on `window`: every method is async and takes and returns plain data. */
export interface FfTestHandle {
  readonly version: 1;
  /** True once the handle's event subscription is live. */
  readonly ready: true;
  /** The backend's database name. */
  readonly name: string;
  /** Replace the database with an empty one and forget the events seen so far. A virtual clock starts again at the wall time (or the pinned `clockStartMs`). */
  reset(): Promise<FlushResult>;
  seed(input: SeedInput): Promise<SeedResult>;
  status(): Promise<BackendStatus>;
  /** The engine clock (virtual or real). */
  now(): Promise<number>;
  /** Virtual time: move forward, running every scanner tick due on the way. */
  advance(ms: number): Promise<AdvanceResult>;
  /** Virtual time: jump to `at` (never backwards). */
  advanceTo(at: number): Promise<AdvanceResult>;
  /** Virtual time: the next scanner tick that would do work, e.g. `nextDue('budget_reset')`. */
  nextDue(scanner?: ScannerName): Promise<DueTick | null>;
  /** Any engine method by name (plus `status` and `flush`), with one input object. */
  call(method: string, input?: unknown): Promise<unknown>;
  /** The first event on `channel` matching `match` (see WaitForEventInput.after for which ones count). */
  waitForEvent<C extends BackendChannel>(input: WaitForEventInput<C>): Promise<EventOf<C>>;
  /** Events seen since install or the last reset, oldest first (at most the newest `limit`). */
  events(input?: { channel?: BackendChannel; limit?: number }): Promise<BackendEvent[]>;
  /** Save now; resolves once IndexedDB has the data. */
  flush(): Promise<FlushResult>;
}
