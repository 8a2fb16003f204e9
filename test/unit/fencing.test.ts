import { describe, expect, it } from 'vitest';
import type { Handle } from '../../src/index.js';
import { catchError, makeEngine, rows, sameImage, WORKER } from './helpers.js';

type Op = 'renewLease' | 'progress' | 'completeExecution' | 'failExecution' | 'delay';
const OPS: Op[] = ['renewLease', 'progress', 'completeExecution', 'failExecution', 'delay'];

function call(engine: Awaited<ReturnType<typeof makeEngine>>['engine'], op: Op, handle: Handle): unknown {
  switch (op) {
    case 'renewLease':
      return engine.renewLease({ handle });
    case 'progress':
      return engine.progress({ handle, percent: 1 });
    case 'completeExecution':
      return engine.completeExecution({ handle });
    case 'failExecution':
      return engine.failExecution({ handle, reason: 'x' });
    case 'delay':
      return engine.delay({ handle, delayUntil: 0 });
  }
}

describe('fencing: every handle-taking operation', () => {
  for (const op of OPS) {
    describe(op, () => {
      // The reference backend fences on the attempt row's epoch only, so an
      // old attempt's handle keeps working after a retry was claimed.
      it('rejects a handle from before a newer claim, and changes nothing', async () => {
        const { engine } = await makeEngine();
        const id = engine.createExecution({ laneId: 'l', retryPolicy: { maxRetries: 1, backoff: { type: 'fixed', delayMs: 0 } } }).executionId;
        const old = engine.claim({ laneId: 'l', ...WORKER })!;
        engine.failExecution({ handle: old, reason: 'retry me' });
        const current = engine.claim({ laneId: 'l', ...WORKER })!;
        const before = engine.exportImage();
        const err = catchError(() => call(engine, op, old));
        expect(err.code).toBe('state.stale_lease');
        expect(err.details).toMatchObject({ handleLeaseEpoch: 1, currentLeaseEpoch: 2, handleAttemptIndex: 0, currentAttemptIndex: 1 });
        expect(sameImage(engine.exportImage(), before)).toBe(true);
        expect(engine.readExecutionState({ executionId: id })).toBe('active');
        expect(() => call(engine, op, current)).not.toThrow();
      });

      it('rejects an expired lease, and changes nothing', async () => {
        const { engine, clock } = await makeEngine();
        engine.createExecution({ laneId: 'l' });
        const h = engine.claim({ laneId: 'l', ...WORKER, leaseTtlMs: 1_000 })!;
        clock.advance(1_000);
        const before = engine.exportImage();
        expect(catchError(() => call(engine, op, h)).code).toBe('state.lease_expired');
        expect(sameImage(engine.exportImage(), before)).toBe(true);
      });

      it("rejects another backend's handle", async () => {
        const { engine } = await makeEngine();
        engine.createExecution({ laneId: 'l' });
        const h = engine.claim({ laneId: 'l', ...WORKER })!;
        const err = catchError(() => call(engine, op, { ...h, backend: 'valkey' }));
        expect(err.code).toBe('validation.handle_from_other_backend');
        expect(err.details).toMatchObject({ expected: 'sqlite', actual: 'valkey' });
      });

      it('rejects a forged epoch or lease id', async () => {
        const { engine } = await makeEngine();
        engine.createExecution({ laneId: 'l' });
        const h = engine.claim({ laneId: 'l', ...WORKER })!;
        expect(catchError(() => call(engine, op, { ...h, leaseEpoch: 999 })).code).toBe('state.stale_lease');
        expect(catchError(() => call(engine, op, { ...h, leaseId: '00000000-0000-4000-8000-000000000000' })).code).toBe('state.stale_lease');
      });

      it('rejects a handle naming another worker instance', async () => {
        const { engine } = await makeEngine();
        engine.createExecution({ laneId: 'l' });
        const h = engine.claim({ laneId: 'l', ...WORKER })!;
        const err = catchError(() => call(engine, op, { ...h, workerInstanceId: 'intruder' }));
        expect(err.code).toBe('contention.lease_conflict');
        expect(err.details['holder']).toBe('w1-i1');
      });

      it('rejects a handle for an unknown execution', async () => {
        const { engine } = await makeEngine();
        engine.createExecution({ laneId: 'l' });
        const h = engine.claim({ laneId: 'l', ...WORKER })!;
        const err = catchError(() => call(engine, op, { ...h, executionId: '{fp:0}:11111111-1111-4111-8111-111111111111' }));
        expect(err).toMatchObject({ code: 'not_found', details: { entity: 'execution' } });
      });
    });
  }

  it('completing twice is rejected and emits a single completion event', async () => {
    const { engine } = await makeEngine();
    const id = engine.createExecution({ laneId: 'l' }).executionId;
    const h = engine.claim({ laneId: 'l', ...WORKER })!;
    engine.completeExecution({ handle: h, result: 'first' });
    const err = catchError(() => engine.completeExecution({ handle: h, result: 'second' }));
    expect(err.code).toBe('contention.execution_not_active');
    expect(err.details).toMatchObject({ lifecyclePhase: 'terminal', terminalOutcome: 'success' });
    expect(rows(engine, 'SELECT COUNT(*) AS n FROM ff_completion_event')).toEqual([{ n: 1 }]);
    expect(engine.getExecutionResult({ executionId: id })).toBe('first');
  });

  it('a handle from a delayed attempt cannot touch the next one', async () => {
    const { engine, clock } = await makeEngine();
    engine.createExecution({ laneId: 'l' });
    const h0 = engine.claim({ laneId: 'l', ...WORKER })!;
    engine.delay({ handle: h0, delayUntil: clock.now() });
    engine.claim({ laneId: 'l', ...WORKER, workerInstanceId: 'w2' });
    expect(catchError(() => engine.completeExecution({ handle: h0 })).code).toBe('state.stale_lease');
  });
});
