/**
 * installTestHandle: an opt-in handle on `window` through which end-to-end
 * tests drive a browser backend with `page.evaluate` — reset, seed, read
 * status, move the virtual clock, wait for an event. The app decides when
 * to install it (for example only when its URL has `?testHandle=1`); nothing
 * is exposed otherwise.
 */
import type { ScannerName } from '../scanners/scanner.js';
import { EngineError } from '../api/errors.js';
import type { BrowserBackend, Subscription } from '../client/browser-backend.js';
import { BACKEND_CHANNELS, type BackendChannel, type BackendEvent } from '../worker/protocol.js';
import { REMOTE_ENGINE_METHODS } from '../worker/remote-methods.js';
import {
  DEFAULT_GLOBAL_NAME,
  HANDLE_ERROR_MARKER,
  type AdvanceResult,
  type FfTestHandle,
  type SeedInput,
  type SeedResult,
  type TestHandleChange,
  type WaitForEventInput,
} from './handle-types.js';

export interface InstallTestHandleOptions {
  /** @default '__ffBackend' */
  globalName?: string;
  /** Told after each change made through the handle, so the app can re-render (and, after 'reset', drop what it cached). */
  onChange?: (change: TestHandleChange) => void;
  /** Events kept for waitForEvent/events. @default 2000 */
  bufferSize?: number;
}

export interface InstalledTestHandle {
  readonly handle: FfTestHandle;
  /** Remove the global and stop listening. */
  uninstall(): Promise<void>;
}

/** Methods `call()` accepts besides the engine's. */
const EXTRA_METHODS = new Set(['status', 'flush']);
const CALLABLE = new Set<string>([...REMOTE_ENGINE_METHODS, ...EXTRA_METHODS]);
const DEFAULT_WAIT_MS = 5_000;

export async function installTestHandle(backend: BrowserBackend, options: InstallTestHandleOptions = {}): Promise<InstalledTestHandle> {
  const globalName = options.globalName ?? DEFAULT_GLOBAL_NAME;
  const bufferSize = options.bufferSize ?? 2_000;
  const changed = (change: TestHandleChange): void => options.onChange?.(change);
  const buffer: BackendEvent[] = [];
  const waiters = new Set<(event: BackendEvent) => void>();
  const subscription: Subscription = await backend.subscribe({ channels: [...BACKEND_CHANNELS] }, (event) => {
    buffer.push(event);
    if (buffer.length > bufferSize) buffer.shift();
    for (const waiter of [...waiters]) waiter(event);
  });
  const { name } = await backend.status();

  const advanced = (result: { reports: { processed: number }[]; reachedAt: number; ticks: number; finished: boolean }): AdvanceResult => {
    changed('clock');
    return {
      now: result.reachedAt,
      ticks: result.ticks,
      processed: result.reports.reduce((n, r) => n + r.processed, 0),
      finished: result.finished,
    };
  };

  const handle: FfTestHandle = {
    version: 1,
    ready: true,
    name,
    reset: guard(async () => {
      const result = await backend.reset();
      buffer.length = 0;
      changed('reset');
      return result;
    }),
    seed: guard(async (input: SeedInput) => {
      const result = await seed(backend, input ?? {});
      changed('seed');
      return result;
    }),
    status: guard(() => backend.status()),
    now: guard(() => backend.now()),
    advance: guard(async (ms: number) => advanced(await backend.advanceTime({ ms }))),
    advanceTo: guard(async (at: number) => advanced(await backend.advanceTimeTo({ at }))),
    nextDue: guard((scanner?: ScannerName) => backend.nextDue(scanner === undefined ? {} : { scanner })),
    call: guard(async (method: string, input?: unknown) => {
      if (!CALLABLE.has(method)) throw new EngineError('validation.invalid_input', `call: '${method}' is not a backend method`, { field: 'method' });
      const fn = (backend as unknown as Record<string, (arg?: unknown) => Promise<unknown>>)[method]!;
      const result = await (input === undefined ? fn() : fn(input));
      if (!method.startsWith('read') && !method.startsWith('list') && !method.startsWith('describe') && method !== 'status' && method !== 'now') {
        changed(method.startsWith('advance') || method === 'runDueScanners' ? 'clock' : 'call');
      }
      return result;
    }),
    waitForEvent: guard((input: WaitForEventInput) => waitForEvent(buffer, waiters, input)) as FfTestHandle['waitForEvent'],
    events: guard(async (input: { channel?: BackendChannel; limit?: number } = {}) => {
      const events = input.channel ? buffer.filter((e) => e.channel === input.channel) : [...buffer];
      return input.limit === undefined ? events : events.slice(-input.limit);
    }),
    flush: guard(() => backend.flush()),
  };
  Object.freeze(handle);
  (globalThis as unknown as Record<string, unknown>)[globalName] = handle;

  return {
    handle,
    async uninstall() {
      if ((globalThis as unknown as Record<string, unknown>)[globalName] === handle) delete (globalThis as unknown as Record<string, unknown>)[globalName];
      waiters.clear();
      await subscription.unsubscribe();
    },
  };
}

async function seed(backend: BrowserBackend, input: SeedInput): Promise<SeedResult> {
  const result: SeedResult = { budgetIds: [], quotaPolicyIds: [], workerInstanceIds: [], executionIds: [] };
  for (const budget of input.budgets ?? []) {
    await backend.createBudget(budget);
    result.budgetIds.push(budget.budgetId);
  }
  for (const policy of input.quotaPolicies ?? []) {
    await backend.createQuotaPolicy(policy);
    result.quotaPolicyIds.push(policy.quotaPolicyId);
  }
  for (const worker of input.workers ?? []) {
    await backend.registerWorker(worker);
    result.workerInstanceIds.push(worker.workerInstanceId);
  }
  if (input.executions && input.executions.length > 0) {
    const created = await backend.createExecutions({ executions: input.executions });
    result.executionIds = created.results.map((r) => r.executionId);
  }
  return result;
}

function waitForEvent(buffer: readonly BackendEvent[], waiters: Set<(event: BackendEvent) => void>, input: WaitForEventInput): Promise<BackendEvent> {
  const { channel, match = {}, timeoutMs = DEFAULT_WAIT_MS, after } = input;
  if (!BACKEND_CHANNELS.includes(channel)) {
    throw new EngineError('validation.invalid_input', `waitForEvent: channel must be one of ${BACKEND_CHANNELS.join(', ')}`, { field: 'channel' });
  }
  const afterSeq = after === undefined || after === 'now' ? null : sequenceOf(after);
  const wanted = (event: BackendEvent): boolean =>
    event.channel === channel && (afterSeq === null || sequenceOf(event.cursor) > afterSeq) && matches(event, match);
  if (after !== 'now') {
    const seen = buffer.find(wanted);
    if (seen) return Promise.resolve(seen);
  }
  return new Promise((resolve, reject) => {
    const waiter = (event: BackendEvent): void => {
      if (!wanted(event)) return;
      clearTimeout(timer);
      waiters.delete(waiter);
      resolve(event);
    };
    const timer = setTimeout(() => {
      waiters.delete(waiter);
      reject(new Error(`waitForEvent: no '${channel}' event matching ${JSON.stringify(match)} within ${timeoutMs} ms`));
    }, timeoutMs);
    waiters.add(waiter);
  });
}

/** The number a cursor ends with: the event id (outbox channels) or the sequence (scanner). */
function sequenceOf(cursor: string): number {
  return Number(cursor.slice(cursor.lastIndexOf(':') + 1));
}

/** Does `actual` contain `expected` (see EventMatch)? */
export function matches(actual: unknown, expected: Readonly<Record<string, unknown>>): boolean {
  if (typeof actual !== 'object' || actual === null) return false;
  const record = actual as Record<string, unknown>;
  return Object.entries(expected).every(([key, want]) => {
    const got = record[key];
    if (typeof want === 'object' && want !== null && !Array.isArray(want)) return matches(got, want as Record<string, unknown>);
    if (Array.isArray(want)) return JSON.stringify(got) === JSON.stringify(want);
    return Object.is(got, want);
  });
}

/** Wrap a handle method so an EngineError keeps its code and details across page.evaluate (see HANDLE_ERROR_MARKER). */
function guard<A extends unknown[], R>(fn: (...args: A) => R | Promise<R>): (...args: A) => Promise<R> {
  return async (...args) => {
    try {
      return await fn(...args);
    } catch (err) {
      if (err instanceof EngineError) {
        throw new Error(`${HANDLE_ERROR_MARKER}${JSON.stringify({ code: err.code, message: err.message, details: err.details })}`);
      }
      throw err;
    }
  };
}
