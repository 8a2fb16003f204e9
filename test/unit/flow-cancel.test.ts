import { describe, expect, it } from 'vitest';
import { catchError, makeEngine, rows, sameImage } from './helpers.js';
import { claimIn, completionEvents, FlowBuilder, runLane, undispatchedCount } from './flow-helpers.js';

const GHOST_FLOW = '3f1b6d2a-5c4e-4f8a-9b7c-0d1e2f3a4b5c';
const GHOST_ID = '{fp:0}:0b5a3c1e-8a5d-4c7e-9f00-123456789abc';

function operatorEvents(engine: Parameters<typeof rows>[0]) {
  return rows<{ execution_id: string | null; flow_id: string | null; event_type: string; details: string }>(
    engine,
    'SELECT execution_id, flow_id, event_type, details FROM ff_operator_event ORDER BY event_id',
  ).map((r) => ({ ...r, details: JSON.parse(r.details) as Record<string, unknown> }));
}

function leaseEvents(engine: Parameters<typeof rows>[0], executionId: string): string[] {
  return rows<{ event_type: string }>(engine, `SELECT event_type FROM ff_lease_event WHERE execution_id = '${executionId}' ORDER BY event_id`).map(
    (r) => r.event_type,
  );
}

/** running (claimed, priority 10) → child; plus an independent waiting member. */
async function threeMembers() {
  const { engine, clock } = await makeEngine();
  const f = new FlowBuilder(engine);
  const running = f.node({ priority: 10, retryPolicy: { maxRetries: 3, backoff: { type: 'fixed', delayMs: 0 } } });
  const child = f.node();
  const waiting = f.node({ priority: -1 });
  f.edge(running, child);
  const handle = claimIn(engine, 'flow')!;
  expect(handle.executionId).toBe(running);
  return { engine, clock, f, running, child, waiting, handle };
}

describe('cancelExecution', () => {
  it('cancels a running member: its attempt ends, its handle goes stale, and its dependents are skipped', async () => {
    const { engine, f, running, child, handle } = await threeMembers();
    expect(engine.cancelExecution({ executionId: running, reason: 'operator says stop' })).toEqual({
      kind: 'cancelled',
      executionId: running,
      publicState: 'cancelled',
    });
    expect(catchError(() => engine.completeExecution({ handle })).code).toBe('state.stale_lease');
    expect(catchError(() => engine.renewLease({ handle })).code).toBe('state.stale_lease');
    const described = engine.describeExecution({ executionId: running })!;
    expect(described).toMatchObject({ publicState: 'cancelled', cancellationReason: 'operator says stop' });
    expect(described.attempts).toEqual([expect.objectContaining({ outcome: 'cancelled', leaseExpiresAtMs: null })]);
    expect(leaseEvents(engine, running)).toEqual(['acquired', 'revoked']);
    expect(completionEvents(engine, running)).toEqual([{ outcome: 'cancelled', dispatched: true }]);
    expect(operatorEvents(engine)).toEqual([
      { execution_id: running, flow_id: f.flowId, event_type: 'cancelled', details: { reason: 'operator says stop', source: 'operator_override' } },
    ]);
    // A cancelled upstream counts as a failure for an all_of child.
    expect(f.state(child)).toBe('skipped');
  });

  it('is idempotent, reports other endings, and fences non-operator sources by lease epoch', async () => {
    const { engine, running, waiting, handle } = await threeMembers();
    expect(catchError(() => engine.cancelExecution({ executionId: GHOST_ID })).code).toBe('not_found');
    const before = engine.exportImage();
    expect(catchError(() => engine.cancelExecution({ executionId: running, source: 'lease_holder' }))).toMatchObject({
      code: 'validation.invalid_input',
      details: { field: 'leaseEpoch' },
    });
    expect(catchError(() => engine.cancelExecution({ executionId: running, source: 'lease_holder', leaseEpoch: handle.leaseEpoch + 1 })).code).toBe(
      'state.stale_lease',
    );
    expect(sameImage(engine.exportImage(), before)).toBe(true);
    expect(engine.cancelExecution({ executionId: running, source: 'lease_holder', leaseEpoch: handle.leaseEpoch }).kind).toBe('cancelled');
    expect(engine.cancelExecution({ executionId: running })).toEqual({ kind: 'already_cancelled', executionId: running });
    // A member that never ran needs no fence, and gets no lease event.
    expect(engine.cancelExecution({ executionId: waiting, source: 'system_timeout' }).kind).toBe('cancelled');
    expect(leaseEvents(engine, waiting)).toEqual([]);
    const other = engine.createExecution({ laneId: 'solo' }).executionId;
    engine.completeExecution({ handle: claimIn(engine, 'solo')! });
    expect(engine.cancelExecution({ executionId: other })).toEqual({ kind: 'already_terminal', executionId: other, publicState: 'completed' });
  });
});

describe('cancelFlow', () => {
  it('cancel_all: every member that has not ended is cancelled, the running one included', async () => {
    const { engine, f, running, child, waiting, handle } = await threeMembers();
    const result = engine.cancelFlow({ flowId: f.flowId, policy: 'cancel_all', reason: 'user abort' });
    expect(result).toEqual({ kind: 'cancelled', cancellationPolicy: 'cancel_all', cancelledExecutionIds: [running, child, waiting], activeExecutionIds: [] });
    for (const id of [running, child, waiting]) {
      expect(f.state(id)).toBe('cancelled');
      expect(completionEvents(engine, id)).toEqual([{ outcome: 'cancelled', dispatched: true }]);
    }
    expect(catchError(() => engine.completeExecution({ handle })).code).toBe('state.stale_lease');
    expect(leaseEvents(engine, running)).toEqual(['acquired', 'revoked']);
    expect(engine.describeExecution({ executionId: child })!.cancellationReason).toBe('user abort');
    const events = operatorEvents(engine);
    expect(events[0]).toEqual({
      execution_id: null,
      flow_id: f.flowId,
      event_type: 'flow_cancel_requested',
      details: { cancellationPolicy: 'cancel_all', reason: 'user abort', memberCount: 3 },
    });
    expect(events.slice(1).map((e) => [e.execution_id, e.event_type])).toEqual([
      [running, 'member_cancelled'],
      [child, 'member_cancelled'],
      [waiting, 'member_cancelled'],
    ]);
    expect(engine.describeFlow({ flowId: f.flowId })).toMatchObject({
      publicFlowState: 'cancelled',
      cancellationPolicy: 'cancel_all',
      cancelReason: 'user abort',
      cancelBacklog: null,
      countsByState: { cancelled: 3 },
    });
    expect(undispatchedCount(engine)).toBe(0);

    // Cancelling again changes nothing and reports what the first cancel stored.
    const before = engine.exportImage();
    expect(engine.cancelFlow({ flowId: f.flowId, policy: 'cancel_pending' })).toEqual({
      kind: 'already_terminal',
      publicFlowState: 'cancelled',
      cancellationPolicy: 'cancel_all',
      cancelReason: 'user abort',
    });
    expect(sameImage(engine.exportImage(), before)).toBe(true);
    expect(catchError(() => engine.cancelFlow({ flowId: GHOST_FLOW })).code).toBe('not_found');
    expect(catchError(() => engine.replayExecution({ executionId: child }))).toMatchObject({ details: { reason: 'flow_already_terminal' } });
  });

  it('cancel_pending: members that are not running are cancelled; the running one finishes, without retrying', async () => {
    const { engine, f, running, child, waiting, handle } = await threeMembers();
    expect(engine.cancelFlow({ flowId: f.flowId, policy: 'cancel_pending' })).toEqual({
      kind: 'cancelled',
      cancellationPolicy: 'cancel_pending',
      cancelledExecutionIds: [child, waiting],
      activeExecutionIds: [running],
    });
    expect(f.state(running)).toBe('active');
    engine.renewLease({ handle });
    // It has retries left, but its flow is cancelled: the failure is final.
    expect(engine.failExecution({ handle, reason: 'x', failureClass: 'transient' }).kind).toBe('terminal_failed');
    expect(claimIn(engine, 'flow')).toBeNull();
    expect(engine.describeFlow({ flowId: f.flowId })).toMatchObject({ publicFlowState: 'cancelled', cancelBacklog: null, countsByState: { cancelled: 2, failed: 1 } });
  });

  it('let_active_finish: the running member goes into the cancel backlog and leaves it when it ends or is acked', async () => {
    const { engine, f, running, child, waiting, handle } = await threeMembers();
    const second = engine.createExecution({ laneId: 'flow2' }).executionId;
    engine.addExecutionToFlow({ flowId: f.flowId, executionId: second });
    const h2 = claimIn(engine, 'flow2')!;
    const result = engine.cancelFlow({ flowId: f.flowId, policy: 'let_active_finish', reason: 'wind down' });
    expect(result).toMatchObject({ cancelledExecutionIds: [child, waiting], activeExecutionIds: [running, second] });
    expect(engine.describeFlow({ flowId: f.flowId })!.cancelBacklog).toEqual({
      requestedAtMs: engine.now(),
      reason: 'wind down',
      cancellationPolicy: 'let_active_finish',
      memberExecutionIds: [running, second].sort(),
    });
    // The running member completes normally and leaves the backlog.
    engine.completeExecution({ handle });
    expect(f.state(running)).toBe('completed');
    expect(engine.describeFlow({ flowId: f.flowId })!.cancelBacklog!.memberExecutionIds).toEqual([second]);
    // The other is acked while still running: it leaves the backlog, which goes with it; the member keeps its lease.
    expect(engine.ackCancelMember({ flowId: f.flowId, executionId: second })).toEqual({ kind: 'acked', remainingMembers: 0 });
    expect(engine.ackCancelMember({ flowId: f.flowId, executionId: second })).toEqual({ kind: 'not_in_backlog' });
    expect(engine.describeFlow({ flowId: f.flowId })!.cancelBacklog).toBeNull();
    expect(rows(engine, 'SELECT * FROM ff_cancel_backlog')).toEqual([]);
    engine.completeExecution({ handle: h2 });
    expect(engine.describeFlow({ flowId: f.flowId })).toMatchObject({ publicFlowState: 'cancelled', countsByState: { completed: 2, cancelled: 2 } });
  });

  it('a flow with nothing running and cancel_pending cancels everything; an ended flow is already_terminal', async () => {
    const { engine } = await makeEngine();
    const f = new FlowBuilder(engine);
    const [a, b] = f.nodes(2);
    f.edge(a!, b!);
    expect(engine.cancelFlow({ flowId: f.flowId, policy: 'cancel_pending' })).toMatchObject({ cancelledExecutionIds: [a, b], activeExecutionIds: [] });
    const g = new FlowBuilder(engine, 'g');
    g.node();
    runLane(engine, 'g');
    expect(engine.cancelFlow({ flowId: g.flowId })).toEqual({ kind: 'already_terminal', publicFlowState: 'completed', cancellationPolicy: null, cancelReason: null });
  });
});
