/**
 * The attempt_timeout scanner on virtual time: an attempt running past its
 * policy's attemptTimeoutMs is failed as `timeout` at exactly that instant,
 * retried under the retry policy or, with no retries left, failed for good;
 * the worker's handle goes stale either way.
 */
import { describe, expect, it } from 'vitest';
import type { Engine, Handle } from '../../src/index.js';
import { catchError, makeEngine, rows, WORKER } from './helpers.js';
import { completionEvents } from './flow-helpers.js';

const TIMEOUT = 5_000;
/** Leases outlast the attempt timeout, so lease_expiry never gets there first unless a test wants it to. */
const LONG_LEASE = { ...WORKER, leaseTtlMs: 60_000 };

function claim(engine: Engine, lease = LONG_LEASE): Handle {
  const handle = engine.claim({ laneId: 'l', ...lease });
  if (!handle) throw new Error('nothing to claim');
  return handle;
}

function leaseEvents(engine: Engine, executionId: string): { event_type: string; lease_epoch: number; attempt_index: number }[] {
  return rows(engine, `SELECT event_type, lease_epoch, attempt_index FROM ff_lease_event WHERE execution_id = '${executionId}' ORDER BY event_id`);
}

describe('attempt_timeout', () => {
  it('fails the attempt as a timeout at exactly claim + attemptTimeoutMs (not at t-1) and schedules the retry', async () => {
    const { engine, clock } = await makeEngine({ scanners: {} });
    const id = engine.createExecution({
      laneId: 'l',
      attemptTimeoutMs: TIMEOUT,
      retryPolicy: { maxRetries: 2, backoff: { type: 'fixed', delayMs: 1_000 } },
    }).executionId;
    engine.advanceTime({ ms: 2_000 });
    const claimedAt = clock.now();
    const handle = claim(engine);
    expect(engine.describeExecution({ executionId: id })?.attempts[0]?.timeoutAtMs).toBe(claimedAt + TIMEOUT);
    expect(engine.nextDue({ scanner: 'attempt_timeout' })).toEqual({ at: claimedAt + TIMEOUT, scanner: 'attempt_timeout' });

    engine.advanceTime({ ms: TIMEOUT - 1 });
    expect(engine.readExecutionState({ executionId: id })).toBe('active');
    // Renewing the lease at t-1 works, and does not move the timeout.
    expect(engine.renewLease({ handle }).kind).toBe('renewed');
    expect(engine.nextDue({ scanner: 'attempt_timeout' })?.at).toBe(claimedAt + TIMEOUT);

    const { reports } = engine.advanceTime({ ms: 1 });
    expect(reports).toEqual([{ scanner: 'attempt_timeout', at: claimedAt + TIMEOUT, processed: 1, errors: 0 }]);
    const after = engine.describeExecution({ executionId: id })!;
    expect(after).toMatchObject({ publicState: 'delayed', retryCount: 1, eligibleAtMs: claimedAt + TIMEOUT + 1_000, lastFailureReason: 'timeout' });
    expect(after.stateVector).toMatchObject({ lifecyclePhase: 'runnable', blockingReason: 'waiting_for_retry_backoff', attemptState: 'pending_retry_attempt' });
    expect(after.attempts[0]).toMatchObject({ outcome: 'retry', failureReason: 'timeout', terminalAtMs: claimedAt + TIMEOUT, leaseExpiresAtMs: null });
    // The lease ended with an `expired` event under the epoch it was held with.
    expect(leaseEvents(engine, id).map((e) => e.event_type)).toEqual(['acquired', 'renewed', 'expired']);
    expect(leaseEvents(engine, id).at(-1)).toMatchObject({ lease_epoch: handle.leaseEpoch, attempt_index: 0 });
    expect(completionEvents(engine, id)).toEqual([]);
    expect(engine.nextDue({ scanner: 'attempt_timeout' })).toBeNull();

    // The worker's handle is stale: its complete and its renew are refused, and nothing changes.
    expect(catchError(() => engine.completeExecution({ handle })).code).toBe('state.stale_lease');
    expect(catchError(() => engine.renewLease({ handle })).code).toBe('state.stale_lease');
    expect(catchError(() => engine.failExecution({ handle })).code).toBe('state.stale_lease');
    expect(engine.readExecutionState({ executionId: id })).toBe('delayed');

    // The retry is a new attempt with a whole timeout of its own, under a newer epoch.
    engine.advanceTime({ ms: 1_000 });
    const retry = claim(engine);
    expect(retry).toMatchObject({ attemptIndex: 1 });
    expect(retry.leaseEpoch).toBeGreaterThan(handle.leaseEpoch + 1);
    expect(engine.describeExecution({ executionId: id })?.attempts[1]?.timeoutAtMs).toBe(clock.now() + TIMEOUT);
    expect(engine.completeExecution({ handle: retry }).kind).toBe('completed');
    expect(engine.nextDue({ scanner: 'attempt_timeout' })).toBeNull();
  });

  it('with its retries used up, the last timeout ends the execution failed, with a completion event', async () => {
    const { engine } = await makeEngine({ scanners: {} });
    const id = engine.createExecution({
      laneId: 'l',
      attemptTimeoutMs: TIMEOUT,
      retryPolicy: { maxRetries: 1, backoff: { type: 'fixed', delayMs: 0 } },
    }).executionId;
    claim(engine);
    engine.advanceTime({ ms: TIMEOUT });
    expect(engine.readExecutionInfo({ executionId: id })).toMatchObject({ publicState: 'waiting', retryCount: 1 });
    const last = claim(engine);
    engine.advanceTime({ ms: TIMEOUT - 1 });
    expect(engine.readExecutionState({ executionId: id })).toBe('active');
    engine.advanceTime({ ms: 1 });
    const ended = engine.describeExecution({ executionId: id })!;
    expect(ended).toMatchObject({ publicState: 'failed', retryCount: 1, lastFailureReason: 'timeout' });
    expect(ended.stateVector).toMatchObject({ lifecyclePhase: 'terminal', terminalOutcome: 'failed' });
    expect(ended.attempts.map((a) => [a.outcome, a.failureReason])).toEqual([['retry', 'timeout'], ['failed', 'timeout']]);
    expect(completionEvents(engine, id)).toEqual([{ outcome: 'failed', dispatched: true }]);
    expect(catchError(() => engine.completeExecution({ handle: last })).code).toBe('state.stale_lease');
    expect(completionEvents(engine, id)).toHaveLength(1);
  });

  it('without a retry policy the first timeout is final', async () => {
    const { engine } = await makeEngine({ scanners: {} });
    const id = engine.createExecution({ laneId: 'l', attemptTimeoutMs: TIMEOUT }).executionId;
    claim(engine);
    engine.advanceTime({ ms: TIMEOUT });
    expect(engine.readExecutionState({ executionId: id })).toBe('failed');
    expect(completionEvents(engine, id)).toEqual([{ outcome: 'failed', dispatched: true }]);
  });

  it('an attempt that ends in time is never touched, and one without a timeout is never due', async () => {
    const { engine } = await makeEngine({ scanners: {} });
    const timed = engine.createExecution({ laneId: 'l', attemptTimeoutMs: TIMEOUT }).executionId;
    const untimed = engine.createExecution({ laneId: 'l' }).executionId;
    const first = claim(engine);
    const second = claim(engine);
    expect(first.executionId).toBe(timed);
    expect(engine.describeExecution({ executionId: untimed })?.attempts[0]?.timeoutAtMs).toBeNull();
    engine.advanceTime({ ms: TIMEOUT - 1 });
    engine.completeExecution({ handle: first });
    expect(engine.nextDue({ scanner: 'attempt_timeout' })).toBeNull();
    const { reports } = engine.advanceTime({ ms: 50_000 });
    expect(reports.filter((r) => r.scanner === 'attempt_timeout')).toEqual([]);
    expect(engine.readExecutionState({ executionId: timed })).toBe('completed');
    expect(engine.completeExecution({ handle: second }).kind).toBe('completed');
  });

  it('an attempt whose lease lapsed first still times out at its instant, and its reclaim grant is no use afterwards', async () => {
    const { engine, clock } = await makeEngine({ scanners: {} });
    const id = engine.createExecution({ laneId: 'l', attemptTimeoutMs: TIMEOUT }).executionId;
    const start = clock.now();
    claim(engine, { ...WORKER, leaseTtlMs: 2_000 });
    engine.advanceTime({ ms: 2_000 });
    expect(engine.readExecutionInfo({ executionId: id })?.stateVector.ownershipState).toBe('lease_expired_reclaimable');
    const grant = engine.issueReclaimGrant({ executionId: id, workerId: 'w2', workerInstanceId: 'w2-i1', laneId: 'l', grantTtlMs: 60_000 });
    expect(grant.kind).toBe('granted');
    engine.advanceTimeTo({ at: start + TIMEOUT - 1 });
    expect(engine.readExecutionState({ executionId: id })).toBe('active');
    engine.advanceTimeTo({ at: start + TIMEOUT });
    expect(engine.readExecutionState({ executionId: id })).toBe('failed');
    expect(leaseEvents(engine, id).map((e) => e.event_type)).toEqual(['acquired', 'expired', 'expired']);
    expect(engine.reclaimExecution({ executionId: id, workerId: 'w2', workerInstanceId: 'w2-i1', leaseTtlMs: 1_000 }).kind).toBe('not_reclaimable');
  });

  it('a reclaimed attempt gets a whole timeout of its own', async () => {
    const { engine, clock } = await makeEngine({ scanners: {} });
    const id = engine.createExecution({ laneId: 'l', attemptTimeoutMs: TIMEOUT }).executionId;
    claim(engine, { ...WORKER, leaseTtlMs: 1_000 });
    engine.advanceTime({ ms: 1_000 });
    engine.issueReclaimGrant({ executionId: id, workerId: 'w2', workerInstanceId: 'w2-i1', laneId: 'l', grantTtlMs: 60_000 });
    const reclaimed = engine.reclaimExecution({ executionId: id, workerId: 'w2', workerInstanceId: 'w2-i1', leaseTtlMs: 60_000 });
    if (reclaimed.kind !== 'claimed') throw new Error(reclaimed.kind);
    const reclaimedAt = clock.now();
    expect(engine.nextDue({ scanner: 'attempt_timeout' })?.at).toBe(reclaimedAt + TIMEOUT);
    engine.advanceTime({ ms: TIMEOUT - 1 });
    expect(engine.renewLease({ handle: reclaimed.handle }).kind).toBe('renewed');
    engine.advanceTime({ ms: 1 });
    expect(catchError(() => engine.renewLease({ handle: reclaimed.handle })).code).toBe('state.stale_lease');
    expect(engine.describeExecution({ executionId: id })?.attempts.map((a) => a.outcome)).toEqual(['interrupted_reclaimed', 'failed']);
  });

  it('with the scanner disabled (interval 0) nothing times out and nextDue names nothing', async () => {
    const { engine } = await makeEngine({ scanners: { intervals: { attempt_timeout: 0 } } });
    const id = engine.createExecution({ laneId: 'l', attemptTimeoutMs: TIMEOUT }).executionId;
    const handle = claim(engine);
    expect(engine.nextDue({ scanner: 'attempt_timeout' })).toBeNull();
    engine.advanceTime({ ms: TIMEOUT * 4 });
    expect(engine.readExecutionState({ executionId: id })).toBe('active');
    expect(engine.scannerStates().find((s) => s.name === 'attempt_timeout')).toMatchObject({ enabled: false, ticks: 0 });
    expect(engine.completeExecution({ handle }).kind).toBe('completed');
  });

  it('runScanner runs one tick on demand', async () => {
    const { engine, clock } = await makeEngine({ scanners: { intervals: { attempt_timeout: 0 } } });
    const id = engine.createExecution({ laneId: 'l', attemptTimeoutMs: TIMEOUT }).executionId;
    claim(engine);
    clock.advance(TIMEOUT);
    expect(await engine.runScanner({ scanner: 'attempt_timeout' })).toEqual({ scanner: 'attempt_timeout', at: clock.now(), processed: 1, errors: 0 });
    expect(engine.readExecutionState({ executionId: id })).toBe('failed');
  });

  it('rejects a bad attemptTimeoutMs with a validation error naming the field, and creates nothing', async () => {
    const { engine } = await makeEngine();
    for (const attemptTimeoutMs of [0, -1, 1.5, 31 * 86_400_000, '5000']) {
      const error = catchError(() => engine.createExecution({ laneId: 'l', attemptTimeoutMs: attemptTimeoutMs as number }));
      expect(error.code).toBe('validation.invalid_input');
      expect(error.details['field']).toBe('attemptTimeoutMs');
    }
    expect(engine.listExecutions({}).executions).toEqual([]);
    const id = engine.createExecution({ laneId: 'l', attemptTimeoutMs: 1 }).executionId;
    expect(engine.describeExecution({ executionId: id })?.attemptTimeoutMs).toBe(1);
  });
});
