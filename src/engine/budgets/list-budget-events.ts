/**
 * listBudgetEvents: one budget's event history (resets, breaches), oldest
 * first or newest first, optionally of one type and between two event ids —
 * the playground's reset history, which shows the newest first. Each query
 * walks an index range in event order from the requested end, so a page
 * costs its own rows however long the history is: (budget_id, event_id) for
 * every type, (budget_id, event_type, event_id) for one.
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

/** Four fixed statements rather than `(:type IS NULL OR …)` and a bound direction, so each one walks its index range in order. */
function statement(typed: boolean, newestFirst: boolean): string {
  const type = typed ? 'AND event_type = :eventType' : '';
  return `SELECT ${COLUMNS} FROM ff_budget_event
           WHERE budget_id = :budgetId ${type} AND event_id > :after AND event_id < :before
           ORDER BY event_id ${newestFirst ? 'DESC' : 'ASC'} LIMIT :limit`;
}

export function listBudgetEvents(ctx: EngineContext, input: z.output<typeof listBudgetEventsInput>): ListBudgetEventsResult {
  assertBudgetExists(ctx, input.budgetId);
  const rows = ctx.db.prepare(statement(input.eventType !== undefined, input.newestFirst)).all<EventRow>({
    budgetId: input.budgetId,
    eventType: input.eventType ?? null,
    after: input.afterEventId ?? 0,
    before: input.beforeEventId ?? Number.MAX_SAFE_INTEGER,
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
  summary: 'The budget\'s `reset`, `breach` and `soft_breach` events, oldest first (or newest first with `newestFirst`).',
  input: listBudgetEventsInput,
  run: ({ ctx }, input): ListBudgetEventsResult => listBudgetEvents(ctx, input),
});
