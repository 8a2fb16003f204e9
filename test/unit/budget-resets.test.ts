/** Spend and its release, admin resets, and the budget_reset scanner's bodies (split from budgets.test.ts). */
import { describe, expect, it } from 'vitest';
import { applyScheduledReset, nextBudgetResetAt, selectDueBudgets } from '../../src/engine/budgets/budget-reset-scan.js';
import { inTx, makeEngine, rows, sameImage } from './helpers.js';
import { DAY, EXEC_A, EXEC_B, withBudget } from './budget-helpers.js';

describe('recordSpend and releaseBudget', () => {
  it('round trip: each execution gets back exactly what it spent, once', async () => {
    const { engine } = await withBudget();
    expect(engine.recordSpend({ budgetId: 'b1', executionId: EXEC_A, usage: { tokens: 30, requests: 2 }, idempotencyKey: 'a1' })).toEqual({ kind: 'ok' });
    engine.recordSpend({ budgetId: 'b1', executionId: EXEC_A, usage: { tokens: 5 }, idempotencyKey: 'a2' });
    engine.recordSpend({ budgetId: 'b1', executionId: EXEC_B, usage: { tokens: 20 }, idempotencyKey: 'b1' });
    engine.reportUsageAdmin({ budgetId: 'b1', usage: { tokens: 1 } });
    expect(engine.getBudgetStatus({ budgetId: 'b1' }).usage).toMatchObject({ tokens: 56, requests: 2 });

    expect(engine.releaseBudget({ budgetId: 'b1', executionId: EXEC_A })).toEqual({
      kind: 'released',
      budgetId: 'b1',
      executionId: EXEC_A,
      released: { requests: 2, tokens: 35 },
    });
    expect(engine.getBudgetStatus({ budgetId: 'b1' }).usage).toMatchObject({ tokens: 21, requests: 0 });
    expect(rows(engine, 'SELECT execution_id FROM ff_budget_usage_by_exec')).toEqual([{ execution_id: EXEC_B }]);

    const before = engine.exportImage();
    expect(engine.releaseBudget({ budgetId: 'b1', executionId: EXEC_A })).toEqual({ kind: 'nothing_to_release', budgetId: 'b1', executionId: EXEC_A });
    expect(sameImage(engine.exportImage(), before)).toBe(true);
  });

  it('a replayed spend returns the first outcome and is not booked twice', async () => {
    const { engine } = await withBudget();
    engine.recordSpend({ budgetId: 'b1', executionId: EXEC_A, usage: { tokens: 10 }, idempotencyKey: 'k' });
    expect(engine.recordSpend({ budgetId: 'b1', executionId: EXEC_A, usage: { tokens: 10 }, idempotencyKey: 'k' })).toEqual({
      kind: 'already_applied',
      original: { kind: 'ok' },
    });
    expect(rows(engine, 'SELECT delta_total FROM ff_budget_usage_by_exec')).toEqual([{ delta_total: 10 }]);
  });

  it('a refused spend books nothing', async () => {
    const { engine } = await withBudget();
    expect(engine.recordSpend({ budgetId: 'b1', executionId: EXEC_A, usage: { tokens: 101 }, idempotencyKey: 'k' }).kind).toBe('hard_breach');
    expect(engine.releaseBudget({ budgetId: 'b1', executionId: EXEC_A }).kind).toBe('nothing_to_release');
  });

  it('a reset ends the period: spend booked before it is not given back after it', async () => {
    const { engine } = await withBudget();
    engine.recordSpend({ budgetId: 'b1', executionId: EXEC_A, usage: { tokens: 40 }, idempotencyKey: 'k' });
    engine.resetBudget({ budgetId: 'b1' });
    engine.reportUsageAdmin({ budgetId: 'b1', usage: { tokens: 25 } });
    expect(engine.releaseBudget({ budgetId: 'b1', executionId: EXEC_A }).kind).toBe('nothing_to_release');
    expect(engine.getBudgetStatus({ budgetId: 'b1' }).usage['tokens']).toBe(25);
  });
});

describe('resets', () => {
  it('resetBudget zeroes usage, keeps lifetime breach counts, and restarts the schedule from now', async () => {
    const { engine, clock } = await withBudget(DAY);
    engine.reportUsageAdmin({ budgetId: 'b1', usage: { tokens: 90, requests: 3 } });
    engine.reportUsageAdmin({ budgetId: 'b1', usage: { requests: 30 } });
    clock.advance(1_234);
    expect(engine.resetBudget({ budgetId: 'b1' })).toEqual({ kind: 'reset', budgetId: 'b1', nextResetAtMs: clock.now() + DAY });
    const status = engine.getBudgetStatus({ budgetId: 'b1' });
    expect(status.usage).toEqual({ cost: 0, requests: 0, tokens: 0 });
    expect(status).toMatchObject({
      breachCount: 1,
      softBreachCount: 1,
      lastBreachAtMs: null,
      lastBreachDimension: null,
      resetCount: 1,
      lastResetAtMs: clock.now(),
      nextResetAtMs: clock.now() + DAY,
    });
    expect(engine.listBudgetEvents({ budgetId: 'b1', eventType: 'reset' }).events).toEqual([
      {
        eventId: expect.any(Number),
        budgetId: 'b1',
        eventType: 'reset',
        dimension: null,
        details: { trigger: 'admin', usageBefore: { cost: 0, requests: 3, tokens: 90 }, nextResetAtMs: clock.now() + DAY },
        occurredAtMs: clock.now(),
      },
    ]);
  });

  it('a budget without an interval resets on demand and stays unscheduled', async () => {
    const { engine } = await withBudget(0);
    expect(engine.resetBudget({ budgetId: 'b1' }).nextResetAtMs).toBeNull();
    expect(engine.getBudgetStatus({ budgetId: 'b1' }).resetCount).toBe(1);
  });

  it('dedup keys survive a reset: a replay after it is still a replay', async () => {
    const { engine } = await withBudget();
    engine.reportUsageAdmin({ budgetId: 'b1', usage: { tokens: 5 }, dedupKey: 'k' });
    engine.resetBudget({ budgetId: 'b1' });
    expect(engine.reportUsageAdmin({ budgetId: 'b1', usage: { tokens: 5 }, dedupKey: 'k' }).kind).toBe('already_applied');
    expect(engine.getBudgetStatus({ budgetId: 'b1' }).usage['tokens']).toBe(0);
  });
});

describe('budget_reset scanner bodies', () => {
  it('selectDueBudgets returns due budgets earliest first, at most 20 by default', async () => {
    const { engine, clock } = await makeEngine();
    const t0 = clock.now();
    // Budget i falls due at t0 + (30 - i) s, so the ids come back in reverse.
    const withUsage = (budgetId: string, resetIntervalMs?: number): void => {
      engine.createBudget({ budgetId, dimensions: [], ...(resetIntervalMs === undefined ? {} : { resetIntervalMs }) });
      engine.reportUsageAdmin({ budgetId, usage: { x: 1 } });
    };
    for (let i = 0; i < 25; i++) withUsage(`b${String(i).padStart(2, '0')}`, (30 - i) * 1_000);
    withUsage('never');
    withUsage('later', 60_000);
    // Idle budgets are nobody's work, however early they fall due.
    engine.createBudget({ budgetId: 'idle', dimensions: [], resetIntervalMs: 1_000 });
    expect(inTx(engine, (ctx) => nextBudgetResetAt(ctx))).toBe(t0 + 6_000);
    expect(inTx(engine, (ctx) => selectDueBudgets(ctx, t0 + 5_999))).toEqual([]);
    clock.advance(40_000);
    const due = inTx(engine, (ctx) => selectDueBudgets(ctx, clock.now()));
    expect(due).toHaveLength(20);
    expect(due).toEqual(Array.from({ length: 20 }, (_, k) => `b${String(24 - k).padStart(2, '0')}`));
    expect(inTx(engine, (ctx) => selectDueBudgets(ctx, clock.now(), 3))).toEqual(['b24', 'b23', 'b22']);
  });

  it('applyScheduledReset resets a due budget and keeps the schedule on its phase', async () => {
    const { engine, clock } = await withBudget(DAY);
    const t0 = clock.now();
    engine.reportUsageAdmin({ budgetId: 'b1', usage: { tokens: 90, requests: 30 } });
    clock.advance(DAY + 5_000); // the tick runs 5 s late
    expect(inTx(engine, (ctx) => applyScheduledReset(ctx, 'b1', clock.now()))).toBe(true);
    const status = engine.getBudgetStatus({ budgetId: 'b1' });
    expect(status).toMatchObject({ resetCount: 1, nextResetAtMs: t0 + 2 * DAY, breachCount: 1, lastResetAtMs: clock.now() });
    expect(status.usage['tokens']).toBe(0);
    const reset = engine.listBudgetEvents({ budgetId: 'b1', eventType: 'reset' }).events[0]!;
    expect(reset.details).toMatchObject({ trigger: 'scheduled', dueAtMs: t0 + DAY, nextResetAtMs: t0 + 2 * DAY });
  });

  it('missed periods collapse into one reset, and the next one stays on the time of day', async () => {
    const { engine, clock } = await withBudget(DAY);
    const t0 = clock.now();
    engine.reportUsageAdmin({ budgetId: 'b1', usage: { tokens: 10 } });
    clock.advance(3.5 * DAY);
    expect(inTx(engine, (ctx) => selectDueBudgets(ctx, clock.now()))).toEqual(['b1']);
    expect(inTx(engine, (ctx) => applyScheduledReset(ctx, 'b1', clock.now()))).toBe(true);
    expect(inTx(engine, (ctx) => applyScheduledReset(ctx, 'b1', clock.now()))).toBe(false);
    // One reset, counting the three periods it covers.
    expect(engine.getBudgetStatus({ budgetId: 'b1' })).toMatchObject({ resetCount: 3, nextResetAtMs: t0 + 4 * DAY });
    const resets = engine.listBudgetEvents({ budgetId: 'b1', eventType: 'reset' }).events;
    expect(resets.map((e) => e.details)).toEqual([
      { trigger: 'scheduled', dueAtMs: t0 + DAY, periods: 3, usageBefore: { cost: 0, requests: 0, tokens: 10 }, nextResetAtMs: t0 + 4 * DAY },
    ]);
    // Exactly on a slot boundary, the next slot is one full interval later.
    engine.reportUsageAdmin({ budgetId: 'b1', usage: { tokens: 1 } });
    clock.advanceTo(t0 + 4 * DAY);
    expect(inTx(engine, (ctx) => applyScheduledReset(ctx, 'b1', clock.now()))).toBe(true);
    expect(engine.getBudgetStatus({ budgetId: 'b1' })).toMatchObject({ resetCount: 4, nextResetAtMs: t0 + 5 * DAY });
    // With nothing left to reset, a due budget is not the scanner's to apply.
    clock.advanceTo(t0 + 5 * DAY);
    expect(inTx(engine, (ctx) => applyScheduledReset(ctx, 'b1', clock.now()))).toBe(false);
  });

  it('an admin reset racing the scanner resets once: the scheduled apply sees the advanced schedule and skips', async () => {
    const { engine, clock } = await withBudget(DAY);
    engine.reportUsageAdmin({ budgetId: 'b1', usage: { tokens: 10 } });
    clock.advance(DAY);
    const due = inTx(engine, (ctx) => selectDueBudgets(ctx, clock.now()));
    expect(due).toEqual(['b1']);
    engine.resetBudget({ budgetId: 'b1' }); // lands between the scan and the apply
    engine.reportUsageAdmin({ budgetId: 'b1', usage: { tokens: 7 } });
    const before = engine.exportImage();
    expect(inTx(engine, (ctx) => applyScheduledReset(ctx, due[0]!, clock.now()))).toBe(false);
    expect(sameImage(engine.exportImage(), before)).toBe(true);
    expect(engine.getBudgetStatus({ budgetId: 'b1' })).toMatchObject({ resetCount: 1, usage: { tokens: 7 } });
  });

  it('applyScheduledReset does nothing for a budget that never resets or does not exist', async () => {
    const { engine, clock } = await withBudget(0);
    clock.advance(DAY);
    expect(inTx(engine, (ctx) => applyScheduledReset(ctx, 'b1', clock.now()))).toBe(false);
    expect(inTx(engine, (ctx) => applyScheduledReset(ctx, 'ghost', clock.now()))).toBe(false);
    expect(inTx(engine, (ctx) => nextBudgetResetAt(ctx))).toBeNull();
  });

  it('breach counters survive scheduled resets', async () => {
    const { engine, clock } = await withBudget(1_000);
    for (let i = 0; i < 3; i++) {
      engine.reportUsageAdmin({ budgetId: 'b1', usage: { requests: 11 } });
      engine.reportUsageAdmin({ budgetId: 'b1', usage: { cost: 6 } });
      clock.advance(1_000);
      for (const id of inTx(engine, (ctx) => selectDueBudgets(ctx, clock.now()))) inTx(engine, (ctx) => applyScheduledReset(ctx, id, clock.now()));
    }
    expect(engine.getBudgetStatus({ budgetId: 'b1' })).toMatchObject({ breachCount: 3, softBreachCount: 3, resetCount: 3, usage: { cost: 0 } });
  });
});
