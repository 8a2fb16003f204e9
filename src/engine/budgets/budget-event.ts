/**
 * The budget event outbox writer. Every insert queues a wake-up on the
 * `budget` channel, delivered only after COMMIT (dropped on rollback).
 *
 * A budget's newest event is never trimmed by retention (its card always
 * shows the last thing that happened), so each insert marks the budget's
 * previous newest event `superseded`: only those are trimmable, and the
 * trimmer finds them through a partial index instead of checking, row by
 * row, whether a newer event exists.
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
  ctx.db
    .prepare(
      `UPDATE ff_budget_event SET superseded = 1
        WHERE event_id = (SELECT MAX(event_id) FROM ff_budget_event WHERE budget_id = :budgetId) AND superseded = 0`,
    )
    .run({ budgetId });
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
