/**
 * Bounded attempt rows: an execution keeps its first attempt and its newest
 * N; the rest are folded into a summary that describeExecution shows. The
 * current attempt is always kept, so fencing is unchanged.
 */
import { describe, expect, it } from 'vitest';
import { createEngine, ManualClock, type Engine, type Handle } from '../../src/index.js';
import type { ScannerOptions } from '../../src/scanners/build-scanners.js';
import { catchError, makeEngine, openDriver, rows, WORKER } from './helpers.js';

const SECOND = 1_000;
const HOUR = 3_600_000;
const RETRY = { maxRetries: 100, backoff: { type: 'fixed' as const, delayMs: 0 } };

/** Claim and fail `n` times, a second apart; returns the newest handle (left open). */
function failRepeatedly(engine: Engine, clock: ManualClock, n: number): Handle {
  let handle = engine.claim({ laneId: 'l', ...WORKER })!;
  for (let i = 0; i < n; i++) {
    clock.advance(SECOND);
    engine.failExecution({ handle, reason: `try ${i}` });
    handle = engine.claim({ laneId: 'l', ...WORKER })!;
  }
  return handle;
}

const indices = (engine: Engine, executionId: string): number[] =>
  engine.describeExecution({ executionId })!.attempts.map((a) => a.attemptIndex);

describe('attempt cap', () => {
  it('keeps the first and the newest N attempts, and sums up the rest', async () => {
    const { engine, clock } = await makeEngine({ scanners: { retention: { attemptsKept: 3 } } });
    const start = clock.now();
    const { executionId } = engine.createExecution({ laneId: 'l', retryPolicy: RETRY });
    const handle = failRepeatedly(engine, clock, 9);

    expect(indices(engine, executionId)).toEqual([0, 7, 8, 9]);
    const described = engine.describeExecution({ executionId })!;
    expect(described.foldedAttempts).toEqual({
      count: 6,
      firstAttemptIndex: 1,
      lastAttemptIndex: 6,
      // Attempt 1 started at the first failure (1 s in); attempt 6 ended at the seventh (7 s in).
      firstStartedAtMs: start + SECOND,
      lastEndedAtMs: start + 7 * SECOND,
      outcomes: { retry: 6 },
      attemptTypes: { retry: 6 },
    });
    expect(described).toMatchObject({ attemptCount: 10, currentAttemptIndex: 9, retryCount: 9 });
    expect(described.attempts.at(-1)).toMatchObject({ attemptIndex: 9, outcome: null });
    expect(rows(engine, `SELECT 1 FROM ff_attempt WHERE execution_id = '${executionId}'`)).toHaveLength(4);

    // The current attempt fences as before: the newest handle completes, an older one is stale.
    expect(engine.completeExecution({ handle, result: 'ok' })).toMatchObject({ kind: 'completed' });
    expect(engine.describeExecution({ executionId })!.attempts.at(-1)).toMatchObject({ attemptIndex: 9, outcome: 'success' });
  });

  it('a handle of a folded attempt is refused like any stale handle', async () => {
    const { engine, clock } = await makeEngine({ scanners: { retention: { attemptsKept: 2 } } });
    engine.createExecution({ laneId: 'l', retryPolicy: RETRY });
    const first = engine.claim({ laneId: 'l', ...WORKER })!;
    engine.failExecution({ handle: first, reason: 'one' });
    const second = engine.claim({ laneId: 'l', ...WORKER })!;
    engine.failExecution({ handle: second, reason: 'two' });
    failRepeatedly(engine, clock, 3);
    expect(catchError(() => engine.completeExecution({ handle: second })).code).toBe('state.stale_lease');
  });

  it('counts reclaims by type and outcome', async () => {
    const { engine, clock } = await makeEngine({ scanners: { retention: { attemptsKept: 2 } } });
    const { executionId } = engine.createExecution({ laneId: 'l' });
    engine.claim({ laneId: 'l', ...WORKER, leaseTtlMs: SECOND });
    for (let i = 0; i < 5; i++) {
      clock.advance(SECOND); // lease_expiry marks it reclaimable
      engine.issueReclaimGrant({ executionId, workerId: 'w2', workerInstanceId: 'w2-i1', laneId: 'l', grantTtlMs: 5 * SECOND });
      const reclaimed = engine.reclaimExecution({ executionId, workerId: 'w2', workerInstanceId: 'w2-i1', leaseTtlMs: SECOND });
      expect(reclaimed.kind).toBe('claimed');
    }
    expect(indices(engine, executionId)).toEqual([0, 4, 5]);
    expect(engine.describeExecution({ executionId })!.foldedAttempts).toMatchObject({
      count: 3,
      outcomes: { interrupted_reclaimed: 3 },
      attemptTypes: { reclaim: 3 },
    });
  });

  it('attemptsKept 0, an age of 0 and no scanners keep every attempt', async () => {
    const settings: (ScannerOptions | false)[] = [{ retention: { attemptsKept: 0 } }, { retention: { maxAgeMs: 0 } }, false];
    for (const scanners of settings) {
      const { engine, clock } = await makeEngine({ scanners });
      const { executionId } = engine.createExecution({ laneId: 'l', retryPolicy: RETRY });
      failRepeatedly(engine, clock, 14);
      expect(indices(engine, executionId)).toHaveLength(15);
      expect(engine.describeExecution({ executionId })!.foldedAttempts).toBeNull();
    }
  });

  it('a terminal execution keeps its first and newest N until its history is trimmed, then its first and last', async () => {
    const { engine, clock } = await makeEngine({ scanners: { retention: { maxAgeMs: HOUR, attemptsKept: 3 } } });
    const { executionId } = engine.createExecution({ laneId: 'l', retryPolicy: { maxRetries: 5, backoff: { type: 'fixed', delayMs: 0 } } });
    engine.failExecution({ handle: failRepeatedly(engine, clock, 5), reason: 'last' });
    expect(engine.readExecutionState({ executionId })).toBe('failed');
    expect(indices(engine, executionId)).toEqual([0, 3, 4, 5]);
    clock.advance(HOUR);
    expect(indices(engine, executionId)).toEqual([0, 5]);
    expect(engine.describeExecution({ executionId })!.foldedAttempts).toMatchObject({ count: 4, outcomes: { retry: 4 } });
    expect(engine.describeExecution({ executionId })!.attempts.at(-1)).toMatchObject({ outcome: 'failed', failureReason: 'last' });
  });

  it('the default keeps the first and the newest 10', async () => {
    const { engine, clock } = await makeEngine({ scanners: {} });
    const { executionId } = engine.createExecution({ laneId: 'l', retryPolicy: RETRY });
    failRepeatedly(engine, clock, 14);
    expect(indices(engine, executionId)).toEqual([0, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    expect(engine.describeExecution({ executionId })!.foldedAttempts?.count).toBe(4);
  });

  it('the trimmer folds a terminal execution to its first and last attempt, also one from before the cap', async () => {
    // Written with no cap, then opened with one: the trimmer folds it once it is due.
    const { engine, clock } = await makeEngine({ scanners: { retention: { attemptsKept: 0 } } });
    const { executionId } = engine.createExecution({ laneId: 'l', retryPolicy: RETRY });
    engine.completeExecution({ handle: failRepeatedly(engine, clock, 7) });
    const image = engine.exportImage();
    engine.close();

    const later = new ManualClock(clock.now());
    const scanners: ScannerOptions = { retention: { maxAgeMs: HOUR, attemptsKept: 2 } };
    const reopened = await createEngine({ devMode: true, driver: await openDriver(image), clock: later, banner: false, scanners });
    expect(indices(reopened, executionId)).toHaveLength(8);
    later.advance(HOUR);
    expect(indices(reopened, executionId)).toEqual([0, 7]);
    expect(reopened.describeExecution({ executionId })!.foldedAttempts).toMatchObject({
      count: 6,
      firstAttemptIndex: 1,
      lastAttemptIndex: 6,
      outcomes: { retry: 6 },
    });
    expect(reopened.describeExecution({ executionId })!.attempts.at(-1)).toMatchObject({ attemptIndex: 7, outcome: 'success' });
    reopened.close();
  });
});
