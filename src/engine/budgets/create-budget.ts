/**
 * createBudget: a budget with a row per declared dimension (its limits and
 * zero usage). Idempotent on the budget id: creating it again is
 * `already_satisfied` and leaves the existing budget exactly as it was, even
 * when the new call names other limits (FlowFabric's behaviour). Usage an
 * operator reported before the budget existed (reportUsageAdmin) is kept
 * and counts against the new limits.
 */
import type { z } from 'zod';
import type { CreateBudgetResult } from '../../api/budgets.js';
import { createBudgetInput } from '../../api/budgets.js';
import type { EngineContext } from '../core/context.js';
import { refreshNeedsReset } from './budget-schedule.js';
import { defineOperation } from '../operation.js';

export function createBudget(ctx: EngineContext, input: z.output<typeof createBudgetInput>, now: number): CreateBudgetResult {
  // The first scheduled reset is one interval after creation; 0 = never.
  const nextResetAtMs = input.resetIntervalMs > 0 ? now + input.resetIntervalMs : null;
  const inserted = ctx.db
    .prepare(
      `INSERT INTO ff_budget_policy (budget_id, scope_type, scope_id, enforcement_mode, on_hard_limit, on_soft_limit,
         reset_interval_ms, next_reset_at_ms, created_at_ms, updated_at_ms)
       VALUES (:budgetId, :scopeType, :scopeId, :enforcementMode, :onHardLimit, :onSoftLimit,
         :resetIntervalMs, :nextResetAtMs, :now, :now)
       ON CONFLICT (budget_id) DO NOTHING`,
    )
    .run({
      budgetId: input.budgetId,
      scopeType: input.scopeType ?? '',
      scopeId: input.scopeId ?? '',
      enforcementMode: input.enforcementMode ?? '',
      onHardLimit: input.onHardLimit ?? '',
      onSoftLimit: input.onSoftLimit ?? '',
      resetIntervalMs: input.resetIntervalMs,
      nextResetAtMs,
      now,
    });
  if (inserted === 0) return { kind: 'already_satisfied', budgetId: input.budgetId };

  const addDimension = ctx.db.prepare(
    `INSERT INTO ff_budget_usage (budget_id, dimensions_key, hard_limit, soft_limit, current_value, updated_at_ms)
     VALUES (:budgetId, :dimension, :hardLimit, :softLimit, 0, :now)
     ON CONFLICT (budget_id, dimensions_key) DO UPDATE
        SET hard_limit = excluded.hard_limit, soft_limit = excluded.soft_limit, updated_at_ms = excluded.updated_at_ms`,
  );
  for (const d of input.dimensions) {
    addDimension.run({ budgetId: input.budgetId, dimension: d.name, hardLimit: d.hardLimit ?? null, softLimit: d.softLimit ?? null, now });
  }
  // Usage reported before the budget existed gives its first reset something to do.
  refreshNeedsReset(ctx, input.budgetId);
  return { kind: 'created', budgetId: input.budgetId, nextResetAtMs };
}

export const createBudgetOp = defineOperation({
  name: 'createBudget',
  family: 'budgets',
  kind: 'write',
  summary: 'Create a budget with dimensions, hard and soft limits and a reset interval; creating it again is `already_satisfied` and changes nothing.',
  input: createBudgetInput,
  run: ({ ctx, now }, input): CreateBudgetResult => createBudget(ctx, input, now),
});
