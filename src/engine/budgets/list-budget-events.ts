/**
 * listBudgetEvents: one budget's event history (resets, breaches), oldest
 * first, optionally of one type — the playground's reset history. Served by
 * the (budget_id, event_type, event_id) index.
 */
import type { z } from 'zod';
import type { BudgetEvent, BudgetEventType, ListBudgetEventsResult } from '../../api/budgets.js';
import { listBudgetEventsInput } from '../../api/budgets.js';
import { errors } from '../../api/errors.js';
import { assertBudgetExists } from './budget-usage.js';
import type { EngineContext } from '../core/context.js';
import { defineOperation } from '../operation.js';

const COLUMNS = 'event_id, budget_id, event_type, dimension, details, occurred_at_ms';

interface EventRow {
  event_id: number;
  budget_id: string;
  event_type: BudgetEventType;
  dimension: string | null;
  details: string;
  occurred_at_ms: number;
}

export function listBudgetEvents(ctx: EngineContext, input: z.output<typeof listBudgetEventsInput>): ListBudgetEventsResult {
  assertBudgetExists(ctx, input.budgetId);
  // Two statements rather than `(:type IS NULL OR …)`, so the typed one walks its index range in event order.
  const sql =
    input.eventType === undefined
      ? `SELECT ${COLUMNS} FROM ff_budget_event
          WHERE budget_id = :budgetId AND event_id > :after ORDER BY event_id LIMIT :limit`
      : `SELECT ${COLUMNS} FROM ff_budget_event
          WHERE budget_id = :budgetId AND event_type = :eventType AND event_id > :after ORDER BY event_id LIMIT :limit`;
  const rows = ctx.db.prepare(sql).all<EventRow>({
    budgetId: input.budgetId,
    eventType: input.eventType ?? null,
    after: input.afterEventId ?? 0,
    limit: input.limit,
  });
  return { events: rows.map(toEvent) };
}

function toEvent(row: EventRow): BudgetEvent {
  let details: Record<string, unknown>;
  try {
    details = JSON.parse(row.details) as Record<string, unknown>;
  } catch {
    throw errors.corruption(`budget event ${row.event_id} has unreadable details`, { eventId: row.event_id });
  }
  return {
    eventId: row.event_id,
    budgetId: row.budget_id,
    eventType: row.event_type,
    dimension: row.dimension,
    details,
    occurredAtMs: row.occurred_at_ms,
  };
}

export const listBudgetEventsOp = defineOperation({
  name: 'listBudgetEvents',
  family: 'budgets',
  kind: 'read',
  summary: 'The budget\'s `reset`, `breach` and `soft_breach` events, oldest first.',
  input: listBudgetEventsInput,
  run: ({ ctx }, input): ListBudgetEventsResult => listBudgetEvents(ctx, input),
});
