import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/index.js';
import type { Scanner, ScannerReport } from '../../src/scanners/scanner.js';
import { ScannerSupervisor } from '../../src/scanners/supervisor.js';
import { catchError, makeEngine } from './helpers.js';

const report = (scanner: string, at: number, processed = 0): ScannerReport => ({ scanner, at, processed, errors: 0 });

describe('virtual time', () => {
  function virtual(scanners: Scanner[]) {
    const clock = new ManualClock(0);
    const sup = new ScannerSupervisor(clock, scanners);
    sup.start();
    clock.attach(sup);
    return { clock, sup };
  }

  it('advance runs every due tick in timestamp order, each at its own time', () => {
    const seen: string[] = [];
    const { clock } = virtual([
      { name: 'a', intervalMs: 30, tick: (now) => (seen.push(`a@${now}`), report('a', now)) },
      { name: 'b', intervalMs: 20, tick: (now) => (seen.push(`b@${now}`), report('b', now)) },
      { name: 'off', intervalMs: 0, tick: (now) => (seen.push(`off@${now}`), report('off', now)) },
    ]);
    const { reports } = clock.advance(65);
    expect(seen).toEqual(['b@20', 'a@30', 'b@40', 'a@60', 'b@60']);
    expect(reports.map((r) => `${r.scanner}@${r.at}`)).toEqual(seen);
    expect(clock.now()).toBe(65);
  });

  it('skips idle ticks: 30 virtual days of a 1 s scanner cost only the ticks with work', () => {
    const workAt = [5 * 86_400_000 + 123, 17 * 86_400_000];
    const seen: number[] = [];
    const { clock, sup } = virtual([
      {
        name: 'sparse',
        intervalMs: 1_000,
        tick: (now) => {
          while (workAt.length && workAt[0]! <= now) workAt.shift();
          seen.push(now);
          return report('sparse', now, 1);
        },
        nextWorkAt: () => workAt[0] ?? null,
      },
    ]);
    clock.advance(30 * 86_400_000);
    // The cost is counted in ticks, not measured in milliseconds: two ran, not 2.6 million.
    expect(seen).toEqual([5 * 86_400_000 + 123, 17 * 86_400_000]);
    expect(sup.states()[0]).toMatchObject({ name: 'sparse', ticks: 2 });
  });

  it('nextDue names the next tick with work and its scanner; runDue runs what is due now', () => {
    let pending: number | null = 500;
    const seen: number[] = [];
    const { clock } = virtual([
      { name: 'w', intervalMs: 100, tick: (now) => (seen.push(now), (pending = null), report('w', now, 1)), nextWorkAt: () => pending },
    ]);
    expect(clock.nextDue()).toEqual({ at: 500, scanner: 'w' });
    expect(clock.nextDue('other')).toBeNull();
    clock.advance(499);
    expect(seen).toEqual([]);
    clock.advanceTo(500);
    expect(seen).toEqual([500]);
    expect(clock.nextDue()).toBeNull();
    pending = 200; // overdue work still waits one interval after the previous tick
    expect(clock.nextDue()).toEqual({ at: 600, scanner: 'w' });
    expect(clock.runDue().reports).toEqual([]);
    clock.advance(100);
    expect(clock.runDue().reports).toEqual([]);
    expect(seen).toEqual([500, 600]);
    pending = 650;
    clock.advance(50);
    expect(clock.runDue().reports).toEqual([]); // ran inside the advance, at 700 (one interval after 600)
    expect(seen).toEqual([500, 600]);
    expect(clock.advance(50).reports.map((r) => r.at)).toEqual([700]);
  });

  it('time never goes backwards', () => {
    const { clock } = virtual([]);
    clock.advance(10);
    expect(() => clock.advanceTo(5)).toThrow(RangeError);
    expect(() => clock.advance(-1)).toThrow(RangeError);
  });
});

describe('engine scanners', () => {
  it('delayed_promotion makes a due execution waiting without any claim', async () => {
    const { engine, clock } = await makeEngine({ scanners: {} });
    const id = engine.createExecution({ laneId: 'l', delayUntil: clock.now() + 10_000 }).executionId;
    expect(engine.nextDue()).toEqual({ at: clock.now() + 10_000, scanner: 'delayed_promotion' });
    engine.advanceTime({ ms: 9_999 });
    expect(engine.readExecutionState({ executionId: id })).toBe('delayed');
    const { reports } = engine.advanceTime({ ms: 1 });
    expect(reports).toEqual([{ scanner: 'delayed_promotion', at: clock.now(), processed: 1, errors: 0 }]);
    expect(engine.readExecutionInfo({ executionId: id })).toMatchObject({ publicState: 'waiting', eligibleAtMs: null });
  });

  it('reports reach onScannerReport listeners and scannerStates', async () => {
    const { engine, clock } = await makeEngine({ scanners: {} });
    const seen: string[] = [];
    engine.onScannerReport((r) => seen.push(`${r.scanner}:${r.processed}`));
    engine.createExecution({ laneId: 'l', delayUntil: clock.now() + 5_000 });
    engine.advanceTime({ ms: 5_000 });
    expect(seen).toContain('delayed_promotion:1');
    expect(engine.scannerStates().find((s) => s.name === 'delayed_promotion')).toMatchObject({ ticks: 1, enabled: true });
    expect(await engine.runScanner({ scanner: 'delayed_promotion' })).toMatchObject({ processed: 0 });
  });

  it('virtual-time methods are unavailable on a real clock', async () => {
    const { createEngine } = await import('../../src/index.js');
    const engine = await createEngine({ devMode: true, banner: false });
    expect(catchError(() => engine.advanceTime({ ms: 1 })).code).toBe('unavailable');
    expect(catchError(() => engine.nextDue()).code).toBe('unavailable');
    engine.close();
  });

  it('rejects bad virtual-time input', async () => {
    const { engine, clock } = await makeEngine({ scanners: {} });
    expect(catchError(() => engine.advanceTime({ ms: -5 })).details['field']).toBe('ms');
    expect(catchError(() => engine.advanceTimeTo({ at: clock.now() - 1 })).details['field']).toBe('at');
  });
});

describe('budget_reset scanner on virtual time', () => {
  const DAY = 86_400_000;

  it('a budget with a 1-day reset, advanced 30 virtual days, counts 30 resets but ticks once: only the first had usage to zero', async () => {
    const { engine, clock } = await makeEngine({ scanners: {} });
    const created = clock.now();
    engine.createBudget({ budgetId: 'daily', dimensions: [{ name: 'tokens', hardLimit: 100 }], resetIntervalMs: DAY });
    engine.reportUsageAdmin({ budgetId: 'daily', usage: { tokens: 40 } });
    const result = engine.advanceTime({ ms: 30 * DAY });
    expect(result).toMatchObject({ finished: true, ticks: 1, reachedAt: created + 30 * DAY, target: created + 30 * DAY, stoppedBy: null });
    expect(result.reports).toEqual([{ scanner: 'budget_reset', at: created + DAY, processed: 1, errors: 0, details: { scanned: 1, skipped: 0 } }]);
    const status = engine.getBudgetStatus({ budgetId: 'daily' });
    expect(status.resetCount).toBe(30);
    expect(status.nextResetAtMs).toBe(created + 31 * DAY); // anchored: no drift
    expect(status.lastResetAtMs).toBe(created + 30 * DAY);
    expect(status.usage).toEqual({ tokens: 0 });
    // One history row: the reset that zeroed the usage. The 29 idle periods wrote nothing.
    expect(engine.listBudgetEvents({ budgetId: 'daily', eventType: 'reset' }).events).toHaveLength(1);
    expect(engine.scannerStates().reduce((n, s) => n + s.ticks, 0)).toBe(1);
  });

  it('jump to the next reset: nextDue names it, advancing there applies it', async () => {
    const { engine, clock } = await makeEngine({ scanners: {} });
    engine.createBudget({ budgetId: 'hourly', dimensions: [{ name: 'calls', hardLimit: 10 }], resetIntervalMs: 3_600_000 });
    engine.reportUsageAdmin({ budgetId: 'hourly', usage: { calls: 7 } });
    const next = engine.nextDue({ scanner: 'budget_reset' })!;
    expect(next).toEqual({ at: clock.now() + 3_600_000, scanner: 'budget_reset' });
    engine.advanceTimeTo({ at: next.at - 1 });
    expect(engine.getBudgetStatus({ budgetId: 'hourly' }).resetCount).toBe(0);
    engine.advanceTimeTo({ at: next.at });
    const status = engine.getBudgetStatus({ budgetId: 'hourly' });
    expect(status.resetCount).toBe(1);
    expect(status.usage).toEqual({ calls: 0 });
    expect(engine.listBudgetEvents({ budgetId: 'hourly', eventType: 'reset' }).events).toHaveLength(1);
  });

  it('an admin reset racing the reconciler resets once', async () => {
    const { engine } = await makeEngine({ scanners: {} });
    engine.createBudget({ budgetId: 'b', dimensions: [{ name: 'x', hardLimit: 5 }], resetIntervalMs: 60_000 });
    engine.advanceTime({ ms: 59_999 });
    // The admin reset lands just before the scheduled one: it moves the schedule past now.
    engine.resetBudget({ budgetId: 'b' });
    engine.advanceTime({ ms: 1 });
    expect(engine.getBudgetStatus({ budgetId: 'b' }).resetCount).toBe(1);
  });

  it('more than 20 due budgets are all reset, 20 per tick, earliest first', async () => {
    const { engine } = await makeEngine({ scanners: {} });
    for (let i = 0; i < 45; i++) {
      const budgetId = `b${String(i).padStart(2, '0')}`;
      engine.createBudget({ budgetId, dimensions: [{ name: 'x' }], resetIntervalMs: 10_000 });
      engine.reportUsageAdmin({ budgetId, usage: { x: 1 } });
    }
    const reports = engine.advanceTime({ ms: 12_000 }).reports.filter((r) => r.scanner === 'budget_reset');
    expect(reports.map((r) => r.processed)).toEqual([20, 20, 5]);
    expect(engine.listBudgets({ limit: 100 }).budgets.every((b) => b.resetCount === 1)).toBe(true);
  });

  it('a disabled scanner never runs, and with budget_reset off even an idle budget keeps its schedule', async () => {
    const { engine, clock } = await makeEngine({ scanners: { intervals: { budget_reset: 0 } } });
    engine.createBudget({ budgetId: 'b', dimensions: [{ name: 'x' }], resetIntervalMs: 1_000 });
    engine.createBudget({ budgetId: 'used', dimensions: [{ name: 'x' }], resetIntervalMs: 1_000 });
    engine.reportUsageAdmin({ budgetId: 'used', usage: { x: 3 } });
    expect(engine.nextDue({ scanner: 'budget_reset' })).toBeNull();
    engine.advanceTime({ ms: 10_000 });
    expect(engine.getBudgetStatus({ budgetId: 'b' })).toMatchObject({ resetCount: 0, nextResetAtMs: clock.now() - 9_000 });
    expect(engine.getBudgetStatus({ budgetId: 'used' })).toMatchObject({ resetCount: 0, usage: { x: 3 } });
    expect(engine.scannerStates().find((s) => s.name === 'budget_reset')).toMatchObject({ enabled: false, ticks: 0 });
  });

  it('lease expiry → reclaim grant → reclaim → complete, driven by the scanner', async () => {
    const { engine } = await makeEngine({ scanners: {} });
    const id = engine.createExecution({ laneId: 'l' }).executionId;
    const crashed = engine.claim({ laneId: 'l', workerId: 'w1', workerInstanceId: 'w1-a', leaseTtlMs: 5_000 })!;
    const { reports } = engine.advanceTime({ ms: 5_000 });
    expect(reports).toContainEqual(expect.objectContaining({ scanner: 'lease_expiry', processed: 1 }));
    expect(engine.readExecutionInfo({ executionId: id })?.stateVector.ownershipState).toBe('lease_expired_reclaimable');
    const grant = engine.issueReclaimGrant({ executionId: id, workerId: 'w2', workerInstanceId: 'w2-a', laneId: 'l', grantTtlMs: 10_000 });
    expect(grant.kind).toBe('granted');
    const reclaimed = engine.reclaimExecution({ executionId: id, workerId: 'w2', workerInstanceId: 'w2-a', leaseTtlMs: 5_000 });
    if (reclaimed.kind !== 'claimed') throw new Error(reclaimed.kind);
    expect(catchError(() => engine.completeExecution({ handle: crashed })).code).toBe('state.stale_lease');
    expect(engine.completeExecution({ handle: reclaimed.handle }).kind).toBe('completed');
    expect(engine.readExecutionState({ executionId: id })).toBe('completed');
  });
});

describe('soak', () => {
  // DESIGN §3: earlier sql.js builds leaked stack on every exec(); a scanner
  // ticking thousands of times would eventually crash. Every tick here does
  // real work (a reset) through prepared statements.
  it('20,000 budget_reset ticks in a row keep working', async () => {
    const { engine, clock } = await makeEngine({ scanners: {} });
    engine.createBudget({ budgetId: 'soak', dimensions: [{ name: 'x', hardLimit: 10 }], resetIntervalMs: 1_000 });
    let resets = 0;
    // Each second has usage to zero, so each second is a tick that resets.
    for (let i = 0; i < 20_000; i++) {
      engine.reportUsageAdmin({ budgetId: 'soak', usage: { x: 1 } });
      resets += clock.advance(1_000).reports.filter((r) => r.scanner === 'budget_reset' && r.processed === 1).length;
    }
    expect(resets).toBe(20_000);
    expect(engine.getBudgetStatus({ budgetId: 'soak' }).resetCount).toBe(20_000);
  }, 60_000);
});

describe('virtual time is saved with the database', () => {
  it('an engine reopening the image on a manual clock resumes at the saved time, never earlier', async () => {
    const { engine, clock } = await makeEngine({ scanners: {} });
    const start = clock.now();
    engine.createBudget({ budgetId: 'b', dimensions: [{ name: 'x' }], resetIntervalMs: 3_600_000 });
    engine.advanceTime({ ms: 90 * 60_000 });
    const image = engine.exportImage();
    const { createEngine } = await import('../../src/index.js');
    const { openDriver } = await import('./helpers.js');
    const reopened = await createEngine({ devMode: true, driver: await openDriver(image), clock: new ManualClock(start), banner: false });
    expect(reopened.now()).toBe(start + 90 * 60_000);
    // The next reset is still ahead, at its anchored time: nothing ticked on reopening.
    expect(reopened.getBudgetStatus({ budgetId: 'b' })).toMatchObject({ resetCount: 1, nextResetAtMs: start + 2 * 3_600_000 });
    // A clock that starts later than the saved time is not moved back.
    const later = await createEngine({ devMode: true, driver: await openDriver(image), clock: new ManualClock(start + 10 * 3_600_000), banner: false });
    expect(later.now()).toBe(start + 10 * 3_600_000);
    reopened.close();
    later.close();
  });
});
