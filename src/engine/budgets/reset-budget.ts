/**
 * resetBudget (admin) and the reset both it and the budget_reset scanner
 * perform: zero every dimension, start a new period, write a `reset` event.
 *
 * What a reset keeps: limits, breach_count and soft_breach_count (lifetime
 * totals), dedup keys (a replayed report stays a replay). What it clears:
 * usage, last_breach_* (they describe the period that ended), and the
 * per-execution spend ledger (that spend belonged to the ended period, so a
 * later releaseBudget must not subtract it from the new one).
 *
 * Scheduling: the admin reset starts the next period from now
 * (next = now + interval); the scanner keeps its schedule's phase (see
 * budget-reset-scan.ts).
 */
import type { z } from 'zod';
import type { ResetBudgetResult } from '../../api/budgets.js';
import { budgetRef } from '../../api/budgets.js';
import { errors } from '../../api/errors.js';
import { writeBudgetEvent } from './budget-event.js';
import { catchUpIdleBudget } from './budget-schedule.js';
import type { EngineContext } from '../core/context.js';
import { defineOperation } from '../operation.js';

export interface ResetTrigger {
  trigger: 'admin' | 'scheduled';
  /** The first schedule slot a scheduled reset serves. */
  dueAtMs?: number;
  /** Schedule slots a scheduled reset covers (more than 1 when it ran late); reset_count goes up by this. @default 1 */
  periods?: number;
}

export function resetBudget(ctx: EngineContext, input: z.output<typeof budgetRef>, now: number): ResetBudgetResult {
  const policy = ctx.db
    .prepare('SELECT reset_interval_ms FROM ff_budget_policy WHERE budget_id = :budgetId')
    .get<{ reset_interval_ms: number }>({ budgetId: input.budgetId });
  if (!policy) throw errors.notFound('budget', input.budgetId);
  // An idle budget's schedule may lag the clock: count the periods it passed first.
  catchUpIdleBudget(ctx, input.budgetId, now);
  const nextResetAtMs = policy.reset_interval_ms > 0 ? now + policy.reset_interval_ms : null;
  performReset(ctx, input.budgetId, now, nextResetAtMs, { trigger: 'admin' });
  return { kind: 'reset', budgetId: input.budgetId, nextResetAtMs };
}

/** The reset transition itself; the caller has checked the budget exists and chosen the next reset time. Afterwards the budget is idle. */
export function performReset(ctx: EngineContext, budgetId: string, now: number, nextResetAtMs: number | null, why: ResetTrigger): void {
  const before = ctx.db
    .prepare('SELECT dimensions_key, current_value FROM ff_budget_usage WHERE budget_id = :budgetId ORDER BY dimensions_key')
    .all<{ dimensions_key: string; current_value: number }>({ budgetId });
  ctx.db
    .prepare('UPDATE ff_budget_usage SET current_value = 0, last_reset_at_ms = :now, updated_at_ms = :now WHERE budget_id = :budgetId')
    .run({ budgetId, now });
  ctx.db.prepare('DELETE FROM ff_budget_usage_by_exec WHERE budget_id = :budgetId').run({ budgetId });
  ctx.db
    .prepare(
      `UPDATE ff_budget_policy
          SET next_reset_at_ms = :nextResetAtMs, reset_count = reset_count + :periods, last_reset_at_ms = :now,
              last_breach_at_ms = NULL, last_breach_dim = NULL, needs_reset = 0, updated_at_ms = :now
        WHERE budget_id = :budgetId`,
    )
    .run({ budgetId, nextResetAtMs, now, periods: why.periods ?? 1 });
  writeBudgetEvent(
    ctx,
    budgetId,
    'reset',
    null,
    {
      trigger: why.trigger,
      ...(why.dueAtMs !== undefined ? { dueAtMs: why.dueAtMs } : {}),
      ...(why.periods !== undefined ? { periods: why.periods } : {}),
      usageBefore: Object.fromEntries(before.map((r) => [r.dimensions_key, r.current_value])),
      nextResetAtMs,
    },
    now,
  );
}

export const resetBudgetOp = defineOperation({
  name: 'resetBudget',
  family: 'budgets',
  kind: 'write',
  summary: 'Zero every dimension now and restart the reset schedule from now.',
  input: budgetRef,
  run: ({ ctx, now }, input): ResetBudgetResult => resetBudget(ctx, input, now),
});
