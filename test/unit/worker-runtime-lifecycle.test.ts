/**
 * The worker runtime's lifecycle against a real in-process engine: stop()
 * and its grace, starting again, leases (renewals, a lease lost to expiry or
 * refusal) and the job context's calls (reportUsage, progress, delay).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineError } from '../../src/index.js';
import { makeEngine } from './helpers.js';
import { deferred, POLL, run, settle, stopStarted, until } from './worker-runtime-helpers.js';

afterEach(stopStarted);

describe('createWorkerRuntime: stop, leases and the job context', () => {
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
});
