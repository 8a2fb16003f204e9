/**
 * An advance of virtual time never skips work: it either runs every tick due
 * up to its target, or stops at the last instant it processed and says so.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock, MAX_TICKS_PER_ADVANCE, type VirtualScheduler } from '../../src/engine/time/clock.js';
import type { Scanner, ScannerReport } from '../../src/scanners/scanner.js';
import { ScannerSupervisor } from '../../src/scanners/supervisor.js';
import { catchError, makeEngine, rows } from './helpers.js';

const report = (scanner: string, at: number): ScannerReport => ({ scanner, at, processed: 1, errors: 0 });

/** A scanner with work at each of `workAt`, ticking every `intervalMs` at most. */
function sparse(name: string, intervalMs: number, workAt: number[]): Scanner {
  return {
    name,
    intervalMs,
    tick: (now) => {
      while (workAt.length && workAt[0]! <= now) workAt.shift();
      return report(name, now);
    },
    nextWorkAt: () => workAt[0] ?? null,
  };
}

function virtual(scanners: Scanner[], wallNow?: () => number) {
  const clock = new ManualClock(0, wallNow ? { wallNow } : {});
  const sup = new ScannerSupervisor(clock, scanners);
  sup.start();
  clock.attach(sup);
  return clock;
}

describe('advance limits', () => {
  it('maxTicks stops at the last tick that ran; the next call goes on from there and finishes', () => {
    const clock = virtual([sparse('s', 10, [100, 200, 300, 400])]);
    const first = clock.advanceTo(1_000, { maxTicks: 2 });
    expect(first).toEqual({
      reports: [report('s', 100), report('s', 200)],
      reachedAt: 200,
      target: 1_000,
      finished: false,
      ticks: 2,
      stoppedBy: 'maxTicks',
    });
    expect(clock.now()).toBe(200);
    // Nothing due is left behind the clock.
    expect(clock.nextDue()!.at).toBeGreaterThanOrEqual(clock.now());
    const rest = clock.advanceTo(1_000);
    expect(rest).toMatchObject({ reachedAt: 1_000, finished: true, ticks: 2, stoppedBy: null });
    expect(rest.reports.map((r) => r.at)).toEqual([300, 400]);
  });

  it('a budget larger than the work finishes, and an advance with no work moves straight to the target', () => {
    const clock = virtual([sparse('s', 10, [100])]);
    expect(clock.advanceTo(500, { maxTicks: 1 })).toMatchObject({ finished: true, reachedAt: 500, ticks: 1 });
    expect(clock.advance(1_000, { maxTicks: 1 })).toMatchObject({ finished: true, reachedAt: 1_500, ticks: 0 });
  });

  it('maxWallMs stops between ticks once real time runs out, after at least one tick', () => {
    let wall = 0;
    // Each tick costs 10 real ms on this fake wall clock.
    const ticking = (name: string, workAt: number[]): Scanner => {
      const inner = sparse(name, 1, workAt);
      return { ...inner, tick: (now) => ((wall += 10), inner.tick(now)) };
    };
    const clock = virtual([ticking('s', [1, 2, 3, 4, 5, 6])], () => wall);
    expect(clock.advanceTo(100, { maxWallMs: 25 })).toMatchObject({ reachedAt: 3, finished: false, ticks: 3, stoppedBy: 'maxWallMs' });
    // A budget already spent still lets one tick run, so every call makes progress.
    expect(clock.advanceTo(100, { maxWallMs: 0 })).toMatchObject({ reachedAt: 4, finished: false, ticks: 1 });
    expect(clock.advanceTo(100, { maxWallMs: 1_000 })).toMatchObject({ reachedAt: 100, finished: true, ticks: 2 });
  });

  it('the safety cap is never silent: a scheduler that always has work stops at the cap, the clock at its last tick', () => {
    let ticks = 0;
    const always: VirtualScheduler = {
      nextDue: () => ({ at: ticks, scanner: 'spin' }),
      runDueTick: (due) => (ticks++, { scanner: 'spin', at: due.at, processed: 0, errors: 1 }),
    };
    const clock = new ManualClock(0);
    clock.attach(always);
    const result = clock.advanceTo(10 * MAX_TICKS_PER_ADVANCE);
    expect(result).toMatchObject({ finished: false, stoppedBy: 'maxTicks', ticks: MAX_TICKS_PER_ADVANCE, reachedAt: MAX_TICKS_PER_ADVANCE - 1 });
    expect(clock.now()).toBe(MAX_TICKS_PER_ADVANCE - 1);
  });
});

describe('advanceTime and advanceTimeTo on the engine', () => {
  it('return the typed result, record the instant reached, and take maxTicks', async () => {
    const { engine, clock } = await makeEngine({ scanners: {} });
    const t0 = clock.now();
    for (let i = 1; i <= 3; i++) engine.createExecution({ laneId: 'l', delayUntil: t0 + i * 60_000 });
    const partial = engine.advanceTime({ ms: 3_600_000, maxTicks: 2 });
    expect(partial).toMatchObject({ reachedAt: t0 + 120_000, target: t0 + 3_600_000, finished: false, ticks: 2, stoppedBy: 'maxTicks' });
    expect(engine.now()).toBe(t0 + 120_000);
    // The virtual time saved with the database is where the work stopped, not the target.
    expect(rows(engine, 'SELECT now_ms FROM ff_virtual_clock')).toEqual([{ now_ms: t0 + 120_000 }]);
    expect(engine.listExecutions({ publicState: 'delayed' }).executions).toHaveLength(1);
    const rest = engine.advanceTimeTo({ at: t0 + 3_600_000, maxWallMs: 60_000 });
    expect(rest).toMatchObject({ reachedAt: t0 + 3_600_000, finished: true, ticks: 1, stoppedBy: null });
    expect(rest.reports).toEqual([{ scanner: 'delayed_promotion', at: t0 + 180_000, processed: 1, errors: 0 }]);
    expect(engine.runDueScanners()).toMatchObject({ reports: [], finished: true, ticks: 0, reachedAt: t0 + 3_600_000 });
  });

  it('validate the limits', async () => {
    const { engine, clock } = await makeEngine({ scanners: {} });
    expect(catchError(() => engine.advanceTime({ ms: 1, maxTicks: 0 })).details['field']).toBe('maxTicks');
    expect(catchError(() => engine.advanceTime({ ms: 1, maxTicks: 1.5 })).details['field']).toBe('maxTicks');
    expect(catchError(() => engine.advanceTimeTo({ at: clock.now(), maxWallMs: -1 })).details['field']).toBe('maxWallMs');
    expect(catchError(() => engine.advanceTime({ ms: 11 * 366 * 86_400_000 })).details['field']).toBe('ms');
  });
});
