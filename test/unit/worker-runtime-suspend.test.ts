/**
 * job.suspend() in the worker runtime: the handler parks its execution on an
 * approval, the runtime neither completes nor fails it, and once approved a
 * plain claim runs the handler again with a `resumed` handle that observes
 * the approval.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createWorkerRuntime, ManualTimer, type WorkerRuntime, type WorkerRuntimeEvent } from '../../src/index.js';
import { makeEngine } from './helpers.js';
import { KID, SECRET } from './suspension-helpers.js';

const POLL = 250;
const until = (assertion: () => void) => vi.waitFor(assertion, { timeout: 2_000, interval: 1 });

const started: Array<{ runtime: WorkerRuntime; timer: ManualTimer }> = [];
afterEach(async () => {
  for (const { runtime, timer } of started.splice(0)) {
    const stopping = runtime.stop({ graceMs: 0 });
    timer.advance(0);
    await stopping;
  }
});

describe('job.suspend()', () => {
  it('suspends on an approval; the approved execution runs again as a resume attempt and completes', async () => {
    const { engine } = await makeEngine();
    engine.seedWaitpointHmacSecret({ kid: KID, secretHex: SECRET });
    const executionId = engine.createExecution({ laneId: 'l' }).executionId;
    const seen: string[] = [];
    const timer = new ManualTimer();
    const runtime = createWorkerRuntime(engine, {
      workerId: 'w',
      workerInstanceId: 'w-1',
      pollIntervalMs: POLL,
      timer,
      lanes: ['l'],
      handlers: {
        l: async (job) => {
          if (job.handle.kind !== 'resumed') {
            await job.suspend({ waitpoints: [{ kind: 'fresh', waitpointKey: 'approval' }], resumeCondition: { kind: 'approval' } });
            return 'ignored: suspended';
          }
          const signals = await job.observeSignals();
          seen.push(...signals.map((s) => s.signalName));
          return `resumed by ${signals[0]!.signalName}`;
        },
      },
    });
    const events: WorkerRuntimeEvent[] = [];
    runtime.onEvent((e) => events.push(e));
    runtime.start();
    started.push({ runtime, timer });

    await until(() => expect(runtime.status().suspended).toBe(1));
    expect(engine.readExecutionState({ executionId })).toBe('suspended');
    const [waitpoint] = engine.listPendingWaitpoints({ executionId }).entries;
    expect(events.find((e) => e.type === 'suspended')).toMatchObject({ executionId, waitpointIds: [waitpoint!.waitpointId] });

    engine.deliverApprovalSignal({ executionId, laneId: 'l', waitpointId: waitpoint!.waitpointId });
    timer.advance(POLL);
    await until(() => expect(runtime.status().completed).toBe(1));
    expect(events.map((e) => e.type)).toEqual(['claimed', 'suspended', 'claimed', 'completed']);
    expect(seen).toEqual(['approved']);
    expect(engine.getExecutionResult({ executionId })).toBe('resumed by approved');
  });
});
