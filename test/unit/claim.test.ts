import { describe, expect, it } from 'vitest';
import { catchError, makeEngine, rows, WORKER } from './helpers.js';

describe('claim', () => {
  it('returns null when the lane is empty', async () => {
    const { engine } = await makeEngine();
    expect(engine.claim({ laneId: 'empty', ...WORKER })).toBeNull();
  });

  it('claims a new execution at once and moves it to active', async () => {
    const { engine, clock } = await makeEngine();
    const created = engine.createExecution({ laneId: 'l' });
    expect(created).toMatchObject({ kind: 'created', publicState: 'waiting' });
    const handle = engine.claim({ laneId: 'l', ...WORKER })!;
    expect(handle).toMatchObject({
      backend: 'sqlite',
      kind: 'fresh',
      executionId: created.executionId,
      attemptIndex: 0,
      leaseEpoch: 1,
      laneId: 'l',
      workerInstanceId: 'w1-i1',
    });
    const info = engine.readExecutionInfo({ executionId: created.executionId })!;
    expect(info.stateVector).toEqual({
      lifecyclePhase: 'active',
      ownershipState: 'leased',
      eligibilityState: 'not_applicable',
      blockingReason: 'none',
      terminalOutcome: 'none',
      attemptState: 'running_attempt',
      publicState: 'active',
    });
    expect(info.startedAtMs).toBe(clock.now());
    expect(info.attemptCount).toBe(1);
  });

  it('takes the highest priority first, then the oldest (FIFO)', async () => {
    const { engine, clock } = await makeEngine();
    const order: string[] = [];
    const low1 = engine.createExecution({ laneId: 'l', priority: 0 }).executionId;
    clock.advance(1);
    const high1 = engine.createExecution({ laneId: 'l', priority: 10 }).executionId;
    clock.advance(1);
    const low2 = engine.createExecution({ laneId: 'l', priority: 0 }).executionId;
    clock.advance(1);
    const high2 = engine.createExecution({ laneId: 'l', priority: 10 }).executionId;
    clock.advance(1);
    const mid = engine.createExecution({ laneId: 'l', priority: 5 }).executionId;
    for (;;) {
      const h = engine.claim({ laneId: 'l', ...WORKER });
      if (!h) break;
      order.push(h.executionId);
    }
    expect(order).toEqual([high1, high2, mid, low1, low2]);
  });

  it('only claims from its own lane', async () => {
    const { engine } = await makeEngine();
    engine.createExecution({ laneId: 'a' });
    expect(engine.claim({ laneId: 'b', ...WORKER })).toBeNull();
    expect(engine.claim({ laneId: 'a', ...WORKER })).not.toBeNull();
  });

  it('a worker without a required capability does not get the execution', async () => {
    const { engine } = await makeEngine();
    engine.createExecution({ laneId: 'l', requiredCapabilities: ['capA', 'capB'] });
    expect(engine.claim({ laneId: 'l', ...WORKER, capabilities: ['capA'] })).toBeNull();
    expect(engine.claim({ laneId: 'l', ...WORKER })).toBeNull();
    expect(engine.claim({ laneId: 'l', ...WORKER, capabilities: ['capB', 'capA', 'capC'] })).not.toBeNull();
  });

  it('capability matching is exact and case-sensitive', async () => {
    const { engine } = await makeEngine();
    engine.createExecution({ laneId: 'l', requiredCapabilities: ['gpu'] });
    expect(engine.claim({ laneId: 'l', ...WORKER, capabilities: ['GPU', 'gpu2'] })).toBeNull();
    expect(engine.claim({ laneId: 'l', ...WORKER, capabilities: ['gpu'] })).not.toBeNull();
  });

  // The reference backend scans a fixed window of 16 rows before matching
  // capabilities, so 16+ unmatched high-priority rows starve matching work.
  it('walks past any number of higher-priority executions it cannot take (no 16-row window)', async () => {
    const { engine } = await makeEngine();
    for (let i = 0; i < 40; i++) engine.createExecution({ laneId: 'l', priority: 10, requiredCapabilities: ['gpu'] });
    const cpuWork = engine.createExecution({ laneId: 'l', priority: 0, requiredCapabilities: ['cpu'] }).executionId;
    const anyWork = engine.createExecution({ laneId: 'l', priority: -5 }).executionId;
    const first = engine.claim({ laneId: 'l', ...WORKER, capabilities: ['cpu'] });
    expect(first?.executionId).toBe(cpuWork);
    const second = engine.claim({ laneId: 'l', ...WORKER, capabilities: ['cpu'] });
    expect(second?.executionId).toBe(anyWork);
    expect(engine.claim({ laneId: 'l', ...WORKER, capabilities: ['cpu'] })).toBeNull();
    // The high-priority rows stay waiting for a capable worker.
    expect(engine.listExecutions({ laneId: 'l', publicState: 'waiting', limit: 100 }).executions).toHaveLength(40);
  });

  it('does not claim a delayed execution before its time, and does at its time', async () => {
    const { engine, clock } = await makeEngine();
    const id = engine.createExecution({ laneId: 'l', delayUntil: clock.now() + 5_000 }).executionId;
    expect(engine.readExecutionState({ executionId: id })).toBe('delayed');
    clock.advance(4_999);
    expect(engine.claim({ laneId: 'l', ...WORKER })).toBeNull();
    clock.advance(1);
    expect(engine.claim({ laneId: 'l', ...WORKER })?.executionId).toBe(id);
  });

  it('a delayUntil in the past is claimable at once', async () => {
    const { engine, clock } = await makeEngine();
    const r = engine.createExecution({ laneId: 'l', delayUntil: clock.now() - 1 });
    expect(r).toMatchObject({ publicState: 'waiting' });
  });

  it('writes an acquired lease event carrying namespace and instance tag', async () => {
    const { engine } = await makeEngine();
    const id = engine.createExecution({ laneId: 'l', namespace: 'ns1', tags: { 'cairn.instance_id': 'inst-7' } }).executionId;
    const h = engine.claim({ laneId: 'l', ...WORKER })!;
    expect(rows(engine, 'SELECT execution_id, event_type, lease_epoch, namespace, instance_tag, lease_id FROM ff_lease_event')).toEqual([
      { execution_id: id, event_type: 'acquired', lease_epoch: 1, namespace: 'ns1', instance_tag: 'inst-7', lease_id: h.leaseId },
    ]);
  });

  it('rejects a zero or negative lease TTL and writes nothing', async () => {
    const { engine } = await makeEngine();
    engine.createExecution({ laneId: 'l' });
    for (const leaseTtlMs of [0, -1, 1.5]) {
      const err = catchError(() => engine.claim({ laneId: 'l', ...WORKER, leaseTtlMs }));
      expect(err.code).toBe('validation.invalid_input');
      expect(err.details['field']).toBe('leaseTtlMs');
    }
    expect(engine.listExecutions().executions[0]?.publicState).toBe('waiting');
  });
});
