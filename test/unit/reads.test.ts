import { describe, expect, it } from 'vitest';
import { makeEngine, WORKER } from './helpers.js';

describe('createExecution and reads', () => {
  it('creating the same id twice is a duplicate and keeps the first', async () => {
    const { engine } = await makeEngine();
    const executionId = '{fp:0}:0b5a3c1e-8a5d-4c7e-9f00-123456789abc';
    expect(engine.createExecution({ executionId, laneId: 'l', priority: 1 })).toEqual({ kind: 'created', executionId, publicState: 'waiting' });
    expect(engine.createExecution({ executionId, laneId: 'other', priority: 9 })).toEqual({ kind: 'duplicate', executionId });
    expect(engine.readExecutionInfo({ executionId })).toMatchObject({ laneId: 'l', priority: 1 });
    expect(engine.listExecutions().executions).toHaveLength(1);
  });

  it('mints {fp:0}:<uuid> ids, reproducibly from a seed', async () => {
    const a = await makeEngine({ seed: 1 });
    const b = await makeEngine({ seed: 1 });
    const ida = a.engine.createExecution({ laneId: 'l' }).executionId;
    expect(ida).toMatch(/^\{fp:0\}:[0-9a-f-]{36}$/);
    expect(b.engine.createExecution({ laneId: 'l' }).executionId).toBe(ida);
  });

  it('readExecutionInfo reports the whole state and the inputs', async () => {
    const { engine, clock } = await makeEngine();
    const id = engine.createExecution({
      laneId: 'l',
      namespace: 'ns',
      executionKind: 'email',
      priority: 3,
      tags: { 'app.user': 'u1' },
      requiredCapabilities: ['b', 'a', 'a'],
      deadlineAtMs: clock.now() + 60_000,
    }).executionId;
    expect(engine.readExecutionInfo({ executionId: id })).toEqual({
      executionId: id,
      namespace: 'ns',
      executionKind: 'email',
      laneId: 'l',
      flowId: null,
      priority: 3,
      stateVector: {
        lifecyclePhase: 'runnable',
        ownershipState: 'unowned',
        eligibilityState: 'eligible_now',
        blockingReason: 'waiting_for_worker',
        terminalOutcome: 'none',
        attemptState: 'pending_first_attempt',
        publicState: 'waiting',
      },
      publicState: 'waiting',
      createdAtMs: clock.now(),
      startedAtMs: null,
      completedAtMs: null,
      eligibleAtMs: null,
      deadlineAtMs: clock.now() + 60_000,
      currentAttemptIndex: 0,
      attemptCount: 0,
      retryCount: 0,
      leaseReclaimCount: 0,
      tags: { 'app.user': 'u1' },
      requiredCapabilities: ['a', 'b'],
    });
  });

  it('missing executions read as null', async () => {
    const { engine } = await makeEngine();
    const executionId = '{fp:0}:0b5a3c1e-8a5d-4c7e-9f00-123456789abc';
    expect(engine.readExecutionState({ executionId })).toBeNull();
    expect(engine.readExecutionInfo({ executionId })).toBeNull();
    expect(engine.getExecutionResult({ executionId })).toBeNull();
    expect(engine.describeExecution({ executionId })).toBeNull();
  });

  it('describeExecution lists attempts with their workers and outcomes', async () => {
    const { engine } = await makeEngine();
    const id = engine.createExecution({ laneId: 'l', payload: 'in', retryPolicy: { maxRetries: 1, backoff: { type: 'fixed', delayMs: 0 } } }).executionId;
    engine.failExecution({ handle: engine.claim({ laneId: 'l', ...WORKER })!, reason: 'first' });
    engine.completeExecution({ handle: engine.claim({ laneId: 'l', ...WORKER, workerInstanceId: 'w1-i2' })!, result: 'out' });
    const d = engine.describeExecution({ executionId: id })!;
    expect(d.payload).toBe('in');
    expect(d.result).toBe('out');
    expect(d.retryPolicy).toEqual({ maxRetries: 1, backoff: { type: 'fixed', delayMs: 0 } });
    expect(d.attempts.map((a) => [a.attemptIndex, a.workerInstanceId, a.leaseEpoch, a.outcome])).toEqual([
      [0, 'w1-i1', 1, 'retry'],
      [1, 'w1-i2', 2, 'success'],
    ]);
  });

  it('createExecutions creates a batch in one transaction, reporting duplicates', async () => {
    const { engine } = await makeEngine();
    const executionId = '{fp:0}:0b5a3c1e-8a5d-4c7e-9f00-123456789abc';
    engine.createExecution({ executionId, laneId: 'l' });
    const r = engine.createExecutions({ executions: [{ laneId: 'l' }, { executionId, laneId: 'l' }, { laneId: 'm' }] });
    expect(r.results.map((x) => x.kind)).toEqual(['created', 'duplicate', 'created']);
    expect(engine.listExecutions().executions).toHaveLength(3);
  });

  it('listExecutions filters by lane, state and namespace and pages with a cursor', async () => {
    const { engine, clock } = await makeEngine();
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      ids.push(engine.createExecution({ laneId: i % 2 ? 'odd' : 'even', namespace: i < 3 ? 'a' : 'b' }).executionId);
      clock.advance(1);
    }
    engine.completeExecution({ handle: engine.claim({ laneId: 'even', ...WORKER })! });

    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = engine.listExecutions({ limit: 3, ...(cursor ? { cursor } : {}) });
      pages.push(page.executions.map((e) => e.executionId));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(pages.flat()).toEqual(ids);
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);

    expect(engine.listExecutions({ laneId: 'odd' }).executions.map((e) => e.executionId)).toEqual([ids[1], ids[3], ids[5]]);
    expect(engine.listExecutions({ publicState: 'completed' }).executions.map((e) => e.executionId)).toEqual([ids[0]]);
    expect(engine.listExecutions({ namespace: 'a', laneId: 'even' }).executions.map((e) => e.executionId)).toEqual([ids[0], ids[2]]);
  });

  it('listLanes counts executions by public state', async () => {
    const { engine } = await makeEngine();
    engine.createExecution({ laneId: 'b' });
    engine.createExecution({ laneId: 'a' });
    engine.createExecution({ laneId: 'a' });
    engine.claim({ laneId: 'a', ...WORKER });
    const lanes = engine.listLanes().lanes;
    expect(lanes.map((l) => [l.laneId, l.counts])).toEqual([
      ['a', { active: 1, waiting: 1 }],
      ['b', { waiting: 1 }],
    ]);
  });
});
