/**
 * A tick can make work due at an instant the clock has already passed: a
 * budget reset supersedes a usage event that is already older than the
 * retention age. That work is due now, never behind the clock, so an
 * advance stopped by its tick budget leaves nothing due before where it
 * stopped (a case the advance-invariant property found).
 */
import { describe, expect, it } from 'vitest';
import { makeEngine, TEST_START_MS } from './helpers.js';

const DAY = 86_400_000;

describe('work a tick makes due in the past', () => {
  it('is due at the current time, and the next tick runs it there', async () => {
    const { engine } = await makeEngine({ scanners: {} });
    engine.createBudget({ budgetId: 'b', dimensions: [{ name: 'x', hardLimit: 20 }], resetIntervalMs: DAY });
    engine.advanceTime({ ms: DAY });
    engine.reportUsageAdmin({ budgetId: 'b', usage: { x: 1 } });

    const stopped = engine.advanceTime({ ms: 400 * DAY, maxTicks: 1 });
    expect(stopped).toMatchObject({ finished: false, stoppedBy: 'maxTicks', reachedAt: TEST_START_MS + 2 * DAY });
    // The reset superseded the usage event of day 1: trimmable since day 1 + 2 h, found at day 2.
    expect(engine.nextDue()).toEqual({ at: TEST_START_MS + 2 * DAY, scanner: 'retention_trimmer' });

    const next = engine.advanceTime({ ms: 0, maxTicks: 1 });
    expect(next.reports).toMatchObject([{ scanner: 'retention_trimmer', at: TEST_START_MS + 2 * DAY }]);
    // The usage event is gone and the budget, reset to zero, is idle: nothing is left to do.
    expect(engine.nextDue()).toBeNull();
  });
});
