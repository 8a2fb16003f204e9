import { describe, expect, it } from 'vitest';
import { makeEngine, rows, WORKER } from './helpers.js';

describe('complete, fail, retry, delay, renew, progress', () => {
  it('completes with a result and writes one completion event and a released lease event', async () => {
    const { engine, clock } = await makeEngine();
    const id = engine.createExecution({ laneId: 'l', namespace: 'ns', tags: { 'cairn.instance_id': 'i9' } }).executionId;
    const h = engine.claim({ laneId: 'l', ...WORKER })!;
    clock.advance(10);
    expect(engine.completeExecution({ handle: h, result: 'done!' })).toEqual({ kind: 'completed', executionId: id, publicState: 'completed' });
    expect(engine.readExecutionState({ executionId: id })).toBe('completed');
    expect(engine.getExecutionResult({ executionId: id })).toBe('done!');
    const info = engine.readExecutionInfo({ executionId: id })!;
    expect(info.stateVector.terminalOutcome).toBe('success');
    expect(info.completedAtMs).toBe(clock.now());
    expect(rows(engine, 'SELECT execution_id, outcome, namespace, instance_tag, flow_id FROM ff_completion_event')).toEqual([
      { execution_id: id, outcome: 'success', namespace: 'ns', instance_tag: 'i9', flow_id: null },
    ]);
    expect(rows(engine, 'SELECT event_type FROM ff_lease_event ORDER BY event_id').map((r) => r['event_type'])).toEqual(['acquired', 'released']);
    const attempt = engine.describeExecution({ executionId: id })!.attempts[0]!;
    expect(attempt).toMatchObject({ outcome: 'success', leaseExpiresAtMs: null, terminalAtMs: clock.now() });
  });

  it('keeps a binary result byte for byte', async () => {
    const { engine } = await makeEngine();
    const id = engine.createExecution({ laneId: 'l', payload: new Uint8Array([0, 1, 2, 255]) }).executionId;
    const h = engine.claim({ laneId: 'l', ...WORKER })!;
    engine.completeExecution({ handle: h, result: new Uint8Array([9, 8, 7]) });
    expect(engine.getExecutionResult({ executionId: id })).toEqual(new Uint8Array([9, 8, 7]));
    expect(engine.describeExecution({ executionId: id })!.payload).toEqual(new Uint8Array([0, 1, 2, 255]));
  });

  it('a transient failure with retries left is delayed by a fixed backoff, then claimable as a new attempt', async () => {
    const { engine, clock } = await makeEngine();
    const id = engine.createExecution({ laneId: 'l', retryPolicy: { maxRetries: 2, backoff: { type: 'fixed', delayMs: 500 } } }).executionId;
    const h0 = engine.claim({ laneId: 'l', ...WORKER })!;
    const r = engine.failExecution({ handle: h0, reason: 'boom' });
    expect(r).toEqual({ kind: 'retry_scheduled', executionId: id, delayUntil: clock.now() + 500, nextAttemptIndex: 1, retryCount: 1 });
    const info = engine.readExecutionInfo({ executionId: id })!;
    expect(info.publicState).toBe('delayed');
    expect(info.stateVector.blockingReason).toBe('waiting_for_retry_backoff');
    expect(info.eligibleAtMs).toBe(clock.now() + 500);
    expect(rows(engine, 'SELECT COUNT(*) AS n FROM ff_completion_event')[0]).toEqual({ n: 0 });

    clock.advance(499);
    expect(engine.claim({ laneId: 'l', ...WORKER })).toBeNull();
    clock.advance(1);
    const h1 = engine.claim({ laneId: 'l', ...WORKER })!;
    expect(h1).toMatchObject({ executionId: id, attemptIndex: 1, leaseEpoch: 2 });
    const attempts = engine.describeExecution({ executionId: id })!.attempts;
    expect(attempts.map((a) => [a.attemptType, a.outcome, a.failureReason])).toEqual([
      ['initial', 'retry', 'boom'],
      ['retry', null, null],
    ]);
  });

  it('exponential backoff grows by the multiplier and stops at the cap', async () => {
    const { engine, clock } = await makeEngine();
    engine.createExecution({
      laneId: 'l',
      retryPolicy: { maxRetries: 5, backoff: { type: 'exponential', initialDelayMs: 100, multiplier: 3, maxDelayMs: 1_000 } },
    });
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      const h = engine.claim({ laneId: 'l', ...WORKER })!;
      const r = engine.failExecution({ handle: h, reason: `f${i}` });
      if (r.kind !== 'retry_scheduled') throw new Error('expected a retry');
      delays.push(r.delayUntil - clock.now());
      clock.advanceTo(r.delayUntil);
    }
    expect(delays).toEqual([100, 300, 900, 1_000, 1_000]);
  });

  it('exhausted retries end failed with one completion event', async () => {
    const { engine, clock } = await makeEngine();
    const id = engine.createExecution({ laneId: 'l', retryPolicy: { maxRetries: 2, backoff: { type: 'fixed', delayMs: 10 } } }).executionId;
    const kinds: string[] = [];
    for (let i = 0; i < 3; i++) {
      const h = engine.claim({ laneId: 'l', ...WORKER })!;
      kinds.push(engine.failExecution({ handle: h, reason: 'x' }).kind);
      clock.advance(10);
    }
    expect(kinds).toEqual(['retry_scheduled', 'retry_scheduled', 'terminal_failed']);
    const info = engine.readExecutionInfo({ executionId: id })!;
    expect(info).toMatchObject({ publicState: 'failed', retryCount: 2, attemptCount: 3 });
    expect(info.stateVector.terminalOutcome).toBe('failed');
    expect(rows(engine, 'SELECT outcome FROM ff_completion_event')).toEqual([{ outcome: 'failed' }]);
    expect(engine.claim({ laneId: 'l', ...WORKER })).toBeNull();
  });

  it('a permanent failure ends failed at once even with retries left', async () => {
    const { engine } = await makeEngine();
    const id = engine.createExecution({ laneId: 'l', retryPolicy: { maxRetries: 5 } }).executionId;
    const h = engine.claim({ laneId: 'l', ...WORKER })!;
    expect(engine.failExecution({ handle: h, reason: 'bad input', failureClass: 'permanent' }).kind).toBe('terminal_failed');
    expect(engine.describeExecution({ executionId: id })!.lastFailureReason).toBe('bad input');
  });

  it('no retry policy means the first failure is final', async () => {
    const { engine } = await makeEngine();
    engine.createExecution({ laneId: 'l' });
    const h = engine.claim({ laneId: 'l', ...WORKER })!;
    expect(engine.failExecution({ handle: h, reason: 'x' }).kind).toBe('terminal_failed');
  });

  it('a zero backoff makes the retry claimable immediately', async () => {
    const { engine } = await makeEngine();
    engine.createExecution({ laneId: 'l', retryPolicy: { maxRetries: 1, backoff: { type: 'fixed', delayMs: 0 } } });
    const h = engine.claim({ laneId: 'l', ...WORKER })!;
    engine.failExecution({ handle: h, reason: 'x' });
    expect(engine.claim({ laneId: 'l', ...WORKER })?.attemptIndex).toBe(1);
  });

  it('delay hands the execution back until a time without counting a retry', async () => {
    const { engine, clock } = await makeEngine();
    const id = engine.createExecution({ laneId: 'l' }).executionId;
    const h = engine.claim({ laneId: 'l', ...WORKER })!;
    expect(engine.delay({ handle: h, delayUntil: clock.now() + 1_000 })).toEqual({ kind: 'delayed', executionId: id, delayUntil: clock.now() + 1_000 });
    expect(engine.readExecutionInfo({ executionId: id })).toMatchObject({ publicState: 'delayed', retryCount: 0 });
    expect(engine.claim({ laneId: 'l', ...WORKER })).toBeNull();
    clock.advance(1_000);
    const again = engine.claim({ laneId: 'l', ...WORKER })!;
    expect(again).toMatchObject({ attemptIndex: 1, kind: 'resumed' });
    expect(rows(engine, 'SELECT event_type FROM ff_lease_event ORDER BY event_id').map((r) => r['event_type'])).toEqual([
      'acquired',
      'released',
      'acquired',
    ]);
  });

  it('renewLease moves the expiry forward and emits a renewed event', async () => {
    const { engine, clock } = await makeEngine();
    const id = engine.createExecution({ laneId: 'l' }).executionId;
    const h = engine.claim({ laneId: 'l', ...WORKER, leaseTtlMs: 1_000 })!;
    clock.advance(900);
    expect(engine.renewLease({ handle: h })).toEqual({ kind: 'renewed', expiresAtMs: clock.now() + 1_000, leaseEpoch: 1 });
    clock.advance(900);
    expect(engine.renewLease({ handle: h, leaseTtlMs: 5_000 }).expiresAtMs).toBe(clock.now() + 5_000);
    expect(engine.describeExecution({ executionId: id })!.attempts[0]!.leaseExpiresAtMs).toBe(clock.now() + 5_000);
    expect(rows(engine, 'SELECT event_type FROM ff_lease_event ORDER BY event_id').map((r) => r['event_type'])).toEqual([
      'acquired',
      'renewed',
      'renewed',
    ]);
  });

  it('progress keeps the field that was not given', async () => {
    const { engine } = await makeEngine();
    const id = engine.createExecution({ laneId: 'l' }).executionId;
    const h = engine.claim({ laneId: 'l', ...WORKER })!;
    const progressOf = () => engine.describeExecution({ executionId: id })!.progress;
    expect(progressOf()).toEqual({ percent: null, message: null });
    engine.progress({ handle: h, percent: 42 });
    expect(progressOf()).toEqual({ percent: 42, message: null });
    engine.progress({ handle: h, message: 'halfway' });
    expect(progressOf()).toEqual({ percent: 42, message: 'halfway' });
    engine.progress({ handle: h, percent: 50 });
    expect(progressOf()).toEqual({ percent: 50, message: 'halfway' });
  });
});
