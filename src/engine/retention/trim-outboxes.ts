/**
 * Retention of the outboxes no execution owns: budget events and the worker
 * registry's event trail, trimmed by age alone, oldest first.
 *
 * A budget's newest event is kept whatever its age (only `superseded` rows
 * are trimmable, see budget-event.ts), so a budget that has been quiet for
 * months still shows its last reset. Worker registry events are an audit
 * trail nothing reads back; the registry rows themselves hold the state.
 */
import type { EngineContext } from '../core/context.js';
import type { Retention } from './retention-options.js';
import type { TrimBudget } from './trim-executions.js';

const DUE_BUDGET_EVENTS = `SELECT event_id FROM ff_budget_event
  WHERE superseded = 1 AND occurred_at_ms <= :cutoff ORDER BY occurred_at_ms LIMIT :limit`;

export function nextBudgetEventTrimAt(ctx: EngineContext, retention: Retention): number | null {
  const at = ctx.db.prepare('SELECT MIN(occurred_at_ms) AS at FROM ff_budget_event WHERE superseded = 1').get<{ at: number | null }>()?.at ?? null;
  return at === null ? null : at + retention.maxAgeMs;
}

export function trimBudgetEvents(ctx: EngineContext, now: number, retention: Retention, budget: TrimBudget): number {
  if (budget.remaining <= 0) return 0;
  const params = { cutoff: now - retention.maxAgeMs, limit: budget.remaining };
  const batch = ctx.db.prepare(`SELECT MAX(event_id) AS hi FROM (${DUE_BUDGET_EVENTS})`).get<{ hi: number | null }>(params);
  if (!batch || batch.hi === null) return 0;
  const deleted = ctx.db.prepare(`DELETE FROM ff_budget_event WHERE event_id IN (${DUE_BUDGET_EVENTS})`).run(params);
  budget.remaining -= deleted;
  budget.trimmedThrough.budget = Math.max(budget.trimmedThrough.budget ?? 0, batch.hi);
  return deleted;
}

export function nextWorkerEventTrimAt(ctx: EngineContext, retention: Retention): number | null {
  const at = ctx.db.prepare('SELECT MIN(event_at_ms) AS at FROM ff_worker_registry_event').get<{ at: number | null }>()?.at ?? null;
  return at === null ? null : at + retention.maxAgeMs;
}

export function trimWorkerEvents(ctx: EngineContext, now: number, retention: Retention, budget: TrimBudget): number {
  if (budget.remaining <= 0) return 0;
  const deleted = ctx.db
    .prepare(
      `DELETE FROM ff_worker_registry_event
        WHERE (namespace, worker_instance_id, event_at_ms, event_kind) IN (
          SELECT namespace, worker_instance_id, event_at_ms, event_kind FROM ff_worker_registry_event
           WHERE event_at_ms <= :cutoff ORDER BY event_at_ms LIMIT :limit)`,
    )
    .run({ cutoff: now - retention.maxAgeMs, limit: budget.remaining });
  budget.remaining -= deleted;
  return deleted;
}
