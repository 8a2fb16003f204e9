/**
 * Where a budget's reset schedule stands, for budgets the scanner leaves alone.
 *
 * A budget with nothing to reset (no usage, no breach to clear, no spend
 * booked to executions; `needs_reset = 0`) is idle. Resetting it would only
 * move its schedule and count a period, so the budget_reset scanner never
 * ticks for it: a year of virtual time costs an idle budget nothing, where
 * ticking each period cost one transaction and one history row per period.
 *
 * Its stored schedule may therefore lag behind the clock. Two rules keep
 * that invisible:
 * - reads report the schedule as if every period had been reset on time
 *   (`currentSchedule`): the next reset is the first anchored slot after now
 *   (so a daily budget keeps its time of day), the reset count covers every
 *   slot passed, and the last reset is the last slot passed;
 * - before a write can give the budget work (usage, a breach) or reset it,
 *   `catchUpIdleBudget` stores that schedule, with ONE `reset` event for
 *   all the periods passed (`periods` says how many). Otherwise the scanner
 *   would see a stale due time and zero the usage just reported.
 *
 * Both only apply while the engine runs the budget_reset scanner: with the
 * scanner off nothing ever resets, idle or not.
 */
import type { EngineContext } from '../core/context.js';
import { writeBudgetEvent } from './budget-event.js';

export interface ScheduleRow {
  reset_interval_ms: number;
  next_reset_at_ms: number | null;
  reset_count: number;
  last_reset_at_ms: number | null;
  /** 1 while a reset would change something (see migrations/0009). */
  needs_reset: number;
}

export interface Schedule {
  nextResetAtMs: number | null;
  resetCount: number;
  lastResetAtMs: number | null;
}

/** Anchored slots `due`, `due + interval`, … that are ≤ now. */
export function periodsPassed(due: number, interval: number, now: number): number {
  // interval > 0 whenever a reset is scheduled; the guard keeps a hand-edited row from dividing by zero.
  if (interval <= 0 || due > now) return 0;
  return Math.floor((now - due) / interval) + 1;
}

/** Slots an idle budget has passed without the scanner; 0 for a budget with work, or when resets are off. */
export function idlePeriods(ctx: EngineContext, row: ScheduleRow, now: number): number {
  if (!ctx.scheduledBudgetResets || row.needs_reset === 1 || row.next_reset_at_ms === null) return 0;
  return periodsPassed(row.next_reset_at_ms, row.reset_interval_ms, now);
}

/** The schedule as if every period so far had been reset on time. */
export function currentSchedule(ctx: EngineContext, row: ScheduleRow, now: number): Schedule {
  const periods = idlePeriods(ctx, row, now);
  if (periods === 0 || row.next_reset_at_ms === null) {
    return { nextResetAtMs: row.next_reset_at_ms, resetCount: row.reset_count, lastResetAtMs: row.last_reset_at_ms };
  }
  const interval = row.reset_interval_ms;
  return {
    nextResetAtMs: row.next_reset_at_ms + periods * interval,
    resetCount: row.reset_count + periods,
    lastResetAtMs: row.next_reset_at_ms + (periods - 1) * interval,
  };
}

const SCHEDULE_COLUMNS = 'reset_interval_ms, next_reset_at_ms, reset_count, last_reset_at_ms, needs_reset';

/**
 * Store an idle budget's schedule as `currentSchedule` reports it, with one
 * `reset` event covering every period passed. Does nothing for a budget with
 * work (the scanner owns its schedule) or one that passed no slot.
 */
export function catchUpIdleBudget(ctx: EngineContext, budgetId: string, now: number): void {
  const row = ctx.db.prepare(`SELECT ${SCHEDULE_COLUMNS} FROM ff_budget_policy WHERE budget_id = :budgetId`).get<ScheduleRow>({ budgetId });
  if (!row) return;
  const periods = idlePeriods(ctx, row, now);
  if (periods === 0) return;
  const schedule = currentSchedule(ctx, row, now);
  ctx.db
    .prepare(
      `UPDATE ff_budget_policy
          SET next_reset_at_ms = :next, reset_count = :count, last_reset_at_ms = :last, updated_at_ms = :now
        WHERE budget_id = :budgetId`,
    )
    .run({ budgetId, next: schedule.nextResetAtMs, count: schedule.resetCount, last: schedule.lastResetAtMs, now });
  // Nothing was zeroed, so usageBefore is empty; the event exists so the
  // history explains the jump in resetCount.
  writeBudgetEvent(
    ctx,
    budgetId,
    'reset',
    null,
    { trigger: 'scheduled', dueAtMs: row.next_reset_at_ms, periods, usageBefore: {}, nextResetAtMs: schedule.nextResetAtMs },
    now,
  );
}

/** A write gave the budget something to reset (usage above zero, a breach). Call catchUpIdleBudget first. */
export function markNeedsReset(ctx: EngineContext, budgetId: string): void {
  ctx.db.prepare('UPDATE ff_budget_policy SET needs_reset = 1 WHERE budget_id = :budgetId AND needs_reset = 0').run({ budgetId });
}

/** Recompute `needs_reset` from what a reset would clear: usage, the last breach, booked spend. */
export function refreshNeedsReset(ctx: EngineContext, budgetId: string): void {
  ctx.db
    .prepare(
      `UPDATE ff_budget_policy
          SET needs_reset = (
                last_breach_at_ms IS NOT NULL
                OR EXISTS (SELECT 1 FROM ff_budget_usage u WHERE u.budget_id = :budgetId AND u.current_value > 0)
                OR EXISTS (SELECT 1 FROM ff_budget_usage_by_exec x WHERE x.budget_id = :budgetId))
        WHERE budget_id = :budgetId`,
    )
    .run({ budgetId });
}
