/**
 * A budget with nothing to reset costs nothing as time passes: its schedule
 * moves on without scanner ticks or history rows, reads report it as if every
 * period had been reset on time, and the next write stores it with one
 * collapsed reset event.
 */
import { describe, expect, it } from 'vitest';
import { makeEngine, rows } from './helpers.js';

const SECOND = 1_000;
const DAY = 86_400_000;

function resetEvents(engine: Awaited<ReturnType<typeof makeEngine>>['engine'], budgetId: string) {
  return engine.listBudgetEvents({ budgetId, eventType: 'reset', limit: 1000 }).events;
}

describe('idle budgets', () => {
  it('+400 days on a 30-second budget: no tick, no history row, the next reset ahead of the clock', async () => {
    const { engine, clock } = await makeEngine({ scanners: {} });
    const t0 = clock.now();
    engine.createBudget({ budgetId: 'b', dimensions: [{ name: 'tokens', hardLimit: 100 }], resetIntervalMs: 30 * SECOND });
    const before = engine.exportImage().byteLength;
    const result = engine.advanceTime({ ms: 400 * DAY });
    expect(result).toMatchObject({ finished: true, ticks: 0, reachedAt: t0 + 400 * DAY, stoppedBy: null });
    const periods = (400 * DAY) / (30 * SECOND);
    expect(engine.getBudgetStatus({ budgetId: 'b' })).toMatchObject({
      resetCount: periods,
      nextResetAtMs: t0 + (periods + 1) * 30 * SECOND,
      lastResetAtMs: t0 + periods * 30 * SECOND,
      usage: { tokens: 0 },
    });
    expect(resetEvents(engine, 'b')).toEqual([]);
    expect(engine.exportImage().byteLength - before).toBeLessThan(64 * 1024);
    expect(engine.nextDue()).toBeNull();
  });

  it('the same jump with usage: one reset zeroes it, counts every period, and the next reset is in the future', async () => {
    const { engine, clock } = await makeEngine({ scanners: {} });
    const t0 = clock.now();
    engine.createBudget({ budgetId: 'b', dimensions: [{ name: 'tokens', hardLimit: 100 }], resetIntervalMs: 30 * SECOND });
    engine.reportUsageAdmin({ budgetId: 'b', usage: { tokens: 40 } });
    const result = engine.advanceTime({ ms: 400 * DAY });
    expect(result.ticks).toBe(1);
    const status = engine.getBudgetStatus({ budgetId: 'b' });
    expect(status.usage).toEqual({ tokens: 0 });
    expect(status.resetCount).toBe((400 * DAY) / (30 * SECOND));
    expect(status.nextResetAtMs).toBeGreaterThan(clock.now());
    expect(resetEvents(engine, 'b').map((e) => e.details)).toEqual([
      { trigger: 'scheduled', dueAtMs: t0 + 30 * SECOND, periods: 1, usageBefore: { tokens: 40 }, nextResetAtMs: t0 + 60 * SECOND },
    ]);
  });

  it('a daily budget keeps its time of day however far the clock jumps', async () => {
    const { engine, clock } = await makeEngine({ scanners: {} });
    const created = clock.now();
    engine.createBudget({ budgetId: 'daily', dimensions: [{ name: 'x' }], resetIntervalMs: DAY });
    clock.advance(10.5 * DAY);
    expect(engine.getBudgetStatus({ budgetId: 'daily' })).toMatchObject({
      resetCount: 10,
      lastResetAtMs: created + 10 * DAY,
      nextResetAtMs: created + 11 * DAY,
    });
    // listBudgets reads the same schedule.
    expect(engine.listBudgets().budgets[0]).toMatchObject({ resetCount: 10, nextResetAtMs: created + 11 * DAY });
    // Exactly on a slot, that slot has passed.
    clock.advanceTo(created + 11 * DAY);
    expect(engine.getBudgetStatus({ budgetId: 'daily' })).toMatchObject({ resetCount: 11, nextResetAtMs: created + 12 * DAY });
  });

  it('usage after an idle stretch: one collapsed reset event first, then the usage waits for the next slot', async () => {
    const { engine, clock } = await makeEngine({ scanners: {} });
    const t0 = clock.now();
    engine.createBudget({ budgetId: 'b', dimensions: [{ name: 'tokens' }], resetIntervalMs: DAY });
    clock.advance(3.5 * DAY);
    engine.reportUsageAdmin({ budgetId: 'b', usage: { tokens: 9 } });
    const events = engine.listBudgetEvents({ budgetId: 'b' }).events;
    expect(events.map((e) => [e.eventType, e.details])).toEqual([
      ['reset', { trigger: 'scheduled', dueAtMs: t0 + DAY, periods: 3, usageBefore: {}, nextResetAtMs: t0 + 4 * DAY }],
    ]);
    expect(rows(engine, "SELECT next_reset_at_ms, reset_count, needs_reset FROM ff_budget_policy WHERE budget_id = 'b'")).toEqual([
      { next_reset_at_ms: t0 + 4 * DAY, reset_count: 3, needs_reset: 1 },
    ]);
    // The scanner does not zero the fresh usage at once: its due time is the next slot.
    expect(engine.nextDue()).toEqual({ at: t0 + 4 * DAY, scanner: 'budget_reset' });
    clock.advanceTo(t0 + 4 * DAY - 1);
    expect(engine.getBudgetStatus({ budgetId: 'b' }).usage).toEqual({ tokens: 9 });
    clock.advanceTo(t0 + 4 * DAY);
    expect(engine.getBudgetStatus({ budgetId: 'b' })).toMatchObject({ usage: { tokens: 0 }, resetCount: 4, nextResetAtMs: t0 + 5 * DAY });
  });

  it('a dedup replay on an idle budget writes nothing', async () => {
    const { engine, clock } = await makeEngine({ scanners: {} });
    engine.createBudget({ budgetId: 'b', dimensions: [{ name: 'tokens' }], resetIntervalMs: DAY });
    engine.reportUsageAdmin({ budgetId: 'b', usage: { tokens: 1 }, dedupKey: 'k', dedupTtlMs: 10 * DAY });
    clock.advance(DAY); // the reset zeroes it; the key lives on
    clock.advance(2.5 * DAY);
    const image = engine.exportImage();
    expect(engine.reportUsageAdmin({ budgetId: 'b', usage: { tokens: 1 }, dedupKey: 'k' }).kind).toBe('already_applied');
    expect(Buffer.compare(Buffer.from(engine.exportImage()), Buffer.from(image))).toBe(0);
    expect(engine.getBudgetStatus({ budgetId: 'b' }).resetCount).toBe(3);
  });

  it('an admin reset of an idle budget counts the periods it passed, then restarts the phase at now', async () => {
    const { engine, clock } = await makeEngine({ scanners: {} });
    engine.createBudget({ budgetId: 'b', dimensions: [{ name: 'x' }], resetIntervalMs: DAY });
    clock.advance(2.25 * DAY);
    expect(engine.resetBudget({ budgetId: 'b' })).toEqual({ kind: 'reset', budgetId: 'b', nextResetAtMs: clock.now() + DAY });
    expect(engine.getBudgetStatus({ budgetId: 'b' })).toMatchObject({ resetCount: 3, lastResetAtMs: clock.now(), nextResetAtMs: clock.now() + DAY });
    expect(resetEvents(engine, 'b').map((e) => [e.details['trigger'], e.details['periods']])).toEqual([
      ['scheduled', 2],
      ['admin', undefined],
    ]);
  });

  it('a hard breach gives an idle budget work (a breach to clear); giving all spend back takes it away', async () => {
    const { engine, clock } = await makeEngine({ scanners: {} });
    const t0 = clock.now();
    engine.createBudget({ budgetId: 'b', dimensions: [{ name: 'x', hardLimit: 5 }], resetIntervalMs: DAY });
    expect(engine.reportUsageAdmin({ budgetId: 'b', usage: { x: 6 } }).kind).toBe('hard_breach');
    expect(engine.nextDue({ scanner: 'budget_reset' })).toEqual({ at: t0 + DAY, scanner: 'budget_reset' });
    clock.advance(DAY);
    expect(engine.getBudgetStatus({ budgetId: 'b' })).toMatchObject({ lastBreachAtMs: null, breachCount: 1, resetCount: 1 });

    const executionId = engine.createExecution({ laneId: 'l' }).executionId;
    engine.recordSpend({ budgetId: 'b', executionId, usage: { x: 2 }, idempotencyKey: 'once' });
    expect(engine.nextDue({ scanner: 'budget_reset' })).toEqual({ at: t0 + 2 * DAY, scanner: 'budget_reset' });
    engine.releaseBudget({ budgetId: 'b', executionId });
    expect(engine.nextDue({ scanner: 'budget_reset' })).toBeNull();
    clock.advance(5 * DAY);
    expect(engine.getBudgetStatus({ budgetId: 'b' })).toMatchObject({ resetCount: 6, nextResetAtMs: t0 + 7 * DAY, usage: { x: 0 } });
  });

  it('a database written before idle budgets were tracked keeps resetting the ones with work', async () => {
    // Migration 0009 derives needs_reset from the rows: usage, a breach, booked spend.
    const { engine } = await makeEngine({ scanners: {} });
    engine.createBudget({ budgetId: 'used', dimensions: [{ name: 'x' }], resetIntervalMs: DAY });
    engine.createBudget({ budgetId: 'idle', dimensions: [{ name: 'x' }], resetIntervalMs: DAY });
    engine.driver.prepare("UPDATE ff_budget_usage SET current_value = 4 WHERE budget_id = 'used'").run();
    const migration = (await import('../../src/db/migration-files.js')).migrationFiles.find((f) => f.name === '0009_budget_reset_work.sql')!;
    const recompute = migration.sql.slice(migration.sql.indexOf('UPDATE ff_budget_policy'), migration.sql.indexOf('DROP INDEX'));
    engine.driver.exec(recompute);
    expect(rows(engine, 'SELECT budget_id, needs_reset FROM ff_budget_policy ORDER BY budget_id')).toEqual([
      { budget_id: 'idle', needs_reset: 0 },
      { budget_id: 'used', needs_reset: 1 },
    ]);
  });
});
