/**
 * Bodies of the budget_reset scanner. The supervisor owns the timers and
 * the transactions; each function here runs inside the caller's transaction.
 *
 * Race discipline (seed 000): the scanner selects due budgets, then applies
 * each in its own transaction, re-reading next_reset_at_ms first. If an
 * admin reset got there in between, it already moved the schedule past now
 * and the scheduled reset is skipped, so the budget is reset once, not twice.
 *
 * Rescheduling is anchored to the schedule, not to the tick time: the next
 * reset is the first slot `due + k × interval` strictly after now. Missed
 * periods (the tab was asleep, the clock jumped) collapse into ONE reset,
 * and a daily budget keeps resetting at the same time of day however late
 * the tick ran. (The reference reschedules from now, so every late tick
 * shifts the phase.) An admin resetBudget restarts the phase at now.
 */
import type { EngineContext } from '../core/context.js';
import { performReset } from './reset-budget.js';

/**
 * Budgets per scanner tick: the reference batch (20) keeps one tick short.
 * More budgets due at once wait for the next tick; their anchored schedule
 * means the wait does not shift their next reset.
 */
export const BUDGET_RESET_BATCH = 20;

/** Due budgets, earliest first, read from the partial reset-due index alone. */
export function selectDueBudgets(ctx: EngineContext, now: number, limit: number = BUDGET_RESET_BATCH): string[] {
  return ctx.db
    .prepare(
      `SELECT budget_id FROM ff_budget_policy
        WHERE next_reset_at_ms IS NOT NULL AND next_reset_at_ms <= :now
        ORDER BY next_reset_at_ms, budget_id
        LIMIT :limit`,
    )
    .all<{ budget_id: string }>({ now, limit })
    .map((r) => r.budget_id);
}

/**
 * Reset one due budget. Returns false, writing nothing, when the budget is
 * gone, never resets, or is no longer due (an admin reset advanced it).
 */
export function applyScheduledReset(ctx: EngineContext, budgetId: string, now: number): boolean {
  const row = ctx.db
    .prepare('SELECT next_reset_at_ms, reset_interval_ms FROM ff_budget_policy WHERE budget_id = :budgetId')
    .get<{ next_reset_at_ms: number | null; reset_interval_ms: number }>({ budgetId });
  if (!row || row.next_reset_at_ms === null || row.next_reset_at_ms > now) return false;
  const due = row.next_reset_at_ms;
  const interval = row.reset_interval_ms;
  // interval is > 0 whenever a reset is scheduled; guard anyway so a
  // hand-edited row cannot loop or divide by zero.
  const next = interval > 0 ? due + (Math.floor((now - due) / interval) + 1) * interval : null;
  performReset(ctx, budgetId, now, next, { trigger: 'scheduled', dueAtMs: due });
  return true;
}

/** When the next budget falls due (the virtual clock's "advance to the next reset"), or null. */
export function nextBudgetResetAt(ctx: EngineContext): number | null {
  // ORDER BY … LIMIT 1 rather than MIN() so the plan is one step into the partial index.
  const row = ctx.db
    .prepare(
      `SELECT next_reset_at_ms FROM ff_budget_policy
        WHERE next_reset_at_ms IS NOT NULL ORDER BY next_reset_at_ms LIMIT 1`,
    )
    .get<{ next_reset_at_ms: number }>();
  return row?.next_reset_at_ms ?? null;
}
