/**
 * releaseBudget: give back what one execution spent through recordSpend on
 * one budget (per dimension, never taking usage below 0) and forget that
 * spend. Idempotent: a second release finds nothing to give back.
 *
 * The ledger holds spend of the current reset period only (a reset clears
 * it), so a release after a reset cannot take back usage that others
 * reported since.
 */
import type { z } from 'zod';
import type { ReleaseBudgetResult } from '../../api/budgets.js';
import { releaseBudgetInput } from '../../api/budgets.js';
import { refreshNeedsReset } from './budget-schedule.js';
import { assertBudgetExists } from './budget-usage.js';
import type { EngineContext } from '../core/context.js';
import { defineOperation } from '../operation.js';

export function releaseBudget(ctx: EngineContext, input: z.output<typeof releaseBudgetInput>, now: number): ReleaseBudgetResult {
  const { budgetId, executionId } = input;
  assertBudgetExists(ctx, budgetId);
  const booked = ctx.db
    .prepare(
      `SELECT dimensions_key, delta_total FROM ff_budget_usage_by_exec
        WHERE budget_id = :budgetId AND execution_id = :executionId
        ORDER BY dimensions_key`,
    )
    .all<{ dimensions_key: string; delta_total: number }>({ budgetId, executionId });
  if (booked.length === 0) return { kind: 'nothing_to_release', budgetId, executionId };

  const current = ctx.db.prepare(
    'SELECT current_value FROM ff_budget_usage WHERE budget_id = :budgetId AND dimensions_key = :dimension',
  );
  const setUsage = ctx.db.prepare(
    `UPDATE ff_budget_usage SET current_value = :value, updated_at_ms = :now
      WHERE budget_id = :budgetId AND dimensions_key = :dimension`,
  );
  const released: Array<[string, number]> = [];
  for (const row of booked) {
    const dimension = row.dimensions_key;
    const before = current.get<{ current_value: number }>({ budgetId, dimension })?.current_value ?? 0;
    // Usage never goes below 0: what is given back is at most what is there.
    const amount = Math.min(before, row.delta_total);
    setUsage.run({ budgetId, dimension, value: before - amount, now });
    released.push([dimension, amount]);
  }
  ctx.db
    .prepare('DELETE FROM ff_budget_usage_by_exec WHERE budget_id = :budgetId AND execution_id = :executionId')
    .run({ budgetId, executionId });
  // Giving everything back can leave nothing to reset: the scanner then lets the budget be.
  refreshNeedsReset(ctx, budgetId);
  return {
    kind: 'released',
    budgetId,
    executionId,
    released: Object.fromEntries(released),
  };
}

export const releaseBudgetOp = defineOperation({
  name: 'releaseBudget',
  family: 'budgets',
  kind: 'write',
  summary: 'Give back what `recordSpend` booked to an execution.',
  input: releaseBudgetInput,
  run: ({ ctx, now }, input): ReleaseBudgetResult => releaseBudget(ctx, input, now),
});
