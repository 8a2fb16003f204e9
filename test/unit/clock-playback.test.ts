/** Clock playback in the engine: one play state, driven by an injected timer. */
import { describe, expect, it } from 'vitest';
import { createEngine, ManualClock, ManualTimer } from '../../src/index.js';
import { catchError, openDriver } from './helpers.js';

async function playing() {
  const timer = new ManualTimer();
  const clock = new ManualClock(1_000_000);
  const engine = await createEngine({ devMode: true, driver: await openDriver(), clock, timer, banner: false });
  return { engine, clock, timer };
}

describe('ManualClock', () => {
  it('starts at the current wall time by default, so page and engine agree', () => {
    const before = Date.now();
    const clock = new ManualClock();
    expect(clock.now()).toBeGreaterThanOrEqual(before);
    expect(clock.now()).toBeLessThanOrEqual(Date.now());
    expect(new ManualClock(1_000).now()).toBe(1_000);
  });
});

describe('clock playback', () => {
  it('follows real time at the rate while playing, and stands still when paused', async () => {
    const { engine, timer } = await playing();
    expect(engine.clockState()).toEqual({ mode: 'virtual', now: 1_000_000, playing: false, rate: 1 });
    timer.advance(1_000);
    expect(engine.now()).toBe(1_000_000);

    expect(engine.playClock()).toMatchObject({ playing: true, rate: 1 });
    timer.advance(1_000);
    expect(engine.now()).toBe(1_001_000);

    engine.playClock({ rate: 60 });
    timer.advance(500);
    expect(engine.now()).toBe(1_001_000 + 30_000);

    timer.advance(100); // less than a step: pause catches it up
    expect(engine.pauseClock()).toMatchObject({ playing: false, now: 1_031_000 + 6_000 });
    timer.advance(10_000);
    expect(engine.now()).toBe(1_037_000);
    expect(timer.pending).toBe(0);
  });

  it('runs at the rate however many clients press Play', async () => {
    const { engine, timer } = await playing();
    engine.playClock();
    engine.playClock();
    timer.advance(300);
    engine.playClock(); // a third "tab"
    timer.advance(700);
    expect(engine.now()).toBe(1_001_000);
    expect(timer.pending).toBe(1);
  });

  it('keeps fractions at slow rates instead of losing them', async () => {
    const { engine, timer } = await playing();
    engine.playClock({ rate: 0.001 });
    timer.advance(10_000);
    expect(engine.now()).toBe(1_000_010);
  });

  it('runs the scanners as time plays: a budget resets on schedule', async () => {
    const { engine, timer } = await playing();
    engine.createBudget({ budgetId: 'b', dimensions: [{ name: 'd', hardLimit: 10 }], resetIntervalMs: 60_000 });
    engine.reportUsageAdmin({ budgetId: 'b', usage: { d: 4 } });
    engine.playClock({ rate: 120 });
    timer.advance(1_000); // two virtual minutes
    const status = engine.getBudgetStatus({ budgetId: 'b' });
    expect(status.usage['d']).toBe(0);
    expect(status.resetCount).toBeGreaterThanOrEqual(1);
  });

  it('stops when the engine closes', async () => {
    const { engine, timer } = await playing();
    engine.playClock();
    engine.close();
    expect(timer.pending).toBe(0);
  });

  it('refuses a bad rate and is unavailable on a real clock', async () => {
    const { engine } = await playing();
    expect(catchError(() => engine.playClock({ rate: 0 })).details['field']).toBe('rate');
    expect(catchError(() => engine.playClock({ rate: Infinity })).details['field']).toBe('rate');
    const real = await createEngine({ devMode: true, driver: await openDriver(), banner: false, scanners: false });
    expect(catchError(() => real.playClock()).code).toBe('unavailable');
    expect(real.clockState()).toMatchObject({ mode: 'real', playing: true, rate: 1 });
    real.close();
  });
});
