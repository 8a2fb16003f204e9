/**
 * The worker runtime against a real in-process engine (no engine mocks):
 * claiming and completing, concurrency, failures and retries, lanes and
 * capabilities, polling, client errors and bad options. Stop, leases and the
 * job context are in worker-runtime-lifecycle.test.ts. Time is split in two
 * on purpose: the engine's ManualClock (lease expiry, backoff) and the
 * runtime's ManualTimer (polling, renewals, stop grace), so a test can let a
 * lease run out while renewals never fire.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createWorkerRuntime,
  EngineError,
  PermanentError,
  type BrowserBackend,
  type Engine,
  type JobContext,
  type WorkerRuntimeClient,
  type WorkerRuntimeOptions,
} from '../../src/index.js';
import { makeEngine } from './helpers.js';
import { asyncClient, deferred, POLL, run, settle, stopStarted, until, type Deferred } from './worker-runtime-helpers.js';

// The browser client's type must fit the runtime too (a compile-time check).
const _browserBackendFits = (backend: BrowserBackend): WorkerRuntimeClient => backend;
void _browserBackendFits;

afterEach(stopStarted);

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
