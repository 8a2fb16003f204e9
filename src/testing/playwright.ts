/**
 * A Playwright fixture for apps built on the browser backend. Each test gets
 * its own database (the app must take its name from a URL parameter), a
 * typed handle whose methods run against the app's test handle (see
 * installTestHandle) through `page.evaluate`, clock control, and a reset
 * when the test ends.
 *
 *   import { test, expect } from 'ff-backend-browser/testing/playwright';
 *   test('resets at midnight', async ({ page, ffBackend }) => {
 *     await ffBackend.seed({ budgets: [{ budgetId: 'b', dimensions: [{ name: 'tokens', hardLimit: 10 }], resetIntervalMs: 86_400_000 }] });
 *     await ffBackend.clock.toNext('budget_reset');
 *     await expect(page.getByTestId('reset-count')).toHaveText('1');
 *   });
 *
 * `@playwright/test` is an optional peer dependency: only this module needs it.
 */
import type { ScannerName } from '../scanners/scanner.js';
import { test as base, type Page } from '@playwright/test';
import { EngineError, type EngineErrorCode, type ErrorDetails } from '../api/errors.js';
import { checkClock } from './clock-switch.js';
import type { DueTick } from '../scanners/supervisor.js';
import type { BackendChannel, BackendEvent, BackendStatus, FlushResult } from '../worker/protocol.js';
import type { RemoteEngine, RemoteEngineMethod } from '../worker/remote-methods.js';
import {
  DEFAULT_GLOBAL_NAME,
  HANDLE_ERROR_MARKER,
  type AdvanceResult,
  type EventOf,
  type FfTestHandle,
  type SeedInput,
  type SeedResult,
  type WaitForEventInput,
} from './handle-types.js';

export { expect } from '@playwright/test';

export interface FfBackendOptions {
  /** The app page to open. @default '/' */
  path: string;
  /** The URL parameter the app reads its database name from. @default 'db' */
  dbParam: string;
  /** More URL parameters; with the defaults, `testHandle=1&clock=virtual` (the playground's switches). */
  params: Record<string, string>;
  /** The app's installTestHandle globalName. @default '__ffBackend' */
  globalName: string;
  /** Open the app before the test starts. @default true */
  autoOpen: boolean;
  /** Reset the database when the test ends. @default true */
  resetAfterEach: boolean;
  /** How long to wait for the app's handle after navigating. @default 20000 */
  readyTimeoutMs: number;
  /**
   * Pin the virtual clock's first reading (sent as `clockStart`). By default
   * the engine's virtual time starts at the current wall time, like the page's.
   */
  clockStartMs?: number;
}

export const DEFAULT_FF_BACKEND_OPTIONS: FfBackendOptions = {
  path: '/',
  dbParam: 'db',
  params: { testHandle: '1', clock: 'virtual' },
  globalName: DEFAULT_GLOBAL_NAME,
  autoOpen: true,
  resetAfterEach: true,
  readyTimeoutMs: 20_000,
};

/** Engine calls by name, typed as in the browser client. */
type CallArgs<M extends RemoteEngineMethod> = Parameters<RemoteEngine[M]>;

export interface FfBackendClock {
  now(): Promise<number>;
  advance(ms: number): Promise<AdvanceResult>;
  advanceTo(at: number): Promise<AdvanceResult>;
  /** Jump to the next tick of `scanner` that has work (e.g. 'budget_reset'); null when none is pending. */
  toNext(scanner?: ScannerName): Promise<AdvanceResult | null>;
}

/** What a test receives as `ffBackend`. */
export interface FfBackend {
  readonly page: Page;
  /** This test's database name (the value of the `db` parameter). */
  readonly dbName: string;
  /** The app URL for this test's database, with `extra` parameters. */
  url(extra?: Record<string, string>): string;
  /** Navigate to the app (optionally with extra parameters) and wait for its handle. */
  open(extra?: Record<string, string>): Promise<void>;
  /** flush(), reload the page, wait for the handle again. */
  reload(): Promise<void>;
  reset(): Promise<FlushResult>;
  seed(input: SeedInput): Promise<SeedResult>;
  status(): Promise<BackendStatus>;
  now(): Promise<number>;
  advance(ms: number): Promise<AdvanceResult>;
  advanceTo(at: number): Promise<AdvanceResult>;
  nextDue(scanner?: ScannerName): Promise<DueTick | null>;
  call<M extends RemoteEngineMethod>(method: M, ...args: CallArgs<M>): Promise<Awaited<ReturnType<RemoteEngine[M]>>>;
  waitForEvent<C extends BackendChannel>(input: WaitForEventInput<C>): Promise<EventOf<C>>;
  events(input?: { channel?: BackendChannel; limit?: number }): Promise<BackendEvent[]>;
  flush(): Promise<FlushResult>;
  readonly clock: FfBackendClock;
}

export interface FfBackendFixtures {
  ffBackend: FfBackend;
}
export interface FfBackendTestOptions {
  ffBackendOptions: Partial<FfBackendOptions>;
}

export const test = base.extend<FfBackendFixtures & FfBackendTestOptions>({
  ffBackendOptions: [{}, { option: true }],
  ffBackend: async ({ page, ffBackendOptions }, use, testInfo) => {
    const options = { ...DEFAULT_FF_BACKEND_OPTIONS, ...ffBackendOptions, params: { ...DEFAULT_FF_BACKEND_OPTIONS.params, ...ffBackendOptions.params } };
    const dbName = `test-${testInfo.workerIndex}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    const ff = createFfBackend(page, dbName, options);
    if (options.autoOpen) await ff.open();
    await use(ff);
    if (options.resetAfterEach && !page.isClosed()) {
      // The page may have navigated away or crashed: a failed reset must not hide the test's own result.
      await ff.reset().catch(() => {});
    }
  },
});

/** The handle for one page and database; exported for apps that compose their own fixtures. */
export function createFfBackend(page: Page, dbName: string, options: FfBackendOptions): FfBackend {
  const invoke = async <T>(method: keyof FfTestHandle, args: unknown[]): Promise<T> => {
    try {
      return (await page.evaluate(
        ([globalName, method, args]) => {
          const handle = (globalThis as unknown as Record<string, Record<string, (...a: unknown[]) => unknown> | undefined>)[globalName];
          if (!handle) throw new Error(`no test handle at window.${globalName}: did the app call installTestHandle (is the URL's testHandle switch on)?`);
          return handle[method]!(...args);
        },
        [options.globalName, method, args] as const,
      )) as T;
    } catch (err) {
      throw rethrown(err);
    }
  };
  const url = (extra: Record<string, string> = {}): string => {
    const start = options.clockStartMs === undefined ? {} : { clockStart: String(options.clockStartMs) };
    const query = new URLSearchParams({ ...options.params, ...start, [options.dbParam]: dbName, ...extra });
    return `${options.path}${options.path.includes('?') ? '&' : '?'}${query}`;
  };
  const waitReady = async (): Promise<void> => {
    await page.waitForFunction((name) => (globalThis as unknown as Record<string, { ready?: boolean } | undefined>)[name]?.ready === true, options.globalName, {
      timeout: options.readyTimeoutMs,
    });
  };
  const advance = (ms: number): Promise<AdvanceResult> => invoke('advance', [ms]);
  const advanceTo = (at: number): Promise<AdvanceResult> => invoke('advanceTo', [at]);
  const nextDue = (scanner?: ScannerName): Promise<DueTick | null> => invoke('nextDue', scanner === undefined ? [] : [scanner]);
  const now = (): Promise<number> => invoke('now', []);
  return {
    page,
    dbName,
    url,
    async open(extra) {
      await page.goto(url(extra));
      await waitReady();
      await checkClock({ ...options.params, ...extra }['clock'], () => invoke<BackendStatus>('status', []));
    },
    async reload() {
      await invoke('flush', []);
      await page.reload();
      await waitReady();
    },
    reset: () => invoke('reset', []),
    seed: (input) => invoke('seed', [input]),
    status: () => invoke('status', []),
    now,
    advance,
    advanceTo,
    nextDue,
    call: (method, ...args) => invoke('call', [method, ...args]),
    waitForEvent: (input) => invoke('waitForEvent', [input]),
    events: (input) => invoke('events', [input ?? {}]),
    flush: () => invoke('flush', []),
    clock: {
      now,
      advance,
      advanceTo,
      async toNext(scanner) {
        const due = await nextDue(scanner);
        return due ? advanceTo(due.at) : null;
      },
    },
  };
}

/** An EngineError from the page comes back as one (see HANDLE_ERROR_MARKER); anything else as it was. */
function rethrown(err: unknown): unknown {
  const message = err instanceof Error ? err.message : String(err);
  const at = message.indexOf(HANDLE_ERROR_MARKER);
  if (at < 0) return err;
  const json = message.slice(at + HANDLE_ERROR_MARKER.length).split('\n')[0]!;
  try {
    const plain = JSON.parse(json) as { code: EngineErrorCode; message: string; details: ErrorDetails };
    return new EngineError(plain.code, plain.message, plain.details);
  } catch {
    return err;
  }
}
