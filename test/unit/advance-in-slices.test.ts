/**
 * advanceInSlices: a long advance as bounded slices, with progress after
 * each and a cancel that takes effect at the next slice boundary. Slices are
 * bounded by ticks here (never by wall time), so the counts are exact.
 */
import { describe, expect, it } from 'vitest';
import { advanceInSlices, type SliceProgress } from '../../src/index.js';
import { makeEngine, TEST_START_MS } from './helpers.js';

const HOUR = 3_600_000;

async function fiveDelayed() {
  const made = await makeEngine({ scanners: {} });
  for (let i = 1; i <= 5; i++) made.engine.createExecution({ laneId: 'l', delayUntil: TEST_START_MS + i * HOUR });
  return made;
}

describe('advanceInSlices', () => {
  it('runs one tick a slice, reports progress after each, and ends where one advance would', async () => {
    const { engine } = await fiveDelayed();
    const seen: SliceProgress[] = [];
    const result = await advanceInSlices(engine, { ms: 10 * HOUR }, { sliceTicks: 1, onProgress: (p) => seen.push(p) });
    expect(result).toMatchObject({ finished: true, cancelled: false, reachedAt: TEST_START_MS + 10 * HOUR, fraction: 1, ticks: 5, slices: 5 });
    expect(result.processed).toEqual({ delayed_promotion: 5 });
    // The fifth slice runs the last tick and, with nothing more due, finishes at the target.
    expect(seen.map((p) => p.reachedAt)).toEqual([1, 2, 3, 4, 10].map((h) => TEST_START_MS + h * HOUR));
    expect(seen.map((p) => p.fraction)).toEqual([0.1, 0.2, 0.3, 0.4, 1]);
    expect(engine.listExecutions({ publicState: 'waiting' }).executions).toHaveLength(5);
  });

  it('stops at a slice boundary when cancelled, with nothing due behind the clock', async () => {
    const { engine } = await fiveDelayed();
    const cancel = new AbortController();
    const result = await advanceInSlices(engine, { at: TEST_START_MS + 10 * HOUR }, {
      sliceTicks: 1,
      signal: cancel.signal,
      onProgress: (p) => {
        if (p.slices === 2) cancel.abort();
      },
    });
    expect(result).toMatchObject({ finished: false, cancelled: true, reachedAt: TEST_START_MS + 2 * HOUR, slices: 2, ticks: 2 });
    expect(engine.now()).toBe(TEST_START_MS + 2 * HOUR);
    expect(engine.nextDue()).toEqual({ at: TEST_START_MS + 3 * HOUR, scanner: 'delayed_promotion' });
    expect(engine.listExecutions({ publicState: 'delayed' }).executions).toHaveLength(3);
  });

  it('does nothing when cancelled before it starts', async () => {
    const { engine } = await fiveDelayed();
    const cancel = new AbortController();
    cancel.abort();
    const result = await advanceInSlices(engine, { ms: HOUR }, { signal: cancel.signal });
    expect(result).toMatchObject({ cancelled: true, finished: false, slices: 0, reachedAt: TEST_START_MS });
    expect(engine.now()).toBe(TEST_START_MS);
  });
});
