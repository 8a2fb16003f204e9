/**
 * A budget's policy row and its public status: limits, usage, breach
 * counters and reset schedule, as one plain object. The schedule is read
 * as of `now` (an idle budget's stored one may lag: see budget-schedule.ts).
 */
import type { BudgetStatus } from '../../api/budgets.js';
import type { EngineContext } from '../core/context.js';
import { currentSchedule } from './budget-schedule.js';

export interface PolicyRow {
  budget_id: string;
  scope_type: string;
  scope_id: string;
  enforcement_mode: string;
  on_hard_limit: string;
  on_soft_limit: string;
  reset_interval_ms: number;
  next_reset_at_ms: number | null;
  reset_count: number;
  last_reset_at_ms: number | null;
  breach_count: number;
  soft_breach_count: number;
  last_breach_at_ms: number | null;
  last_breach_dim: string | null;
  created_at_ms: number;
  needs_reset: number;
}

export const POLICY_COLUMNS = `budget_id, scope_type, scope_id, enforcement_mode, on_hard_limit, on_soft_limit,
  reset_interval_ms, next_reset_at_ms, reset_count, last_reset_at_ms, breach_count, soft_breach_count,
  last_breach_at_ms, last_breach_dim, created_at_ms, needs_reset`;

export function toStatus(ctx: EngineContext, row: PolicyRow, now: number): BudgetStatus {
  const dims = ctx.db
    .prepare(
      `SELECT dimensions_key, hard_limit, soft_limit, current_value FROM ff_budget_usage
        WHERE budget_id = :budgetId ORDER BY dimensions_key`,
    )
    .all<{ dimensions_key: string; hard_limit: number | null; soft_limit: number | null; current_value: number }>({
      budgetId: row.budget_id,
    });
  const schedule = currentSchedule(ctx, row, now);
  // fromEntries, not assignment: a dimension could be named like an Object.prototype member.
  return {
    budgetId: row.budget_id,
    scopeType: row.scope_type,
    scopeId: row.scope_id,
    enforcementMode: row.enforcement_mode,
    onHardLimit: row.on_hard_limit,
    onSoftLimit: row.on_soft_limit,
    usage: Object.fromEntries(dims.map((d) => [d.dimensions_key, d.current_value])),
    hardLimits: Object.fromEntries(dims.flatMap((d) => (d.hard_limit === null ? [] : [[d.dimensions_key, d.hard_limit]]))),
    softLimits: Object.fromEntries(dims.flatMap((d) => (d.soft_limit === null ? [] : [[d.dimensions_key, d.soft_limit]]))),
    breachCount: row.breach_count,
    softBreachCount: row.soft_breach_count,
    lastBreachAtMs: row.last_breach_at_ms,
    lastBreachDimension: row.last_breach_dim,
    resetIntervalMs: row.reset_interval_ms,
    nextResetAtMs: schedule.nextResetAtMs,
    resetCount: schedule.resetCount,
    lastResetAtMs: schedule.lastResetAtMs,
    createdAtMs: row.created_at_ms,
  };
}
