/**
 * The suspension_timeout and pending_wp_expiry scanners on virtual time:
 * each timeout behaviour fires at exactly its moment (nothing at t-1), the
 * `resume` behaviour leaves the execution resumable with a timeout signal
 * (FlowFabric files the signal and leaves it suspended), and a deadline
 * reached inside a flow cascades like any other ending.
 */
import { describe, expect, it } from 'vitest';
import { catchError, rows, WORKER } from './helpers.js';
import { FlowBuilder } from './flow-helpers.js';
import { claimedExecution, signal, suspendedExecution, suspendOn } from './suspension-helpers.js';
import type { TimeoutBehavior } from '../../src/index.js';

const T = 1_700_000_060_000;

async function timingOut(behavior: TimeoutBehavior) {
  return suspendedExecution(['a'], { kind: 'approval' }, { timeout: { atMs: T, behavior } }, { scanners: {} });
}

describe('suspension_timeout', () => {
  it.each([
    ['fail', 'failed'],
    ['cancel', 'cancelled'],
    ['expire', 'expired'],
  ] as const)('%s: ends the execution %s at exactly the timeout, with a completion event', async (behavior, outcome) => {
    const t = await timingOut(behavior);
    t.clock.advanceTo(T - 1);
    expect(t.engine.readExecutionState({ executionId: t.executionId })).toBe('suspended');
    expect(rows(t.engine, 'SELECT COUNT(*) AS n FROM ff_completion_event')).toEqual([{ n: 0 }]);
    t.clock.advanceTo(T);
    expect(t.engine.readExecutionState({ executionId: t.executionId })).toBe(outcome);
    expect(rows(t.engine, 'SELECT outcome, occurred_at_ms FROM ff_completion_event')).toEqual([{ outcome, occurred_at_ms: T }]);
    expect(rows(t.engine, 'SELECT cancellation_reason FROM ff_exec_core')).toEqual([{ cancellation_reason: `suspension_timeout_${behavior}` }]);
    expect(rows(t.engine, 'SELECT (SELECT COUNT(*) FROM ff_suspension_current) AS s, (SELECT COUNT(*) FROM ff_waitpoint_pending) AS w')).toEqual([{ s: 0, w: 0 }]);
  });

  it('resume: resumable at exactly the timeout, with a timeout signal the next attempt observes', async () => {
    const t = await timingOut('resume');
    t.clock.advanceTo(T - 1);
    expect(t.engine.readExecutionState({ executionId: t.executionId })).toBe('suspended');
    t.clock.advanceTo(T);
    expect(t.engine.readExecutionState({ executionId: t.executionId })).toBe('resumable');
    expect(t.engine.readEvents({ channel: 'signal' }).events).toMatchObject([{ signalName: 'timeout', effect: 'timeout_resumed', waitpointId: null, occurredAtMs: T }]);
    const handle = t.engine.claimResumedExecution({ executionId: t.executionId, ...WORKER });
    expect(t.engine.observeSignals({ handle })).toMatchObject([{ signalName: 'timeout', waitpointKey: '__timeout__', sourceIdentity: 'suspension_timeout', acceptedAtMs: T }]);
    expect(t.engine.completeExecution({ handle }).kind).toBe('completed');
  });

  it('a suspension resumed before its timeout is left alone', async () => {
    const t = await timingOut('fail');
    signal(t, 'a', 'approved');
    t.clock.advanceTo(T + 10_000);
    expect(t.engine.readExecutionState({ executionId: t.executionId })).toBe('resumable');
  });

  it('cancelling a suspended execution deletes its suspension and waitpoints, so the timeout never fires', async () => {
    const t = await timingOut('expire');
    t.engine.cancelExecution({ executionId: t.executionId, reason: 'no longer needed', source: 'operator_override' });
    expect(t.engine.readSuspension({ executionId: t.executionId })).toBeNull();
    expect(t.engine.readWaitpointToken({ waitpointId: t.suspended.waitpoints[0]!.waitpointId })).toBeNull();
    t.clock.advanceTo(T);
    expect(t.engine.readExecutionState({ executionId: t.executionId })).toBe('cancelled');
    expect(rows(t.engine, 'SELECT outcome FROM ff_completion_event')).toEqual([{ outcome: 'cancelled' }]);
  });

  it('0 disables it', async () => {
    const t = await suspendedExecution(['a'], { kind: 'approval' }, { timeout: { atMs: T, behavior: 'fail' } }, { scanners: { intervals: { suspension_timeout: 0 } } });
    t.clock.advanceTo(T + 60_000);
    expect(t.engine.readExecutionState({ executionId: t.executionId })).toBe('suspended');
  });

  it('ending a flow member on timeout skips its dependents', async () => {
    const t = await claimedExecution({ scanners: {} });
    const flow = new FlowBuilder(t.engine, 'f');
    const [up, down] = flow.nodes(2);
    flow.edge(up!, down!);
    const handle = t.engine.claim({ laneId: 'f', ...WORKER })!;
    suspendOn({ ...t, handle }, ['a'], { kind: 'approval' }, { timeout: { atMs: T, behavior: 'fail' } });
    t.clock.advanceTo(T);
    expect(t.engine.readExecutionState({ executionId: up! })).toBe('failed');
    expect(t.engine.readExecutionState({ executionId: down! })).toBe('skipped');
  });
});

describe('retention', () => {
  it("trims an ended execution's suspension, waitpoints and suspend records with the rest of its history", async () => {
    const t = await claimedExecution({ scanners: { retention: { maxAgeMs: 60_000 } } });
    t.engine.createWaitpoint({ handle: t.handle, waitpointKey: 'unused' });
    suspendOn(t, ['a'], { kind: 'approval' }, { idempotencyKey: 'once' });
    t.engine.cancelExecution({ executionId: t.executionId, reason: '', source: 'operator_override' });
    const counts = () =>
      rows(t.engine, `SELECT (SELECT COUNT(*) FROM ff_suspension_current) + (SELECT COUNT(*) FROM ff_waitpoint_pending) + (SELECT COUNT(*) FROM ff_suspend_dedup) AS n`)[0];
    expect(counts()).toEqual({ n: 1 });
    t.clock.advance(61_000 + 60_000);
    expect(counts()).toEqual({ n: 0 });
  });
});

describe('pending_wp_expiry', () => {
  it('deletes a pending waitpoint at exactly its expiry; its token is refused from that moment on', async () => {
    const t = await claimedExecution({ scanners: {} });
    const wp = t.engine.createWaitpoint({ handle: t.handle, waitpointKey: 'cb', expiresInMs: 30_000 });
    const at = wp.expiresAtMs!;
    t.clock.advanceTo(at - 1);
    expect(t.engine.listPendingWaitpoints({ executionId: t.executionId }).entries.map((e) => e.waitpointId)).toEqual([wp.waitpointId]);
    t.clock.advanceTo(at);
    expect(t.engine.listPendingWaitpoints({ executionId: t.executionId }).entries).toEqual([]);
    expect(t.engine.readWaitpointToken({ waitpointId: wp.waitpointId })).toBeNull();
    expect(catchError(() => t.engine.deliverSignal({ executionId: t.executionId, waitpointId: wp.waitpointId, waitpointToken: wp.token, signalName: 's' })).code).toBe(
      'not_found',
    );
  });

  it('0 disables it: the row stays (its token is still refused as expired)', async () => {
    const t = await claimedExecution({ scanners: { intervals: { pending_wp_expiry: 0 } } });
    const wp = t.engine.createWaitpoint({ handle: t.handle, waitpointKey: 'cb', expiresInMs: 30_000 });
    t.clock.advanceTo(wp.expiresAtMs! + 60_000);
    expect(t.engine.readWaitpointToken({ waitpointId: wp.waitpointId })).toBe(wp.token);
    expect(catchError(() => t.engine.deliverSignal({ executionId: t.executionId, waitpointId: wp.waitpointId, waitpointToken: wp.token, signalName: 's' }))).toMatchObject({
      code: 'validation.invalid_token',
      details: { reason: 'expired' },
    });
  });

  it('an expired pending waitpoint cannot be bound by suspend', async () => {
    const t = await claimedExecution();
    const wp = t.engine.createWaitpoint({ handle: t.handle, waitpointKey: 'cb', expiresInMs: 1_000 });
    t.engine.renewLease({ handle: t.handle });
    t.clock.advance(1_000);
    expect(
      catchError(() => t.engine.suspend({ handle: t.handle, waitpoints: [{ kind: 'use_pending', waitpointId: wp.waitpointId }], resumeCondition: { kind: 'approval' } })),
    ).toMatchObject({ code: 'validation.invalid_input', details: { field: 'waitpoints.0.waitpointId' } });
  });
});
