/**
 * The worker runtime against a real in-process engine (no engine mocks).
 * Time is split in two on purpose: the engine's ManualClock (lease expiry,
 * backoff) and the runtime's ManualTimer (polling, renewals, stop grace), so
 * a test can let a lease run out while renewals never fire.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createWorkerRuntime,
  EngineError,
  ManualTimer,
  PermanentError,
  type Engine,
  type BrowserBackend,
  type JobContext,
  type WorkerRuntime,
  type WorkerRuntimeClient,
  type WorkerRuntimeEvent,
  type WorkerRuntimeOptions,
} from '../../src/index.js';
import { makeEngine } from './helpers.js';

// The browser client's type must fit the runtime too (a compile-time check).
const _browserBackendFits = (backend: BrowserBackend): WorkerRuntimeClient => backend;
void _browserBackendFits;

const POLL = 250;

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}
function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** Wait (in real time) until the assertion passes: the runtime runs on microtasks between our steps. */
const until = (assertion: () => void) => vi.waitFor(assertion, { timeout: 2_000, interval: 1 });
/** Let every queued microtask run: with only ManualTimer timers, nothing more can happen until the test advances it. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

const started: Array<{ runtime: WorkerRuntime; timer: ManualTimer }> = [];
afterEach(async () => {
  for (const { runtime, timer } of started.splice(0)) {
    const stopping = runtime.stop({ graceMs: 0 });
    timer.advance(0);
    await stopping;
  }
});

/** A started runtime on a ManualTimer, with every event recorded. */
function run(client: WorkerRuntimeClient, options: Omit<WorkerRuntimeOptions, 'timer'>) {
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
function asyncClient(engine: Engine): WorkerRuntimeClient {
  return new Proxy(engine, {
    get(target, key) {
      const value = Reflect.get(target, key) as unknown;
      return typeof value === 'function' ? (...args: unknown[]) => Promise.resolve().then(() => value.apply(target, args)) : value;
    },
  }) as WorkerRuntimeClient;
}

describe('createWorkerRuntime', () => {
  it('completes executions with the handler result: text and bytes as given, other values as JSON, undefined as none', async () => {
    const { engine } = await makeEngine();
    const ids = ['text', 'bytes', 'json', 'none'].map((kind) => engine.createExecution({ laneId: 'l', payload: kind }).executionId);
    const seen: Array<[string | Uint8Array | null, number]> = [];
    const { runtime, types } = run(engine, {
      lanes: ['l'],
      handlers: {
        l: (job: JobContext) => {
          seen.push([job.payload, job.attemptIndex]);
          if (job.payload === 'text') return 'done';
          if (job.payload === 'bytes') return new Uint8Array([1, 2, 3]);
          if (job.payload === 'json') return { sent: true, to: job.executionId };
          return undefined;
        },
      },
    });
    await until(() => expect(runtime.status().completed).toBe(4));
    expect(seen.map(([payload, attempt]) => `${String(payload)}@${attempt}`).sort()).toEqual(['bytes@0', 'json@0', 'none@0', 'text@0']);
    expect(ids.map((id) => engine.readExecutionState({ executionId: id }))).toEqual(['completed', 'completed', 'completed', 'completed']);
    expect(engine.getExecutionResult({ executionId: ids[0]! })).toBe('done');
    expect(engine.getExecutionResult({ executionId: ids[1]! })).toEqual(new Uint8Array([1, 2, 3]));
    expect(engine.getExecutionResult({ executionId: ids[2]! })).toBe(JSON.stringify({ sent: true, to: ids[2] }));
    expect(engine.getExecutionResult({ executionId: ids[3]! })).toBeNull();
    expect(types()).toEqual(['claimed', 'completed', 'claimed', 'completed', 'claimed', 'completed', 'claimed', 'completed']);
    expect(seen).toHaveLength(4);
    expect(runtime.status()).toMatchObject({ state: 'running', running: true, inFlight: 0, claimed: 4, failed: 0, errors: 0, lastError: null });
  });

  it('works the same against a promise-returning client (the browser client shape)', async () => {
    const { engine } = await makeEngine();
    const id = engine.createExecution({ laneId: 'l', payload: 'hi' }).executionId;
    const { runtime } = run(asyncClient(engine), { lanes: ['l'], handlers: { l: async (job) => `${String(job.payload)}!` } });
    await until(() => expect(runtime.status().completed).toBe(1));
    expect(engine.getExecutionResult({ executionId: id })).toBe('hi!');
  });

  it('runs up to `concurrency` handlers at once and claims the next as soon as a slot frees', async () => {
    const { engine } = await makeEngine();
    for (let i = 0; i < 5; i++) engine.createExecution({ laneId: 'l', payload: String(i) });
    const gates = new Map<string, Deferred<void>>();
    let running = 0;
    let peak = 0;
    const { runtime, timer } = run(engine, {
      lanes: ['l'],
      concurrency: 3,
      handlers: {
        l: async (job) => {
          running++;
          peak = Math.max(peak, running);
          const gate = deferred();
          gates.set(String(job.payload), gate);
          await gate.promise;
          running--;
        },
      },
    });
    await until(() => expect(gates.size).toBe(3));
    timer.advance(POLL * 4); // polling while full must not claim more
    expect(runtime.status()).toMatchObject({ inFlight: 3, claimed: 3 });
    const [first] = gates.values();
    first!.resolve();
    await until(() => expect(gates.size).toBe(4));
    expect(runtime.status()).toMatchObject({ inFlight: 3, claimed: 4, completed: 1 });
    for (const gate of gates.values()) gate.resolve();
    await until(() => expect(gates.size).toBe(5));
    [...gates.values()].at(-1)!.resolve();
    await until(() => expect(runtime.status().completed).toBe(5));
    expect(peak).toBe(3);
  });

  it('a throwing handler fails transiently; the retry becomes due after the backoff and the runtime picks it up', async () => {
    const { engine, clock } = await makeEngine();
    const id = engine.createExecution({ laneId: 'l', retryPolicy: { maxRetries: 2, backoff: { type: 'fixed', delayMs: 1_000 } } }).executionId;
    const { runtime, timer, events, types } = run(engine, {
      lanes: ['l'],
      handlers: {
        l: (job) => {
          if (job.attemptIndex === 0) throw new Error('flaky upstream');
          return 'second time lucky';
        },
      },
    });
    await until(() => expect(runtime.status().retryScheduled).toBe(1));
    expect(events[1]).toMatchObject({ type: 'retry_scheduled', executionId: id, reason: 'flaky upstream', failureClass: 'transient', delayUntil: clock.now() + 1_000, retryCount: 1 });

    timer.advance(POLL); // polled, but the backoff has not passed
    expect(engine.readExecutionState({ executionId: id })).toBe('delayed');
    clock.advance(1_000);
    timer.advance(POLL);
    await until(() => expect(runtime.status().completed).toBe(1));
    expect(types()).toEqual(['claimed', 'retry_scheduled', 'claimed', 'completed']);
    expect(engine.getExecutionResult({ executionId: id })).toBe('second time lucky');
    const attempts = engine.describeExecution({ executionId: id })!.attempts;
    expect(attempts.map((a) => [a.attemptIndex, a.outcome, a.failureReason])).toEqual([
      [0, 'retry', 'flaky upstream'],
      [1, 'success', null],
    ]);
  });

  it('a retry with zero backoff is picked up at once; running out of retries ends failed', async () => {
    const { engine } = await makeEngine();
    const id = engine.createExecution({ laneId: 'l', retryPolicy: { maxRetries: 1, backoff: { type: 'fixed', delayMs: 0 } } }).executionId;
    const { runtime, types } = run(engine, {
      lanes: ['l'],
      handlers: {
        l: () => {
          throw 'not even an Error';
        },
      },
    });
    await until(() => expect(runtime.status().failed).toBe(1));
    expect(types()).toEqual(['claimed', 'retry_scheduled', 'claimed', 'failed']);
    expect(engine.readExecutionState({ executionId: id })).toBe('failed');
    expect(engine.describeExecution({ executionId: id })!.lastFailureReason).toBe('not even an Error');
  });

  it('PermanentError, or any thrown value with failureClass permanent, fails at once despite retries left', async () => {
    const { engine } = await makeEngine();
    const policy = { maxRetries: 5, backoff: { type: 'fixed' as const, delayMs: 0 } };
    const a = engine.createExecution({ laneId: 'l', payload: 'class', retryPolicy: policy }).executionId;
    const b = engine.createExecution({ laneId: 'l', payload: 'object', retryPolicy: policy }).executionId;
    const { runtime, events } = run(engine, {
      lanes: ['l'],
      handlers: {
        l: (job) => {
          if (job.payload === 'class') throw new PermanentError('bad input');
          throw { failureClass: 'permanent', message: 'also bad' };
        },
      },
    });
    await until(() => expect(runtime.status().failed).toBe(2));
    expect(events.filter((e) => e.type === 'failed')).toMatchObject([
      { executionId: a, reason: 'bad input', failureClass: 'permanent' },
      { executionId: b, reason: 'also bad', failureClass: 'permanent' },
    ]);
    expect(runtime.status().retryScheduled).toBe(0);
    expect([a, b].map((id) => engine.readExecutionState({ executionId: id }))).toEqual(['failed', 'failed']);
  });

  it('stop() stops claiming and waits for the running handler to finish and report', async () => {
    const { engine } = await makeEngine();
    const id = engine.createExecution({ laneId: 'l' }).executionId;
    const gate = deferred();
    const { runtime, timer } = run(engine, { lanes: ['l'], handlers: { l: () => gate.promise.then(() => 'drained') } });
    await until(() => expect(runtime.status().inFlight).toBe(1));
    const later = engine.createExecution({ laneId: 'l' }).executionId;

    let stoppedWith: number | undefined;
    const stopping = runtime.stop().then((n) => (stoppedWith = n));
    expect(runtime.status()).toMatchObject({ state: 'stopping', running: false, inFlight: 1 });
    timer.advance(POLL * 10);
    await Promise.resolve();
    expect(stoppedWith).toBeUndefined();
    gate.resolve();
    await stopping;
    expect(stoppedWith).toBe(0);
    expect(runtime.status()).toMatchObject({ state: 'stopped', inFlight: 0, completed: 1, claimed: 1 });
    expect(engine.getExecutionResult({ executionId: id })).toBe('drained');
    timer.advance(POLL * 10);
    expect(engine.readExecutionState({ executionId: later })).toBe('waiting');
  });

  it('starts again after stop(), and counts a claimed job as in flight from its claimed event on', async () => {
    const { engine } = await makeEngine();
    const { runtime, timer } = run(engine, { lanes: ['l'], handlers: { l: () => 'ok' } });
    const inFlightAtClaim: number[] = [];
    runtime.onEvent((e) => {
      if (e.type === 'claimed') inFlightAtClaim.push(runtime.status().inFlight);
    });
    const stopping = runtime.stop({ graceMs: 0 });
    timer.advance(0);
    expect(await stopping).toBe(0);
    const id = engine.createExecution({ laneId: 'l' }).executionId;
    timer.advance(POLL * 4);
    expect(engine.readExecutionState({ executionId: id })).toBe('waiting');
    runtime.start();
    await until(() => expect(runtime.status().completed).toBe(1));
    expect(inFlightAtClaim).toEqual([1]);
    expect(runtime.status().state).toBe('running');
  });

  it('stop() with a grace shorter than a stuck handler returns 1, aborts its signal, and never calls the engine for it again', async () => {
    const { engine } = await makeEngine();
    const id = engine.createExecution({ laneId: 'l' }).executionId;
    const gate = deferred();
    let signal: AbortSignal | undefined;
    const { runtime, timer } = run(engine, {
      lanes: ['l'],
      handlers: {
        l: async (job) => {
          signal = job.signal;
          await gate.promise; // ignores the signal
          return 'too late';
        },
      },
    });
    await until(() => expect(runtime.status().inFlight).toBe(1));
    const stopping = runtime.stop({ graceMs: 100 });
    timer.advance(99);
    expect(signal!.aborted).toBe(false);
    timer.advance(1);
    expect(await stopping).toBe(1);
    expect(signal!.aborted).toBe(true);
    expect(runtime.status()).toMatchObject({ state: 'stopped', inFlight: 0 });

    gate.resolve();
    await settle();
    expect(engine.readExecutionState({ executionId: id })).toBe('active'); // left to expire and be reclaimed
    expect(runtime.status().completed).toBe(0);
  });

  it('a handler that outlives its lease (no renewals) gets lease_lost; its late complete is refused and the loop goes on', async () => {
    const { engine, clock } = await makeEngine();
    const slow = engine.createExecution({ laneId: 'l', payload: 'slow' }).executionId;
    const gate = deferred();
    const { runtime, timer, events } = run(engine, {
      lanes: ['l'],
      leaseTtlMs: 3_000,
      handlers: { l: (job) => (job.payload === 'slow' ? gate.promise.then(() => 'late') : 'quick') },
    });
    await until(() => expect(runtime.status().inFlight).toBe(1));
    clock.advance(3_001); // the engine's lease runs out; the runtime's timer never fired a renewal
    gate.resolve();
    await until(() => expect(runtime.status().leaseLost).toBe(1));
    expect(events.at(-1)).toMatchObject({ type: 'lease_lost', executionId: slow, code: 'state.lease_expired' });
    expect(runtime.status()).toMatchObject({ running: true, inFlight: 0, completed: 0, failed: 0, errors: 0 });
    expect(engine.getExecutionResult({ executionId: slow })).toBeNull();

    const next = engine.createExecution({ laneId: 'l', payload: 'next' }).executionId;
    timer.advance(POLL);
    await until(() => expect(runtime.status().completed).toBe(1));
    expect(engine.getExecutionResult({ executionId: next })).toBe('quick');
  });

  it('renews the lease every third of its TTL, so a long handler keeps it', async () => {
    const { engine, clock } = await makeEngine();
    const id = engine.createExecution({ laneId: 'l' }).executionId;
    const gate = deferred();
    const { runtime, timer } = run(engine, { lanes: ['l'], leaseTtlMs: 3_000, handlers: { l: () => gate.promise.then(() => 'kept') } });
    await until(() => expect(runtime.status().inFlight).toBe(1));
    for (let i = 0; i < 6; i++) {
      clock.advance(1_000);
      timer.advance(1_000); // the renewal (sync engine) runs inside the timer callback
      expect(engine.describeExecution({ executionId: id })!.attempts[0]!.leaseExpiresAtMs).toBe(clock.now() + 3_000);
      await until(() => expect(timer.pending).toBe(1)); // the next renewal is scheduled once this one has landed
    }
    gate.resolve();
    await until(() => expect(runtime.status().completed).toBe(1));
    expect(engine.getExecutionResult({ executionId: id })).toBe('kept');
  });

  it('a refused renewal aborts the signal and emits lease_lost; the handler result is then dropped', async () => {
    const { engine, clock } = await makeEngine();
    const id = engine.createExecution({ laneId: 'l' }).executionId;
    const { runtime, timer, types } = run(engine, {
      lanes: ['l'],
      leaseTtlMs: 3_000,
      handlers: {
        l: (job) =>
          new Promise((resolve) => job.signal.addEventListener('abort', () => resolve(`aborted: ${(job.signal.reason as EngineError).code}`))),
      },
    });
    await until(() => expect(runtime.status().inFlight).toBe(1));
    clock.advance(3_000);
    timer.advance(1_000);
    await until(() => expect(runtime.status().inFlight).toBe(0));
    expect(types()).toEqual(['claimed', 'lease_lost']);
    expect(runtime.status()).toMatchObject({ leaseLost: 1, completed: 0, errors: 0 });
    expect(engine.getExecutionResult({ executionId: id })).toBeNull();
  });

  it('reportUsage from a job hits the budget, fenced by the job handle', async () => {
    const { engine } = await makeEngine();
    engine.createBudget({ budgetId: 'tokens', dimensions: [{ name: 'tokens', hardLimit: 100 }] });
    const id = engine.createExecution({ laneId: 'llm' }).executionId;
    const { runtime } = run(engine, {
      lanes: ['llm'],
      handlers: {
        llm: async (job) => {
          const first = await job.reportUsage('tokens', { tokens: 60 }, 'call-1');
          const repeat = await job.reportUsage('tokens', { tokens: 60 }, 'call-1');
          const over = await job.reportUsage('tokens', { tokens: 60 });
          return [first.kind, repeat.kind, over.kind];
        },
      },
    });
    await until(() => expect(runtime.status().completed).toBe(1));
    expect(engine.getExecutionResult({ executionId: id })).toBe('["ok","already_applied","hard_breach"]');
    expect(engine.getBudgetStatus({ budgetId: 'tokens' })).toMatchObject({ usage: { tokens: 60 }, breachCount: 1 });
  });

  it('progress() and delay() go through the job handle; a delayed execution is not completed and comes back later', async () => {
    const { engine, clock } = await makeEngine();
    const id = engine.createExecution({ laneId: 'l' }).executionId;
    const { runtime, timer, types } = run(engine, {
      lanes: ['l'],
      handlers: {
        l: async (job) => {
          await job.progress(50, 'half way');
          if (job.attemptIndex === 0) {
            await job.delay(clock.now() + 5_000);
            return 'ignored: handed back';
          }
          return 'after the delay';
        },
      },
    });
    await until(() => expect(runtime.status().delayed).toBe(1));
    expect(engine.readExecutionState({ executionId: id })).toBe('delayed');
    expect(engine.describeExecution({ executionId: id })!.progress).toEqual({ percent: 50, message: 'half way' });
    clock.advance(5_000);
    timer.advance(POLL);
    await until(() => expect(runtime.status().completed).toBe(1));
    expect(types()).toEqual(['claimed', 'delayed', 'claimed', 'completed']);
    expect(engine.getExecutionResult({ executionId: id })).toBe('after the delay');
  });

  it('serves several lanes, each with its own handler, taking turns so no lane starves', async () => {
    const { engine } = await makeEngine();
    for (let i = 0; i < 3; i++) {
      engine.createExecution({ laneId: 'emails', payload: `e${i}` });
      engine.createExecution({ laneId: 'images', payload: `i${i}` });
    }
    const { runtime, events } = run(engine, {
      lanes: ['emails', 'images'],
      handlers: { emails: (job) => `sent ${String(job.payload)}`, images: (job) => `resized ${String(job.payload)}` },
    });
    await until(() => expect(runtime.status().completed).toBe(6));
    expect(events.filter((e) => e.type === 'claimed').map((e) => e.laneId)).toEqual(['emails', 'images', 'emails', 'images', 'emails', 'images']);
    const results = engine.listExecutions({}).executions.map((e) => engine.getExecutionResult({ executionId: e.executionId }));
    expect(results.sort()).toEqual(['resized i0', 'resized i1', 'resized i2', 'sent e0', 'sent e1', 'sent e2']);
  });

  it('claims only executions whose required capabilities it holds', async () => {
    const { engine } = await makeEngine();
    const gpu = engine.createExecution({ laneId: 'l', requiredCapabilities: ['gpu'], payload: 'gpu' }).executionId;
    const plain = engine.createExecution({ laneId: 'l', payload: 'plain' }).executionId;
    const cpu = run(engine, { lanes: ['l'], capabilities: ['cpu'], handlers: { l: (job) => `cpu ran ${String(job.payload)}` } });
    await until(() => expect(cpu.runtime.status().completed).toBe(1));
    cpu.timer.advance(POLL * 5);
    expect(cpu.runtime.status().claimed).toBe(1);
    expect(engine.getExecutionResult({ executionId: plain })).toBe('cpu ran plain');
    expect(engine.readExecutionState({ executionId: gpu })).toBe('waiting');

    const gpuWorker = run(engine, { lanes: ['l'], workerInstanceId: 'w-2', capabilities: ['gpu', 'cpu'], handlers: { l: () => 'gpu ran' } });
    await until(() => expect(gpuWorker.runtime.status().completed).toBe(1));
    expect(engine.getExecutionResult({ executionId: gpu })).toBe('gpu ran');
  });

  it('polls once per interval when idle, instead of spinning', async () => {
    const { engine } = await makeEngine();
    let claims = 0;
    const counting: WorkerRuntimeClient = Object.assign(Object.create(engine) as Engine, {
      claim: (input: Parameters<Engine['claim']>[0]) => (claims++, engine.claim(input)),
    });
    const { timer } = run(counting, { lanes: ['a', 'b'], handlers: { a: () => 'a', b: () => 'b' } });
    await until(() => expect(claims).toBe(2));
    await settle(); // one pass over both lanes found nothing: the loop waits on its one poll timer
    expect(claims).toBe(2);
    expect(timer.pending).toBe(1);
    expect(timer.advance(POLL - 1)).toBe(0);
    await settle();
    expect(claims).toBe(2);
    expect(timer.advance(1)).toBe(1);
    await until(() => expect(claims).toBe(4));
  });

  it('a failing client call is reported (status.lastError, an error event) and the loop keeps going', async () => {
    const { engine } = await makeEngine();
    const id = engine.createExecution({ laneId: 'l' }).executionId;
    let failures = 1;
    const flaky: WorkerRuntimeClient = Object.assign(Object.create(engine) as Engine, {
      claim: (input: Parameters<Engine['claim']>[0]) => {
        if (failures-- > 0) throw new EngineError('transport', 'disk on fire');
        return engine.claim(input);
      },
    });
    const { runtime, timer, events } = run(flaky, { lanes: ['l'], handlers: { l: () => 'ok' } });
    runtime.onEvent(() => {
      throw new Error('a broken listener');
    });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    await until(() => expect(runtime.status().errors).toBe(1));
    expect(runtime.status().lastError).toEqual({ op: 'claim', message: 'disk on fire', code: 'transport', executionId: null });
    expect(events[0]).toMatchObject({ type: 'error', op: 'claim', code: 'transport' });
    timer.advance(POLL);
    await until(() => expect(runtime.status().completed).toBe(1));
    expect(engine.getExecutionResult({ executionId: id })).toBe('ok');
    expect(warn).toHaveBeenCalled();
    warn.mockRestore();
  });

  it('a result the engine refuses (too large) fails the attempt instead of letting the lease lapse', async () => {
    const { engine } = await makeEngine({ maxPayloadBytes: 16 });
    const id = engine.createExecution({ laneId: 'l' }).executionId;
    const { runtime, types } = run(engine, { lanes: ['l'], handlers: { l: () => 'x'.repeat(100) } });
    await until(() => expect(runtime.status().failed).toBe(1));
    expect(types()).toEqual(['claimed', 'error', 'failed']);
    expect(runtime.status().lastError).toMatchObject({ op: 'completeExecution', code: 'validation.invalid_input', executionId: id });
    expect(engine.describeExecution({ executionId: id })!.lastFailureReason).toMatch(/^completeExecution was refused: /);
  });

  it('rejects bad options with a validation error naming the field', async () => {
    const { engine } = await makeEngine();
    const field = (options: WorkerRuntimeOptions) => {
      try {
        createWorkerRuntime(engine, options);
      } catch (error) {
        return [(error as EngineError).code, (error as EngineError).details['field']];
      }
      return null;
    };
    expect(field({ lanes: [], handlers: {} })).toEqual(['validation.invalid_input', 'lanes']);
    expect(field({ lanes: ['a'], handlers: {} })).toEqual(['validation.invalid_input', 'handlers.a']);
    expect(field({ lanes: ['a'], handlers: { a: () => 1, b: () => 2 } })).toEqual(['validation.invalid_input', 'handlers.b']);
    expect(field({ lanes: ['a'], handlers: { a: () => 1 }, concurrency: 0 })).toEqual(['validation.invalid_input', 'concurrency']);
    expect(field({ lanes: ['a'], handlers: { a: () => 1 }, leaseTtlMs: 1.5 })).toEqual(['validation.invalid_input', 'leaseTtlMs']);
    expect(field({ lanes: ['a'], handlers: { a: () => 1 } })).toBeNull();
  });
});
