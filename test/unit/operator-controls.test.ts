/**
 * The operator controls: changePriority and revokeLease (gates, effects,
 * events), cancel and replay as the issue pins them, and the `operator`
 * outbox channel carrying every operator event.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine, Handle, OperatorOutboxEvent } from '../../src/index.js';
import type { BackendService } from '../../src/worker/backend-service.js';
import type { BackendEvent } from '../../src/worker/protocol.js';
import { openService, until, WORKER_ARGS } from './boundary-helpers.js';
import { FlowBuilder } from './flow-helpers.js';
import { catchError, makeEngine, rows, WORKER } from './helpers.js';

const claimL = (engine: Engine, extra: { workerInstanceId?: string } = {}): Handle => engine.claim({ laneId: 'l', ...WORKER, ...extra })!;

function operatorEvents(engine: Engine): OperatorOutboxEvent[] {
  return engine.readEvents({ channel: 'operator', limit: 1000 }).events as OperatorOutboxEvent[];
}

function leaseEventTypes(engine: Engine, id: string): string[] {
  return rows<{ event_type: string }>(engine, `SELECT event_type FROM ff_lease_event WHERE execution_id = '${id}' ORDER BY event_id`).map((r) => r.event_type);
}

describe('changePriority', () => {
  it('re-orders claims and writes priority_changed with the old and new values', async () => {
    const { engine } = await makeEngine();
    const a = engine.createExecution({ laneId: 'l', priority: 5 }).executionId;
    const b = engine.createExecution({ laneId: 'l', priority: 1 }).executionId;
    expect(engine.changePriority({ executionId: b, priority: 9 })).toEqual({ kind: 'changed', executionId: b, previousPriority: 1, priority: 9 });
    expect(claimL(engine).executionId).toBe(b);
    expect(claimL(engine, { workerInstanceId: 'w1-i2' }).executionId).toBe(a);
    expect(operatorEvents(engine)).toEqual([
      expect.objectContaining({ channel: 'operator', executionId: b, eventType: 'priority_changed', details: { previousPriority: 1, priority: 9 }, namespace: 'default' }),
    ]);
  });

  it('writes an event even when the priority does not change', async () => {
    const { engine } = await makeEngine();
    const id = engine.createExecution({ laneId: 'l', priority: 3 }).executionId;
    engine.changePriority({ executionId: id, priority: 3 });
    expect(operatorEvents(engine).map((e) => e.details)).toEqual([{ previousPriority: 3, priority: 3 }]);
  });

  it('only applies to an execution waiting to be claimed: delayed, waiting on dependencies, running and ended ones are refused', async () => {
    const { engine, clock } = await makeEngine();
    const delayed = engine.createExecution({ laneId: 'l', delayUntil: clock.now() + 60_000 }).executionId;
    const f = new FlowBuilder(engine, 'l');
    const [up, down] = f.nodes(2);
    f.edge(up!, down!);
    const running = engine.createExecution({ laneId: 'r' }).executionId;
    engine.claim({ laneId: 'r', ...WORKER });
    const done = engine.createExecution({ laneId: 'd' }).executionId;
    engine.completeExecution({ handle: engine.claim({ laneId: 'd', ...WORKER })! });
    for (const [id, eligibility] of [
      [delayed, 'not_eligible_until_time'],
      [down!, 'blocked_by_dependencies'],
      [running, 'not_applicable'],
      [done, 'not_applicable'],
    ] as const) {
      const before = rows(engine, `SELECT priority FROM ff_exec_core WHERE execution_id = '${id}'`);
      const err = catchError(() => engine.changePriority({ executionId: id, priority: 50 }));
      expect(err).toMatchObject({ code: 'contention.execution_not_eligible', details: { executionId: id, eligibilityState: eligibility } });
      expect(rows(engine, `SELECT priority FROM ff_exec_core WHERE execution_id = '${id}'`)).toEqual(before);
    }
    expect(operatorEvents(engine)).toEqual([]);
  });

  it('refuses a priority outside the 32-bit range createExecution accepts, and changes nothing', async () => {
    const { engine } = await makeEngine();
    const id = engine.createExecution({ laneId: 'l', priority: 2 }).executionId;
    for (const priority of [2 ** 31, -(2 ** 31) - 1, 1.5]) {
      expect(catchError(() => engine.changePriority({ executionId: id, priority }))).toMatchObject({
        code: 'validation.invalid_input',
        details: { field: 'priority' },
      });
    }
    expect(engine.changePriority({ executionId: id, priority: -(2 ** 31) }).priority).toBe(-(2 ** 31));
    expect(operatorEvents(engine)).toHaveLength(1);
  });

  it('an unknown execution is not_found', async () => {
    const { engine } = await makeEngine();
    expect(catchError(() => engine.changePriority({ executionId: '{fp:0}:00000000-0000-4000-8000-000000000000', priority: 1 }))).toMatchObject({
      code: 'not_found',
      details: { entity: 'execution' },
    });
  });
});

describe('revokeLease', () => {
  it('ends the lease as lease_revoked: the handle is refused, a reclaim grant and reclaim take over', async () => {
    const { engine } = await makeEngine();
    const id = engine.createExecution({ laneId: 'l' }).executionId;
    const handle = claimL(engine);
    const result = engine.revokeLease({ executionId: id, reason: 'stuck' });
    expect(result).toEqual({
      kind: 'revoked',
      executionId: id,
      leaseId: handle.leaseId,
      leaseEpoch: handle.leaseEpoch,
      attemptIndex: 0,
      workerInstanceId: WORKER.workerInstanceId,
    });
    expect(engine.readExecutionInfo({ executionId: id })!.stateVector).toMatchObject({
      lifecyclePhase: 'active',
      ownershipState: 'lease_revoked',
      attemptState: 'attempt_interrupted',
      publicState: 'active',
    });
    expect(rows(engine, `SELECT outcome, lease_expires_at_ms FROM ff_attempt WHERE execution_id = '${id}'`)).toEqual([
      { outcome: 'attempt_interrupted', lease_expires_at_ms: null },
    ]);
    for (const call of [() => engine.completeExecution({ handle }), () => engine.renewLease({ handle }), () => engine.failExecution({ handle, reason: 'x' })]) {
      expect(catchError(call)).toMatchObject({ code: 'state.lease_revoked' });
    }
    expect(leaseEventTypes(engine, id)).toEqual(['acquired', 'revoked']);
    expect(operatorEvents(engine)).toEqual([
      expect.objectContaining({
        executionId: id,
        eventType: 'lease_revoked',
        details: { reason: 'stuck', leaseId: handle.leaseId, leaseEpoch: handle.leaseEpoch, attemptIndex: 0, workerInstanceId: 'w1-i1' },
      }),
    ]);

    const grant = engine.issueReclaimGrant({ executionId: id, workerId: 'w2', workerInstanceId: 'w2-i1', laneId: 'l', grantTtlMs: 5_000 });
    expect(grant.kind).toBe('granted');
    const reclaimed = engine.reclaimExecution({ executionId: id, workerId: 'w2', workerInstanceId: 'w2-i1', leaseTtlMs: 30_000 });
    if (reclaimed.kind !== 'claimed') throw new Error(JSON.stringify(reclaimed));
    expect(reclaimed.handle).toMatchObject({ kind: 'reclaimed', attemptIndex: 1, leaseEpoch: handle.leaseEpoch + 1 });
    // The revoked attempt keeps the outcome the revoke gave it.
    expect(rows(engine, `SELECT attempt_index, outcome FROM ff_attempt WHERE execution_id = '${id}' ORDER BY attempt_index`)).toEqual([
      { attempt_index: 0, outcome: 'attempt_interrupted' },
      { attempt_index: 1, outcome: null },
    ]);
    engine.completeExecution({ handle: reclaimed.handle });
    expect(engine.readExecutionState({ executionId: id })).toBe('completed');
    expect(leaseEventTypes(engine, id)).toEqual(['acquired', 'revoked', 'reclaimed', 'released']);
  });

  it('nothing to revoke is already_satisfied with the reason, and writes nothing', async () => {
    const { engine, clock } = await makeEngine({ scanners: { intervals: {} } });
    const waiting = engine.createExecution({ laneId: 'w' }).executionId;
    const id = engine.createExecution({ laneId: 'l' }).executionId;
    const handle = claimL(engine);
    const expired = engine.createExecution({ laneId: 'e' }).executionId;
    engine.claim({ laneId: 'e', ...WORKER, leaseTtlMs: 1_000 });
    clock.advance(2_000); // the lease_expiry scanner marks it reclaimable
    expect(engine.readExecutionInfo({ executionId: expired })!.stateVector.ownershipState).toBe('lease_expired_reclaimable');
    const before = rows(engine, 'SELECT (SELECT COUNT(*) FROM ff_lease_event) AS l, (SELECT COUNT(*) FROM ff_operator_event) AS o');

    expect(engine.revokeLease({ executionId: waiting })).toEqual({ kind: 'already_satisfied', executionId: waiting, reason: 'no_active_lease' });
    expect(engine.revokeLease({ executionId: expired })).toMatchObject({ kind: 'already_satisfied', reason: 'no_active_lease' });
    expect(engine.revokeLease({ executionId: id, workerInstanceId: 'w2-i1' })).toMatchObject({ kind: 'already_satisfied', reason: 'different_worker_instance_id' });
    expect(engine.revokeLease({ executionId: id, expectedLeaseId: 'not-the-lease' })).toMatchObject({ kind: 'already_satisfied', reason: 'lease_id_mismatch' });
    expect(rows(engine, 'SELECT (SELECT COUNT(*) FROM ff_lease_event) AS l, (SELECT COUNT(*) FROM ff_operator_event) AS o')).toEqual(before);

    expect(engine.revokeLease({ executionId: id, workerInstanceId: 'w1-i1', expectedLeaseId: handle.leaseId }).kind).toBe('revoked');
    expect(engine.revokeLease({ executionId: id })).toMatchObject({ kind: 'already_satisfied', reason: 'no_active_lease' });
  });

  it('an unknown execution is not_found', async () => {
    const { engine } = await makeEngine();
    expect(catchError(() => engine.revokeLease({ executionId: '{fp:0}:00000000-0000-4000-8000-000000000000' }))).toMatchObject({ code: 'not_found' });
  });

  it('cancelling a revoked execution ends it without a second revoked lease event', async () => {
    const { engine } = await makeEngine();
    const id = engine.createExecution({ laneId: 'l' }).executionId;
    claimL(engine);
    engine.revokeLease({ executionId: id });
    expect(engine.cancelExecution({ executionId: id }).kind).toBe('cancelled');
    expect(leaseEventTypes(engine, id)).toEqual(['acquired', 'revoked']);
    expect(rows(engine, `SELECT outcome FROM ff_attempt WHERE execution_id = '${id}'`)).toEqual([{ outcome: 'attempt_interrupted' }]);
  });
});

describe('cancelExecution and replayExecution', () => {
  it('replay works from every terminal state, cancelled included', async () => {
    const { engine } = await makeEngine();
    const completed = engine.createExecution({ laneId: 'a' }).executionId;
    engine.completeExecution({ handle: engine.claim({ laneId: 'a', ...WORKER })! });
    const failed = engine.createExecution({ laneId: 'b' }).executionId;
    engine.failExecution({ handle: engine.claim({ laneId: 'b', ...WORKER })!, reason: 'boom', failureClass: 'permanent' });
    const cancelledRunning = engine.createExecution({ laneId: 'c' }).executionId;
    engine.claim({ laneId: 'c', ...WORKER });
    engine.cancelExecution({ executionId: cancelledRunning, reason: 'stop' });
    const cancelledWaiting = engine.createExecution({ laneId: 'd' }).executionId;
    engine.cancelExecution({ executionId: cancelledWaiting });
    for (const [id, lane, previous] of [
      [completed, 'a', 'success'],
      [failed, 'b', 'failed'],
      [cancelledRunning, 'c', 'cancelled'],
      [cancelledWaiting, 'd', 'cancelled'],
    ] as const) {
      expect(engine.replayExecution({ executionId: id })).toMatchObject({ kind: 'replayed', publicState: 'waiting', branch: 'normal' });
      expect(engine.readExecutionInfo({ executionId: id })).toMatchObject({ publicState: 'waiting' });
      const h = engine.claim({ laneId: lane, ...WORKER })!;
      expect(h.executionId).toBe(id);
      engine.completeExecution({ handle: h });
      expect(operatorEvents(engine).filter((e) => e.executionId === id && e.eventType === 'replayed').map((e) => e.details['previousOutcome'])).toEqual([previous]);
    }
  });

  it('cancel writes a cancelled operator event; a second cancel changes nothing', async () => {
    const { engine } = await makeEngine();
    const id = engine.createExecution({ laneId: 'l' }).executionId;
    engine.cancelExecution({ executionId: id, reason: 'no longer needed' });
    expect(engine.cancelExecution({ executionId: id })).toEqual({ kind: 'already_cancelled', executionId: id });
    expect(operatorEvents(engine)).toEqual([
      expect.objectContaining({ executionId: id, eventType: 'cancelled', details: { reason: 'no longer needed', source: 'operator_override' } }),
    ]);
  });
});

describe('the operator channel', () => {
  it('readEvents reads every operator event the issue names, in order, with their scopes', async () => {
    const { engine } = await makeEngine();
    const f = new FlowBuilder(engine, 'f');
    const [up, down] = f.nodes(2);
    f.edge(up!, down!);
    engine.completeExecution({ handle: engine.claim({ laneId: 'f', ...WORKER })! }); // up succeeds → down claimable
    engine.replayExecution({ executionId: up! }); // down waits again: one group reset
    const p = engine.createExecution({ laneId: 'l' }).executionId;
    engine.changePriority({ executionId: p, priority: 4 });
    claimL(engine);
    engine.revokeLease({ executionId: p });
    engine.cancelExecution({ executionId: p });
    engine.cancelFlow({ flowId: f.flowId, policy: 'cancel_all' });

    const events = operatorEvents(engine);
    expect(events.map((e) => [e.eventType, e.executionId, e.flowId])).toEqual([
      ['replayed', up, f.flowId],
      ['priority_changed', p, null],
      ['lease_revoked', p, null],
      ['cancelled', p, null],
      ['flow_cancel_requested', null, f.flowId],
      ['member_cancelled', up, f.flowId],
      ['member_cancelled', down, f.flowId],
    ]);
    expect(events[0]!.details).toMatchObject({ branch: 'normal', groupsReset: 1 });
    expect(events[4]!.details).toEqual({ cancellationPolicy: 'cancel_all', reason: '', memberCount: 2 });
    expect(events.map((e) => e.eventId)).toEqual([...events.map((e) => e.eventId)].sort((a, b) => a - b));
    // Resuming after any event gives exactly the ones after it.
    const third = events[2]!.eventId;
    expect(engine.readEvents({ channel: 'operator', afterEventId: third }).events.map((e) => e.eventId)).toEqual(events.slice(3).map((e) => e.eventId));
    expect(engine.readEvents({ channel: 'operator', afterEventId: third }).lastEventId).toBe(events[events.length - 1]!.eventId);
  });
});

describe('the operator channel and retention', () => {
  it("trimming an ended execution's operator events is reported to a reader behind it (cursorExpired)", async () => {
    const hour = 3_600_000;
    const { engine, clock } = await makeEngine({ scanners: { retention: { maxAgeMs: hour } } });
    const id = engine.createExecution({ laneId: 'l' }).executionId;
    engine.changePriority({ executionId: id, priority: 2 });
    engine.cancelExecution({ executionId: id });
    const kept = engine.createExecution({ laneId: 'l' }).executionId;
    engine.changePriority({ executionId: kept, priority: 1 });
    clock.advance(hour);
    const after = engine.readEvents({ channel: 'operator' });
    expect((after.events as OperatorOutboxEvent[]).map((e) => [e.eventType, e.executionId])).toEqual([['priority_changed', kept]]);
    expect(after.cursorExpired).toEqual({ trimmedThroughEventId: 2, oldestRetainedEventId: 3 });
    expect(engine.readEvents({ channel: 'operator', afterEventId: 2 }).cursorExpired).toBeNull();
  });
});

describe('the operator channel through the backend service', () => {
  const services: BackendService[] = [];
  afterEach(async () => {
    await Promise.all(services.splice(0).map((s) => s.close()));
  });

  it('a subscription delivers operator events after their commit, with cursors it can resume from', async () => {
    const s = await openService();
    services.push(s);
    const seen: BackendEvent[] = [];
    s.subscribe(1, { channels: ['operator'] }, { deliver: (events) => void seen.push(...events) });
    const { executionId } = s.invoke('createExecution', [{ laneId: WORKER_ARGS.laneId }]) as { executionId: string };
    s.invoke('changePriority', [{ executionId, priority: 7 }]);
    s.invoke('claim', [WORKER_ARGS]);
    s.invoke('revokeLease', [{ executionId }]);
    await until(() => seen.length === 2);
    expect(seen.map((e) => [e.channel, (e as OperatorOutboxEvent).eventType, e.cursor])).toEqual([
      ['operator', 'priority_changed', 'operator:1'],
      ['operator', 'lease_revoked', 'operator:2'],
    ]);
    const resumed: BackendEvent[] = [];
    s.subscribe(1, { channels: ['operator'], from: ['operator:1'] }, { deliver: (events) => void resumed.push(...events) });
    await until(() => resumed.length === 1);
    expect(resumed[0]).toMatchObject({ eventType: 'lease_revoked', cursor: 'operator:2' });
  });
});
