/**
 * Streams over an execution's history: ids stay in order when the clock
 * steps back, a retried attempt's stream closes and the next attempt writes
 * a new one, and the attempt cap folds old attempts' streams away with them
 * (reporting the frames' cursors as expired).
 */
import { describe, expect, it } from 'vitest';
import { createEngine, seededIds, type Clock, type Handle } from '../../src/index.js';
import { EventHub } from '../../src/worker/event-hub.js';
import { catchError, makeEngine, openDriver, rows, TEST_START_MS, WORKER } from './helpers.js';

const RETRY = { maxRetries: 100, backoff: { type: 'fixed' as const, delayMs: 0 } };

describe('frame ids', () => {
  it('stay in append order when the engine clock steps back (the reference then sorts a new frame before older ones)', async () => {
    let now = TEST_START_MS;
    const clock: Clock = { kind: 'real', now: () => now };
    const engine = await createEngine({ devMode: true, driver: await openDriver(), clock, ids: seededIds(1), banner: false, scanners: false });
    engine.createExecution({ laneId: 'l' });
    const handle = engine.claim({ laneId: 'l', ...WORKER, leaseTtlMs: 60_000 })!;
    engine.appendFrame({ handle, payload: 'a' });
    now -= 500;
    const b = engine.appendFrame({ handle, payload: 'b' });
    now += 1_000;
    const c = engine.appendFrame({ handle, payload: 'c' });
    expect([b.frameId, c.frameId]).toEqual([`${TEST_START_MS}-1`, `${TEST_START_MS + 500}-0`]);
    const read = engine.readStream({ executionId: handle.executionId, attemptIndex: 0 });
    expect(read.frames.map((f) => f.fields['payload'])).toEqual(['a', 'b', 'c']);
    engine.close();
  });
});

describe('streams across attempts', () => {
  it("a retried attempt's stream closes as attempt_failure; the next attempt's is open", async () => {
    const { engine } = await makeEngine();
    const { executionId } = engine.createExecution({ laneId: 'l', retryPolicy: RETRY });
    const first = engine.claim({ laneId: 'l', ...WORKER })!;
    engine.appendFrame({ handle: first, payload: 'try 0' });
    engine.failExecution({ handle: first, reason: 'flaky' });
    const second = engine.claim({ laneId: 'l', ...WORKER })!;
    expect(engine.readStream({ executionId, attemptIndex: 0 }).closedReason).toBe('attempt_failure');
    expect(engine.readStream({ executionId, attemptIndex: 1 }).closedAt).toBeNull();
    expect(catchError(() => engine.appendFrame({ handle: first, payload: 'late' })).details).toMatchObject({ fenceCode: 'state.stale_lease' });
    expect(engine.appendFrame({ handle: second, payload: 'try 1' }).frameId).toBe(`${TEST_START_MS}-0`);
  });

  it('the attempt cap folds old attempts with their frames, summaries and rate state', async () => {
    const { engine } = await makeEngine({ scanners: { retention: { attemptsKept: 1 } } });
    const hub = new EventHub(() => engine);
    engine.onCommit((events) => hub.onCommit(events));
    const { executionId } = engine.createExecution({ laneId: 'l', retryPolicy: RETRY });
    let handle: Handle = engine.claim({ laneId: 'l', ...WORKER })!;
    const write = (h: Handle): void => {
      engine.appendFrame({ handle: h, payload: `{"attempt":${h.attemptIndex}}`, mode: 'summary' });
      engine.appendFrame({ handle: h, payload: 'live', mode: 'best_effort', bestEffort: { ttlMs: 1_000 } });
    };
    for (let i = 0; i < 3; i++) {
      write(handle);
      engine.failExecution({ handle, reason: `try ${i}` });
      handle = engine.claim({ laneId: 'l', ...WORKER })!;
    }
    write(handle);
    // Kept: attempt 0 (the first) and attempt 3 (the newest); 1 and 2 are folded, streams and all.
    const streams = (table: string) => rows<{ a: number }>(engine, `SELECT DISTINCT attempt_index AS a FROM ${table} ORDER BY a`).map((r) => r.a);
    expect(streams('ff_stream_frame')).toEqual([0, 3]);
    expect(streams('ff_stream_summary')).toEqual([0, 3]);
    expect(streams('ff_stream_meta')).toEqual([0, 3]);
    expect(engine.readStream({ executionId, attemptIndex: 1 })).toMatchObject({ frames: [], closedReason: 'attempt_folded' });
    // Attempt 2's frames were events 5 and 6: a cursor below them is expired.
    expect(engine.readEvents({ channel: 'stream', afterEventId: 4 }).cursorExpired).toMatchObject({ trimmedThroughEventId: 6 });
    expect(catchError(() => hub.subscribe(1, { channels: ['stream'], from: ['stream:4'] }, { deliver: () => {} })).code).toBe('state.cursor_expired');
  });
});

