/**
 * The budget event outbox writer. Every insert queues a wake-up on the
 * `budget` channel, delivered only after COMMIT (dropped on rollback).
 */
import type { BudgetEventType } from '../../api/budgets.js';
import type { EngineContext } from '../core/context.js';

export function writeBudgetEvent(
  ctx: EngineContext,
  budgetId: string,
  type: BudgetEventType,
  dimension: string | null,
  details: Record<string, unknown>,
  now: number,
): number {
  const row = ctx.db
    .prepare(
      `INSERT INTO ff_budget_event (budget_id, event_type, dimension, details, occurred_at_ms)
       VALUES (:budgetId, :type, :dimension, :details, :now)
       RETURNING event_id`,
    )
    .get<{ event_id: number }>({ budgetId, type, dimension, details: JSON.stringify(details), now })!;
  ctx.emit({ channel: 'budget', eventId: row.event_id });
  return row.event_id;
}
