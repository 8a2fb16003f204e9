/**
 * Signals: all-of and any-of conditions over several signals, idempotent
 * delivery (FlowFabric ignores the key), approvals, observeSignals (only
 * what matched), the two ways to take resumable work, and the operator's
 * resumeExecution with and without a delay.
 */
import { describe, expect, it } from 'vitest';
import { catchError, rows, sameImage, WORKER } from './helpers.js';
import { signal, suspendedExecution, type Claimed } from './suspension-helpers.js';

const state = (t: Claimed) => t.engine.readExecutionState({ executionId: t.executionId });

describe('resume conditions over several signals', () => {
  it('all_of resumes only once every awaited signal has arrived, whatever the order', async () => {
    const t = await suspendedExecution(['a', 'b', 'c'], {
      kind: 'signals',
      mode: 'all_of',
      signals: [{ name: 'x', waitpointKey: 'a' }, { name: 'y', waitpointKey: 'b' }, { name: 'z' }],
    });
    expect(signal(t, 'c', 'z').effect).toBe('appended_to_waitpoint');
    // Right name, wrong waitpoint: does not count for a keyed awaited signal.
    expect(signal(t, 'c', 'x').effect).toBe('appended_to_waitpoint');
    expect(signal(t, 'a', 'x').effect).toBe('appended_to_waitpoint');
    expect(state(t)).toBe('suspended');
    expect(signal(t, 'b', 'y').effect).toBe('resume_condition_satisfied');
    expect(state(t)).toBe('resumable');
    expect(t.engine.observeSignals({ handle: t.suspended.handle }).map((s) => `${s.waitpointKey}/${s.signalName}`)).toEqual(['a/x', 'b/y', 'c/z']);
  });

  it('any_of resumes on the first awaited signal; others before it are recorded, not matched', async () => {
    const t = await suspendedExecution(['a', 'b'], { kind: 'signals', mode: 'any_of', signals: [{ name: 'done' }, { name: 'failed', waitpointKey: 'b' }] });
    expect(signal(t, 'a', 'noise').effect).toBe('appended_to_waitpoint');
    expect(signal(t, 'a', 'failed').effect).toBe('appended_to_waitpoint');
    expect(state(t)).toBe('suspended');
    expect(signal(t, 'b', 'failed').effect).toBe('resume_condition_satisfied');
    expect(t.engine.observeSignals({ handle: t.suspended.handle }).map((s) => `${s.waitpointKey}/${s.signalName}`)).toEqual(['b/failed']);
  });

  it('operator_only is never satisfied by a signal', async () => {
    const t = await suspendedExecution(['a'], { kind: 'operator_only' });
    expect(signal(t, 'a', 'approved').effect).toBe('appended_to_waitpoint');
    expect(t.engine.listPendingWaitpoints({ executionId: t.executionId }).entries[0]!.requiredSignalNames).toEqual(['__operator_only__']);
    expect(state(t)).toBe('suspended');
  });
});

describe('idempotent delivery', () => {
  it('the same key counts once and returns the first outcome', async () => {
    const t = await suspendedExecution(['a', 'b'], { kind: 'signals', mode: 'all_of', signals: [{ name: 'x' }, { name: 'y' }] });
    const first = signal(t, 'a', 'x', { idempotencyKey: 'k1' });
    expect(first).toMatchObject({ effect: 'appended_to_waitpoint', duplicate: false });
    const image = t.engine.exportImage();
    expect(signal(t, 'a', 'x', { idempotencyKey: 'k1' })).toEqual({ ...first, duplicate: true });
    expect(sameImage(t.engine.exportImage(), image)).toBe(true);
    const satisfied = signal(t, 'b', 'y', { idempotencyKey: 'k2' });
    expect(satisfied.effect).toBe('resume_condition_satisfied');
    // The waitpoints are gone, but the key still answers with the first outcome.
    expect(signal(t, 'b', 'y', { idempotencyKey: 'k2' })).toEqual({ ...satisfied, duplicate: true });
    expect(rows(t.engine, 'SELECT signal_name, effect FROM ff_signal_event ORDER BY event_id')).toEqual([
      { signal_name: 'x', effect: 'appended_to_waitpoint' },
      { signal_name: 'y', effect: 'resume_condition_satisfied' },
    ]);
    expect(t.engine.observeSignals({ handle: t.suspended.handle })).toHaveLength(2);
  });

  it('without a key, a second delivery after satisfaction finds no waitpoint', async () => {
    const t = await suspendedExecution(['a'], { kind: 'approval' });
    signal(t, 'a', 'approved');
    expect(catchError(() => signal(t, 'a', 'approved'))).toMatchObject({ code: 'not_found', details: { entity: 'waitpoint' } });
  });
});

describe('deliverApprovalSignal', () => {
  it('approves with the stored token, the caller never holding it; a replayed suffix counts once', async () => {
    const t = await suspendedExecution(['approval'], { kind: 'approval' });
    const waitpointId = t.suspended.waitpoints[0]!.waitpointId;
    const input = { executionId: t.executionId, laneId: 'l', waitpointId, idempotencySuffix: 'click-1' };
    const first = t.engine.deliverApprovalSignal(input);
    expect(first).toMatchObject({ effect: 'resume_condition_satisfied', duplicate: false });
    expect(t.engine.deliverApprovalSignal(input)).toEqual({ ...first, duplicate: true });
    expect(rows(t.engine, 'SELECT idempotency_key, signal_name FROM ff_signal_event')).toEqual([{ idempotency_key: 'approval:approved:click-1', signal_name: 'approved' }]);
    expect(t.engine.observeSignals({ handle: t.suspended.handle })[0]).toMatchObject({ signalCategory: 'approval', sourceType: 'operator' });
  });

  it('refuses another lane (lane_mismatch:) and an unknown waitpoint, changing nothing', async () => {
    const t = await suspendedExecution(['approval'], { kind: 'approval' });
    const before = t.engine.exportImage();
    const waitpointId = t.suspended.waitpoints[0]!.waitpointId;
    const lane = catchError(() => t.engine.deliverApprovalSignal({ executionId: t.executionId, laneId: 'not-l', waitpointId }));
    expect(lane).toMatchObject({ code: 'validation.invalid_input', details: { field: 'laneId' } });
    expect(lane.message).toContain('lane_mismatch:');
    const missing = catchError(() => t.engine.deliverApprovalSignal({ executionId: t.executionId, laneId: 'l', waitpointId: '00000000-0000-4000-8000-000000000000' }));
    expect(missing).toMatchObject({ code: 'not_found', details: { entity: 'waitpoint' } });
    expect(sameImage(t.engine.exportImage(), before)).toBe(true);
  });
});

describe('taking resumable work', () => {
  it('a plain claim of the lane also takes it, opening a resume attempt', async () => {
    const t = await suspendedExecution(['a'], { kind: 'approval' });
    signal(t, 'a', 'approved');
    const handle = t.engine.claim({ laneId: 'l', ...WORKER })!;
    expect(handle).toMatchObject({ executionId: t.executionId, kind: 'resumed', attemptIndex: 1, leaseEpoch: 3 });
    expect(rows(t.engine, 'SELECT attempt_type FROM ff_attempt WHERE attempt_index = 1')).toEqual([{ attempt_type: 'resume' }]);
    // Taken: claimResumedExecution now refuses it.
    expect(catchError(() => t.engine.claimResumedExecution({ executionId: t.executionId, ...WORKER }))).toMatchObject({
      code: 'contention.execution_not_eligible',
      details: { publicState: 'active' },
    });
  });

  it('claimResumedExecution refuses a suspended execution and an unknown one', async () => {
    const t = await suspendedExecution(['a'], { kind: 'approval' });
    expect(catchError(() => t.engine.claimResumedExecution({ executionId: t.executionId, ...WORKER })).code).toBe('contention.execution_not_eligible');
    expect(catchError(() => t.engine.claimResumedExecution({ executionId: '{fp:0}:00000000-0000-4000-8000-000000000000', ...WORKER })).code).toBe('not_found');
  });
});

describe('resumeExecution (operator override)', () => {
  it('without a delay: waiting, the waitpoints and suspension gone, a plain claim opens a resume attempt', async () => {
    const t = await suspendedExecution(['a'], { kind: 'operator_only' });
    expect(t.engine.resumeExecution({ executionId: t.executionId })).toEqual({ kind: 'resumed', executionId: t.executionId, publicState: 'waiting', eligibleAtMs: null });
    expect(t.engine.listPendingWaitpoints({ executionId: t.executionId }).entries).toEqual([]);
    expect(rows(t.engine, 'SELECT COUNT(*) AS n FROM ff_suspension_current')).toEqual([{ n: 0 }]);
    expect(rows(t.engine, "SELECT event_type FROM ff_operator_event")).toEqual([{ event_type: 'resumed' }]);
    expect(t.engine.claim({ laneId: 'l', ...WORKER })).toMatchObject({ kind: 'resumed', attemptIndex: 1 });
  });

  it('with a delay: delayed, then promoted by delayed_promotion at exactly its time (FlowFabric never promotes it)', async () => {
    const t = await suspendedExecution(['a'], { kind: 'operator_only' }, {}, { scanners: {} });
    const at = t.clock.now() + 5_000;
    expect(t.engine.resumeExecution({ executionId: t.executionId, resumeDelayMs: 5_000 })).toMatchObject({ publicState: 'delayed', eligibleAtMs: at });
    expect(rows(t.engine, 'SELECT blocking_reason FROM ff_exec_core')).toEqual([{ blocking_reason: 'waiting_for_resume_delay' }]);
    t.clock.advanceTo(at - 1);
    expect(state(t)).toBe('delayed');
    t.clock.advanceTo(at);
    expect(state(t)).toBe('waiting');
  });

  it('refuses an execution that is not suspended, and an unknown one', async () => {
    const t = await suspendedExecution(['a'], { kind: 'approval' });
    signal(t, 'a', 'approved');
    expect(catchError(() => t.engine.resumeExecution({ executionId: t.executionId })).code).toBe('state.execution_not_suspended');
    expect(catchError(() => t.engine.resumeExecution({ executionId: '{fp:0}:00000000-0000-4000-8000-000000000000' })).code).toBe('not_found');
  });
});
