/**
 * Suspend and resume through the public API: the approval round trip, the
 * state columns along the way, fencing of the worker's old handle, suspend
 * idempotency, pending waitpoints and their listing.
 */
import { describe, expect, it } from 'vitest';
import { catchError, rows, WORKER } from './helpers.js';
import { claimedExecution, KID, signal, suspendedExecution, suspendOn } from './suspension-helpers.js';

const STATE_SQL = `SELECT lifecycle_phase, ownership_state, eligibility_state, public_state, attempt_state, lease_epoch FROM ff_exec_core`;

describe('the approval round trip', () => {
  it('suspend → token → deliver → resumable → claimResumedExecution → complete', async () => {
    const t = await suspendedExecution(['approval'], { kind: 'approval' });
    const { engine, executionId, suspended } = t;
    expect(suspended).toMatchObject({ kind: 'suspended', executionId, replayed: false, timeoutAtMs: null });
    expect(suspended.waitpoints).toHaveLength(1);
    expect(suspended.waitpoints[0]!.token).toMatch(new RegExp(`^${KID}:[0-9a-f]{64}$`));
    expect(rows(engine, STATE_SQL)[0]).toMatchObject({
      lifecycle_phase: 'suspended',
      ownership_state: 'unowned',
      eligibility_state: 'not_applicable',
      public_state: 'suspended',
      attempt_state: 'attempt_interrupted',
      lease_epoch: 2,
    });
    expect(engine.readExecutionState({ executionId })).toBe('suspended');

    const token = engine.readWaitpointToken({ waitpointId: suspended.waitpoints[0]!.waitpointId });
    expect(token).toBe(suspended.waitpoints[0]!.token);
    const delivered = engine.deliverSignal({ executionId, waitpointId: suspended.waitpoints[0]!.waitpointId, waitpointToken: token!, signalName: 'approved' });
    expect(delivered).toMatchObject({ kind: 'accepted', effect: 'resume_condition_satisfied', duplicate: false });
    // Resumable is not an ending: no completion event (FlowFabric writes one with outcome 'resumable').
    expect(rows(engine, 'SELECT COUNT(*) AS n FROM ff_completion_event')).toEqual([{ n: 0 }]);
    expect(rows(engine, STATE_SQL)[0]).toMatchObject({ lifecycle_phase: 'runnable', eligibility_state: 'eligible_now', public_state: 'resumable', attempt_state: 'attempt_interrupted' });
    // Satisfaction deletes the waitpoints: the token is spent.
    expect(engine.listPendingWaitpoints({ executionId }).entries).toEqual([]);
    expect(engine.readWaitpointToken({ waitpointId: suspended.waitpoints[0]!.waitpointId })).toBeNull();

    const resumed = engine.claimResumedExecution({ executionId, ...WORKER });
    expect(resumed).toMatchObject({ kind: 'resumed', executionId, attemptIndex: 1, leaseEpoch: 3 });
    expect(rows(engine, `SELECT attempt_index, attempt_type, outcome FROM ff_attempt ORDER BY attempt_index`)).toEqual([
      { attempt_index: 0, attempt_type: 'initial', outcome: 'attempt_interrupted' },
      { attempt_index: 1, attempt_type: 'resume', outcome: null },
    ]);
    expect(engine.observeSignals({ handle: resumed }).map((s) => s.signalName)).toEqual(['approved']);
    expect(engine.completeExecution({ handle: resumed, result: 'ok' })).toMatchObject({ kind: 'completed' });
    expect(engine.readExecutionState({ executionId })).toBe('completed');
    const leaseEvents = rows<{ event_type: string; lease_epoch: number }>(engine, 'SELECT event_type, lease_epoch FROM ff_lease_event ORDER BY event_id');
    expect(leaseEvents.map((e) => e.event_type)).toEqual(['acquired', 'released', 'acquired', 'released']);
  });

  it('a rejected approval is recorded without resuming; observeSignals leaves it out', async () => {
    const t = await suspendedExecution(['approval'], { kind: 'approval' });
    expect(signal(t, 'approval', 'rejected')).toMatchObject({ effect: 'appended_to_waitpoint' });
    expect(t.engine.readExecutionState({ executionId: t.executionId })).toBe('suspended');
    expect(t.engine.observeSignals({ handle: t.suspended.handle })).toEqual([]);
  });
});

describe('suspend', () => {
  it("releases the lease: the worker's handle is stale for every fenced call", async () => {
    const t = await suspendedExecution(['k'], { kind: 'approval' });
    for (const call of [
      () => t.engine.completeExecution({ handle: t.handle }),
      () => t.engine.renewLease({ handle: t.handle }),
      () => suspendOn(t, ['k2'], { kind: 'approval' }),
    ]) {
      expect(catchError(call).code).toBe('state.stale_lease');
    }
  });

  it('replays the first outcome for the same idempotency key, even with the stale handle, writing nothing', async () => {
    const t = await claimedExecution();
    const first = suspendOn(t, ['k'], { kind: 'approval' }, { idempotencyKey: 'op-123' });
    const image = t.engine.exportImage();
    const again = suspendOn(t, ['k'], { kind: 'approval' }, { idempotencyKey: 'op-123' });
    expect(again).toEqual({ ...first, replayed: true });
    expect(Buffer.compare(t.engine.exportImage(), image)).toBe(0);
  });

  it('scopes the idempotency key to the execution (FlowFabric replays another execution\'s outcome)', async () => {
    const t = await claimedExecution();
    t.engine.createExecution({ laneId: 'l' });
    const other = t.engine.claim({ laneId: 'l', ...WORKER })!;
    const first = suspendOn(t, ['k'], { kind: 'approval' }, { idempotencyKey: 'same' });
    const second = suspendOn({ ...t, handle: other }, ['k'], { kind: 'approval' }, { idempotencyKey: 'same' });
    expect(second).toMatchObject({ executionId: other.executionId, replayed: false });
    expect(second.suspensionId).not.toBe(first.suspensionId);
    expect(t.engine.readExecutionState({ executionId: other.executionId })).toBe('suspended');
  });

  it('createWaitpoint is fenced: a stale handle is refused (FlowFabric checks nothing)', async () => {
    const t = await suspendedExecution(['k'], { kind: 'approval' });
    const before = t.engine.exportImage();
    expect(catchError(() => t.engine.createWaitpoint({ handle: t.handle, waitpointKey: 'late' })).code).toBe('state.stale_lease');
    expect(Buffer.compare(t.engine.exportImage(), before)).toBe(0);
  });

  it('refuses a condition naming a key that is not bound, and a timeout in the past, changing nothing', async () => {
    const t = await claimedExecution();
    const before = t.engine.exportImage();
    expect(catchError(() => suspendOn(t, ['a'], { kind: 'approval', waitpointKey: 'b' }))).toMatchObject({
      code: 'validation.invalid_input',
      details: { field: 'resumeCondition' },
    });
    expect(catchError(() => suspendOn(t, ['a'], { kind: 'approval' }, { timeout: { atMs: t.clock.now(), behavior: 'fail' } }))).toMatchObject({
      details: { field: 'timeout.atMs' },
    });
    expect(catchError(() => suspendOn(t, ['a', 'a'], { kind: 'approval' }))).toMatchObject({ details: { field: 'waitpoints' } });
    expect(Buffer.compare(t.engine.exportImage(), before)).toBe(0);
  });

  it('refuses to suspend before a secret is seeded', async () => {
    const t = await claimedExecution({ seed: false });
    expect(catchError(() => suspendOn(t, ['a'], { kind: 'approval' }))).toMatchObject({ code: 'validation.invalid_input', details: { field: 'waitpoints' } });
    expect(t.engine.readExecutionState({ executionId: t.executionId })).toBe('active');
  });

  it('binds a pending waitpoint made by createWaitpoint, which keeps its token', async () => {
    const t = await claimedExecution();
    const pending = t.engine.createWaitpoint({ handle: t.handle, waitpointKey: 'callback', expiresInMs: 60_000 });
    expect(pending.token.startsWith(`${KID}:`)).toBe(true);
    expect(t.engine.listPendingWaitpoints({ executionId: t.executionId }).entries).toMatchObject([{ state: 'pending', waitpointKey: 'callback' }]);
    // A pending waitpoint has no suspension to file a signal in.
    expect(
      catchError(() => t.engine.deliverSignal({ executionId: t.executionId, waitpointId: pending.waitpointId, waitpointToken: pending.token, signalName: 'done' })).code,
    ).toBe('state.execution_not_suspended');
    const s = t.engine.suspend({
      handle: t.handle,
      waitpoints: [{ kind: 'use_pending', waitpointId: pending.waitpointId }],
      resumeCondition: { kind: 'signals', mode: 'any_of', signals: [{ name: 'done' }] },
    });
    expect(s.waitpoints).toEqual([{ waitpointId: pending.waitpointId, waitpointKey: 'callback', token: pending.token }]);
    expect(t.engine.deliverSignal({ executionId: t.executionId, waitpointId: pending.waitpointId, waitpointToken: pending.token, signalName: 'done' }).effect).toBe(
      'resume_condition_satisfied',
    );
  });
});

describe('listPendingWaitpoints', () => {
  it('pages in waitpoint id order and redacts tokens to kid and fingerprint', async () => {
    const t = await suspendedExecution(['wpk:0', 'wpk:1', 'wpk:2', 'wpk:3', 'wpk:4'], { kind: 'signals', mode: 'all_of', signals: [{ name: 'go', waitpointKey: 'wpk:1' }] });
    const pages: string[][] = [];
    let after: string | undefined;
    for (;;) {
      const page = t.engine.listPendingWaitpoints({ executionId: t.executionId, limit: 2, ...(after ? { after } : {}) });
      pages.push(page.entries.map((e) => e.waitpointId));
      for (const e of page.entries) {
        expect(e).toMatchObject({ executionId: t.executionId, state: 'active', tokenKid: KID, activatedAtMs: t.clock.now() });
        const issued = t.suspended.waitpoints.find((w) => w.waitpointId === e.waitpointId)!;
        expect(e.tokenFingerprint).toBe(issued.token.slice(KID.length + 1, KID.length + 17));
        expect(JSON.stringify(e)).not.toContain(issued.token.slice(KID.length + 1));
        expect(e.requiredSignalNames).toEqual(e.waitpointKey === 'wpk:1' ? ['go'] : []);
      }
      if (!page.nextCursor) break;
      after = page.nextCursor;
    }
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    const all = pages.flat();
    expect(all).toEqual([...all].sort());
    expect(new Set(all)).toEqual(new Set(t.suspended.waitpoints.map((w) => w.waitpointId)));
  });

  it('is not_found for an unknown execution and empty for one never suspended', async () => {
    const t = await claimedExecution();
    expect(t.engine.listPendingWaitpoints({ executionId: t.executionId })).toEqual({ entries: [], nextCursor: null });
    expect(catchError(() => t.engine.listPendingWaitpoints({ executionId: '{fp:0}:00000000-0000-4000-8000-000000000000' })).code).toBe('not_found');
  });
});

describe('readSuspension', () => {
  it('shows the condition, the timeout and the signals received; null without a suspension', async () => {
    const t = await claimedExecution();
    expect(t.engine.readSuspension({ executionId: t.executionId })).toBeNull();
    const at = t.clock.now() + 60_000;
    const s = suspendOn(t, ['a'], { kind: 'approval' }, { timeout: { atMs: at, behavior: 'resume' } });
    const wp = s.waitpoints[0]!;
    t.engine.deliverSignal({ executionId: t.executionId, waitpointId: wp.waitpointId, waitpointToken: wp.token, signalName: 'rejected' });
    expect(t.engine.readSuspension({ executionId: t.executionId })).toEqual({
      executionId: t.executionId,
      suspensionId: s.suspensionId,
      reasonCode: 'waiting_for_approval',
      resumeCondition: { kind: 'approval' },
      suspendedAtMs: t.clock.now(),
      satisfiedAtMs: null,
      timeoutAtMs: at,
      timeoutBehavior: 'resume',
      signalsReceived: 1,
    });
    t.engine.resumeExecution({ executionId: t.executionId });
    expect(t.engine.readSuspension({ executionId: t.executionId })).toBeNull();
  });
});
