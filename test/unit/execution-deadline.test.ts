/**
 * The execution_deadline scanner on virtual time: a non-terminal execution
 * ends `expired` at exactly its deadlineAtMs, whatever state it is in; a
 * running attempt loses its lease; a flow member's dependents are skipped.
 */
import { describe, expect, it } from 'vitest';
import type { Engine, Handle } from '../../src/index.js';
import { catchError, makeEngine, rows, WORKER } from './helpers.js';
import { claimIn, completionEvents, FlowBuilder } from './flow-helpers.js';

const LONG_LEASE = { ...WORKER, leaseTtlMs: 600_000 };

function claim(engine: Engine, laneId = 'l'): Handle {
  const handle = engine.claim({ laneId, ...LONG_LEASE });
  if (!handle) throw new Error('nothing to claim');
  return handle;
}

describe('execution_deadline', () => {
  it('a waiting execution ends expired at exactly its deadline, not at t-1, with a completion event', async () => {
    const { engine, clock } = await makeEngine({ scanners: {} });
    const deadline = clock.now() + 10_000;
    const id = engine.createExecution({ laneId: 'l', deadlineAtMs: deadline }).executionId;
    expect(engine.readExecutionInfo({ executionId: id })?.deadlineAtMs).toBe(deadline);
    expect(engine.nextDue({ scanner: 'execution_deadline' })).toEqual({ at: deadline, scanner: 'execution_deadline' });
    expect(engine.nextDue()).toEqual({ at: deadline, scanner: 'execution_deadline' });

    engine.advanceTimeTo({ at: deadline - 1 });
    expect(engine.readExecutionState({ executionId: id })).toBe('waiting');
    expect(completionEvents(engine, id)).toEqual([]);

    const { reports } = engine.advanceTimeTo({ at: deadline });
    expect(reports).toEqual([{ scanner: 'execution_deadline', at: deadline, processed: 1, errors: 0 }]);
    const info = engine.describeExecution({ executionId: id })!;
    expect(info).toMatchObject({ publicState: 'expired', completedAtMs: deadline, lastFailureReason: 'execution_deadline', attempts: [] });
    expect(info.stateVector).toMatchObject({ lifecyclePhase: 'terminal', terminalOutcome: 'expired', ownershipState: 'unowned' });
    expect(completionEvents(engine, id)).toEqual([{ outcome: 'expired', dispatched: true }]);
    expect(engine.nextDue({ scanner: 'execution_deadline' })).toBeNull();
    expect(claimIn(engine, 'l')).toBeNull();
  });

  it('a running execution loses its lease: the handle is stale, the attempt interrupted, the lease event expired', async () => {
    const { engine, clock } = await makeEngine({ scanners: {} });
    const deadline = clock.now() + 30_000;
    const id = engine.createExecution({ laneId: 'l', deadlineAtMs: deadline }).executionId;
    const handle = claim(engine);
    engine.advanceTimeTo({ at: deadline - 1 });
    expect(engine.renewLease({ handle }).kind).toBe('renewed');
    engine.advanceTimeTo({ at: deadline });
    expect(engine.readExecutionState({ executionId: id })).toBe('expired');
    expect(catchError(() => engine.completeExecution({ handle })).code).toBe('state.stale_lease');
    expect(catchError(() => engine.renewLease({ handle })).code).toBe('state.stale_lease');
    expect(engine.describeExecution({ executionId: id })?.attempts).toMatchObject([
      { outcome: 'attempt_interrupted', failureReason: 'execution_deadline', terminalAtMs: deadline, leaseExpiresAtMs: null },
    ]);
    const events = rows<{ event_type: string; lease_epoch: number }>(
      engine,
      `SELECT event_type, lease_epoch FROM ff_lease_event WHERE execution_id = '${id}' ORDER BY event_id`,
    );
    expect(events).toEqual([
      { event_type: 'acquired', lease_epoch: handle.leaseEpoch },
      { event_type: 'renewed', lease_epoch: handle.leaseEpoch },
      { event_type: 'expired', lease_epoch: handle.leaseEpoch },
    ]);
    expect(completionEvents(engine, id)).toEqual([{ outcome: 'expired', dispatched: true }]);
  });

  it('the deadline is absolute: a retry backoff or a delay reaching past it does not save the execution', async () => {
    const { engine, clock } = await makeEngine({ scanners: {} });
    const start = clock.now();
    const retried = engine.createExecution({
      laneId: 'l',
      deadlineAtMs: start + 20_000,
      retryPolicy: { maxRetries: 5, backoff: { type: 'fixed', delayMs: 60_000 } },
    }).executionId;
    const delayed = engine.createExecution({ laneId: 'd', deadlineAtMs: start + 20_000, delayUntil: start + 90_000 }).executionId;
    engine.failExecution({ handle: claim(engine), reason: 'flaky' });
    expect(engine.readExecutionState({ executionId: retried })).toBe('delayed');
    engine.advanceTimeTo({ at: start + 19_999 });
    expect([engine.readExecutionState({ executionId: retried }), engine.readExecutionState({ executionId: delayed })]).toEqual(['delayed', 'delayed']);
    engine.advanceTimeTo({ at: start + 20_000 });
    expect([engine.readExecutionState({ executionId: retried }), engine.readExecutionState({ executionId: delayed })]).toEqual(['expired', 'expired']);
    // Nothing is left for delayed_promotion: the expired executions left its index.
    expect(engine.nextDue({ scanner: 'delayed_promotion' })).toBeNull();
  });

  it('an execution that ended before its deadline is left alone', async () => {
    const { engine, clock } = await makeEngine({ scanners: {} });
    const id = engine.createExecution({ laneId: 'l', deadlineAtMs: clock.now() + 5_000 }).executionId;
    engine.completeExecution({ handle: claim(engine) });
    expect(engine.nextDue({ scanner: 'execution_deadline' })).toBeNull();
    engine.advanceTime({ ms: 10_000 });
    expect(engine.readExecutionState({ executionId: id })).toBe('completed');
    expect(completionEvents(engine, id)).toEqual([{ outcome: 'success', dispatched: true }]);
  });

  it('a deadline that expires a flow member skips its dependents, down the chain', async () => {
    const { engine, clock } = await makeEngine({ scanners: {} });
    const f = new FlowBuilder(engine);
    const deadline = clock.now() + 15_000;
    const a = f.node({ deadlineAtMs: deadline, priority: 1 });
    const b = f.node();
    const c = f.node();
    const sibling = f.node({ laneId: 'side' });
    f.edge(a, b);
    f.edge(b, c);
    const handle = claimIn(engine, f.laneId)!;
    expect(handle.executionId).toBe(a);
    engine.completeExecution({ handle: claimIn(engine, 'side')! }); // the independent sibling
    engine.advanceTimeTo({ at: deadline - 1 });
    expect([f.state(a), f.state(b), f.state(c)]).toEqual(['active', 'waiting_children', 'waiting_children']);
    engine.advanceTimeTo({ at: deadline });
    expect([f.state(a), f.state(b), f.state(c), f.state(sibling)]).toEqual(['expired', 'skipped', 'skipped', 'completed']);
    expect(completionEvents(engine, a)).toEqual([{ outcome: 'expired', dispatched: true }]);
    expect(completionEvents(engine, b)).toEqual([{ outcome: 'skipped', dispatched: true }]);
    expect(engine.describeFlow({ flowId: f.flowId })?.countsByState).toEqual({ expired: 1, skipped: 2, completed: 1 });
    expect(catchError(() => engine.completeExecution({ handle })).code).toBe('state.stale_lease');
  });

  it('a member still blocked by its dependencies expires at its own deadline, and its dependents with it', async () => {
    const { engine, clock } = await makeEngine({ scanners: {} });
    const f = new FlowBuilder(engine);
    const upstream = f.node();
    const blocked = f.node({ deadlineAtMs: clock.now() + 8_000 });
    const leaf = f.node();
    f.edge(upstream, blocked);
    f.edge(blocked, leaf);
    engine.advanceTime({ ms: 8_000 });
    expect([f.state(upstream), f.state(blocked), f.state(leaf)]).toEqual(['waiting', 'expired', 'skipped']);
    // The upstream still runs; finishing it changes nothing downstream.
    engine.completeExecution({ handle: claimIn(engine, f.laneId)! });
    expect([f.state(blocked), f.state(leaf)]).toEqual(['expired', 'skipped']);
  });

  it('due executions expire earliest deadline first, each at its own instant', async () => {
    const { engine, clock } = await makeEngine({ scanners: {} });
    const start = clock.now();
    const ids = [3, 1, 2].map((k) => engine.createExecution({ laneId: 'l', deadlineAtMs: start + k * 1_000 }).executionId);
    engine.advanceTimeTo({ at: start + 2_000 });
    expect(ids.map((executionId) => engine.readExecutionState({ executionId }))).toEqual(['waiting', 'expired', 'expired']);
    const expiredAt = rows<{ execution_id: string; occurred_at_ms: number }>(engine, 'SELECT execution_id, occurred_at_ms FROM ff_completion_event ORDER BY event_id');
    expect(expiredAt).toEqual([
      { execution_id: ids[1], occurred_at_ms: start + 1_000 },
      { execution_id: ids[2], occurred_at_ms: start + 2_000 },
    ]);
  });

  it('with the scanner disabled (interval 0) nothing expires and nextDue names nothing', async () => {
    const { engine, clock } = await makeEngine({ scanners: { intervals: { execution_deadline: 0 } } });
    const id = engine.createExecution({ laneId: 'l', deadlineAtMs: clock.now() + 1_000 }).executionId;
    expect(engine.nextDue({ scanner: 'execution_deadline' })).toBeNull();
    engine.advanceTime({ ms: 60_000 });
    expect(engine.readExecutionState({ executionId: id })).toBe('waiting');
    expect(engine.scannerStates().find((s) => s.name === 'execution_deadline')).toMatchObject({ enabled: false, ticks: 0 });
    // Run by hand, the same tick expires it.
    expect(await engine.runScanner({ scanner: 'execution_deadline' })).toMatchObject({ processed: 1 });
    expect(engine.readExecutionState({ executionId: id })).toBe('expired');
  });

  it('rejects a bad deadlineAtMs with a validation error naming the field', async () => {
    const { engine } = await makeEngine();
    for (const deadlineAtMs of [-1, 1.5, '1000']) {
      const error = catchError(() => engine.createExecution({ laneId: 'l', deadlineAtMs: deadlineAtMs as number }));
      expect(error.code).toBe('validation.invalid_input');
      expect(error.details['field']).toBe('deadlineAtMs');
    }
    expect(engine.listExecutions({}).executions).toEqual([]);
  });
});
