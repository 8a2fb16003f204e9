/**
 * Bodies of the budget_reset scanner. The supervisor owns the timers and
 * the transactions; each function here runs inside the caller's transaction.
 *
 * Only budgets with something to reset (`needs_reset = 1`: usage, a breach
 * to clear, booked spend) are the scanner's work. An idle budget's schedule
 * moves on without a tick (see budget-schedule.ts), so virtual time costs
 * the resets that change state, not the periods it covers.
 *
 * Race discipline (seed 000): the scanner selects due budgets, then applies
 * each in its own transaction, re-reading the row first. If an admin reset
 * got there in between, it already moved the schedule past now and the
 * scheduled reset is skipped, so the budget is reset once, not twice.
 *
 * Rescheduling is anchored to the schedule, not to the tick time: the next
 * reset is the first slot `due + k × interval` strictly after now. Missed
 * periods (the tab was asleep, the clock jumped) collapse into ONE reset
 * that counts them all (`reset_count` goes up by the periods passed, and the
 * event says how many), and a daily budget keeps resetting at the same time
 * of day however late the tick ran. (The reference reschedules from now, so
 * every late tick shifts the phase.) An admin resetBudget restarts the phase
 * at now.
 */
import type { EngineContext } from '../core/context.js';
import { periodsPassed } from './budget-schedule.js';
import { performReset } from './reset-budget.js';

/**
 * Budgets per scanner tick: the reference batch (20) keeps one tick short.
 * More budgets due at once wait for the next tick; their anchored schedule
 * means the wait does not shift their next reset.
 */
export const BUDGET_RESET_BATCH = 20;

/** Due budgets with something to reset, earliest first, read from the partial reset-work index alone. */
export function selectDueBudgets(ctx: EngineContext, now: number, limit: number = BUDGET_RESET_BATCH): string[] {
  return ctx.db
    .prepare(
      `SELECT budget_id FROM ff_budget_policy
        WHERE next_reset_at_ms IS NOT NULL AND needs_reset = 1 AND next_reset_at_ms <= :now
        ORDER BY next_reset_at_ms, budget_id
        LIMIT :limit`,
    )
    .all<{ budget_id: string }>({ now, limit })
    .map((r) => r.budget_id);
}

/**
 * Reset one due budget. Returns false, writing nothing, when the budget is
 * gone, never resets, is no longer due (an admin reset advanced it), or has
 * nothing to reset any more (its schedule then moves on by itself).
 */
export function applyScheduledReset(ctx: EngineContext, budgetId: string, now: number): boolean {
  const row = ctx.db
    .prepare('SELECT next_reset_at_ms, reset_interval_ms, needs_reset FROM ff_budget_policy WHERE budget_id = :budgetId')
    .get<{ next_reset_at_ms: number | null; reset_interval_ms: number; needs_reset: number }>({ budgetId });
  if (!row || row.needs_reset !== 1 || row.next_reset_at_ms === null) return false;
  const due = row.next_reset_at_ms;
  const interval = row.reset_interval_ms;
  const periods = periodsPassed(due, interval, now);
  if (periods === 0) return false;
  performReset(ctx, budgetId, now, due + periods * interval, { trigger: 'scheduled', dueAtMs: due, periods });
  return true;
}

/** When the next budget with something to reset falls due (the virtual clock's "advance to the next reset"), or null. */
export function nextBudgetResetAt(ctx: EngineContext): number | null {
  // ORDER BY … LIMIT 1 rather than MIN() so the plan is one step into the partial index.
  const row = ctx.db
    .prepare(
      `SELECT next_reset_at_ms FROM ff_budget_policy
        WHERE next_reset_at_ms IS NOT NULL AND needs_reset = 1 ORDER BY next_reset_at_ms LIMIT 1`,
    )
    .get<{ next_reset_at_ms: number }>();
  return row?.next_reset_at_ms ?? null;
}
