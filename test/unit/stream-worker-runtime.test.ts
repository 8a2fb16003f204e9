/**
 * The worker runtime's `job.appendFrame`: a handler streams output into its
 * attempt's stream while it works, and a stream closed under it (the
 * execution cancelled meanwhile) counts as a lost lease.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createWorkerRuntime, ManualTimer, type JobContext, type WorkerRuntime, type WorkerRuntimeEvent } from '../../src/index.js';
import { makeEngine } from './helpers.js';

const running: Array<{ runtime: WorkerRuntime; timer: ManualTimer }> = [];
afterEach(async () => {
  for (const { runtime, timer } of running.splice(0)) {
    const stopping = runtime.stop({ graceMs: 0 });
    timer.advance(0);
    await stopping;
  }
});

const until = (assertion: () => void) => vi.waitFor(assertion, { timeout: 2_000, interval: 1 });

describe('job.appendFrame', () => {
  it('streams frames and summary patches into the attempt being worked', async () => {
    const { engine } = await makeEngine();
    const { executionId } = engine.createExecution({ laneId: 'l' });
    const timer = new ManualTimer();
    const runtime = createWorkerRuntime(engine, {
      workerId: 'w',
      workerInstanceId: 'w-1',
      lanes: ['l'],
      timer,
      handlers: {
        l: async (job: JobContext) => {
          await job.appendFrame({ payload: 'working', kind: 'stdout' });
          await job.appendFrame({ payload: '{"stage":"done"}', mode: 'summary' });
          return 'ok';
        },
      },
    });
    running.push({ runtime, timer });
    runtime.start();
    await until(() => expect(engine.readExecutionState({ executionId })).toBe('completed'));
    const read = engine.readStream({ executionId, attemptIndex: 0 });
    expect(read.frames.map((f) => [f.mode, f.fields['payload']])).toEqual([['durable', 'working'], ['summary', '{"stage":"done"}']]);
    expect(read.closedReason).toBe('attempt_success');
    expect(engine.readSummary({ executionId, attemptIndex: 0 })!.document).toEqual({ stage: 'done' });
  });

  it('a stream closed under the handler (the execution cancelled) is a lost lease', async () => {
    const { engine } = await makeEngine();
    const { executionId } = engine.createExecution({ laneId: 'l' });
    const timer = new ManualTimer();
    let refusal: unknown;
    const runtime = createWorkerRuntime(engine, {
      workerId: 'w',
      workerInstanceId: 'w-1',
      lanes: ['l'],
      timer,
      handlers: {
        l: async (job: JobContext) => {
          engine.cancelExecution({ executionId });
          await job.appendFrame({ payload: 'too late' }).catch((err: unknown) => (refusal = err));
        },
      },
    });
    const events: WorkerRuntimeEvent[] = [];
    runtime.onEvent((e) => events.push(e));
    running.push({ runtime, timer });
    runtime.start();
    await until(() => expect(events.some((e) => e.type === 'lease_lost')).toBe(true));
    expect(refusal).toMatchObject({ code: 'state.stream_closed', details: { closedReason: 'attempt_cancelled' } });
    expect(events.find((e) => e.type === 'lease_lost')).toMatchObject({ executionId, code: 'state.stream_closed' });
    expect(engine.readStream({ executionId, attemptIndex: 0 }).frames).toEqual([]);
  });
});
