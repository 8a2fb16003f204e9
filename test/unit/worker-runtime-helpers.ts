/**
 * Shared setup for the worker runtime tests: a started runtime on its own
 * ManualTimer with every event recorded, the engine behind a promise-returning
 * proxy (the browser client's shape), and the waits the runtime's microtask
 * steps need. Call `stopStarted()` after each test.
 */
import { vi } from 'vitest';
import {
  createWorkerRuntime,
  ManualTimer,
  type Engine,
  type WorkerRuntime,
  type WorkerRuntimeClient,
  type WorkerRuntimeEvent,
  type WorkerRuntimeOptions,
} from '../../src/index.js';

export const POLL = 250;

export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}
export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** Wait (in real time) until the assertion passes: the runtime runs on microtasks between our steps. */
export const until = (assertion: () => void) => vi.waitFor(assertion, { timeout: 2_000, interval: 1 });
/** Let every queued microtask run: with only ManualTimer timers, nothing more can happen until the test advances it. */
export const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

const started: Array<{ runtime: WorkerRuntime; timer: ManualTimer }> = [];

/** Stop every runtime `run` started (an afterEach of each file). */
export async function stopStarted(): Promise<void> {
  for (const { runtime, timer } of started.splice(0)) {
    const stopping = runtime.stop({ graceMs: 0 });
    timer.advance(0);
    await stopping;
  }
}

/** A started runtime on a ManualTimer, with every event recorded. */
export function run(client: WorkerRuntimeClient, options: Omit<WorkerRuntimeOptions, 'timer'>) {
  const timer = new ManualTimer();
  const runtime = createWorkerRuntime(client, { workerId: 'w', workerInstanceId: 'w-1', pollIntervalMs: POLL, ...options, timer });
  const events: WorkerRuntimeEvent[] = [];
  runtime.onEvent((e) => events.push(e));
  runtime.start();
  started.push({ runtime, timer });
  const types = () => events.map((e) => e.type);
  return { runtime, timer, events, types };
}

/** The engine as the browser client presents it: every method returns a promise. */
export function asyncClient(engine: Engine): WorkerRuntimeClient {
  return new Proxy(engine, {
    get(target, key) {
      const value = Reflect.get(target, key) as unknown;
      return typeof value === 'function' ? (...args: unknown[]) => Promise.resolve().then(() => value.apply(target, args)) : value;
    },
  }) as WorkerRuntimeClient;
}
