/**
 * The shared core of every spend path (reportUsage, reportUsageAdmin,
 * recordSpend): dedup, the hard-limit check, applying the deltas, the soft
 * limit check, breach counters and events — all in the caller's transaction.
 *
 * Rules:
 * - All dimensions of a report are applied together or not at all.
 * - Hard breach: if ANY dimension would end above its hard limit (limit > 0,
 *   strict comparison), nothing is applied, breach_count goes up by one and
 *   the first breaching dimension (by name) is reported with the usage the
 *   report WOULD have produced. (The reference reports the usage before the
 *   report there but after it for a soft breach, so its two breach kinds
 *   disagree about what `current_usage` means; here it is always the usage
 *   the report produces, so `currentUsage > limit` holds in both.)
 * - Soft breach: applied; soft_breach_count goes up by one per report (not
 *   per dimension); the first dimension over its soft limit (by name) is
 *   reported.
 * - A sum above Number.MAX_SAFE_INTEGER is invalid input, never rounded.
 * - Dedup keys are scoped per budget and live `dedupTtlMs`. A replay inside
 *   the TTL returns the first outcome (refusals included) and writes nothing;
 *   an expired key is new again, whether or not the sweeper deleted it yet.
 *   (The reference keys dedup globally and never expires or sweeps keys.)
 */
import { EngineError, errors } from '../../api/errors.js';
import type { ReportUsageResult, UsageOutcome } from '../../api/budgets.js';
import { writeBudgetEvent } from './budget-event.js';
import { catchUpIdleBudget, markNeedsReset } from './budget-schedule.js';
import type { EngineContext } from '../core/context.js';

export interface UsageReport {
  budgetId: string;
  usage: Record<string, number>;
  dedupKey: string | undefined;
  dedupTtlMs: number;
  /** recordSpend: also book the applied deltas to this execution's ledger. */
  executionId?: string;
  /**
   * reportUsageAdmin: a budget that was never created is not refused. Its
   * dimensions have no limits, so the report is applied and `ok`
   * (FlowFabric's rule for a report with no policy); the usage is there
   * when the budget is created later.
   */
  allowUncreated?: boolean;
}

interface DimensionPlan {
  dimension: string;
  delta: number;
  before: number;
  after: number;
  hardLimit: number | null;
  softLimit: number | null;
}

export function assertBudgetExists(ctx: EngineContext, budgetId: string): void {
  const found = ctx.db.prepare('SELECT 1 AS found FROM ff_budget_policy WHERE budget_id = :budgetId').get({ budgetId });
  if (!found) throw errors.notFound('budget', budgetId);
}

export function applyUsage(ctx: EngineContext, report: UsageReport, now: number): ReportUsageResult {
  const { budgetId, dedupKey } = report;
  if (report.allowUncreated !== true) assertBudgetExists(ctx, budgetId);

  if (dedupKey !== undefined) {
    const prior = ctx.db
      .prepare(
        `SELECT outcome_json, expires_at_ms FROM ff_budget_usage_dedup
          WHERE budget_id = :budgetId AND dedup_key = :dedupKey`,
      )
      .get<{ outcome_json: string; expires_at_ms: number }>({ budgetId, dedupKey });
    // An expired key counts as new even before the sweeper deletes it.
    if (prior && prior.expires_at_ms > now) return { kind: 'already_applied', original: decodeOutcome(prior.outcome_json, budgetId, dedupKey) };
  }

  // Before the report can give an idle budget work, store where its schedule
  // stands; otherwise the scanner would see a past due time and zero this usage.
  catchUpIdleBudget(ctx, budgetId, now);
  const plan = planReport(ctx, report);
  const hard = plan.find((p) => p.hardLimit !== null && p.hardLimit > 0 && p.after > p.hardLimit);
  let outcome: UsageOutcome;
  if (hard) {
    outcome = { kind: 'hard_breach', dimension: hard.dimension, currentUsage: hard.after, hardLimit: hard.hardLimit! };
    ctx.db
      .prepare(
        `UPDATE ff_budget_policy
            SET breach_count = breach_count + 1, last_breach_at_ms = :now, last_breach_dim = :dimension, updated_at_ms = :now
          WHERE budget_id = :budgetId`,
      )
      .run({ budgetId, dimension: hard.dimension, now });
    writeBudgetEvent(ctx, budgetId, 'breach', hard.dimension, breachDetails(hard, 'hardLimit', report), now);
  } else {
    applyPlan(ctx, report, plan, now);
    const soft = plan.find((p) => p.softLimit !== null && p.softLimit > 0 && p.after > p.softLimit);
    if (soft) {
      outcome = { kind: 'soft_breach', dimension: soft.dimension, currentUsage: soft.after, softLimit: soft.softLimit! };
      ctx.db
        .prepare('UPDATE ff_budget_policy SET soft_breach_count = soft_breach_count + 1, updated_at_ms = :now WHERE budget_id = :budgetId')
        .run({ budgetId, now });
      writeBudgetEvent(ctx, budgetId, 'soft_breach', soft.dimension, breachDetails(soft, 'softLimit', report), now);
    } else {
      outcome = { kind: 'ok' };
    }
  }

  if (dedupKey !== undefined) {
    // Overwrites only an expired row: a live one returned above.
    ctx.db
      .prepare(
        `INSERT INTO ff_budget_usage_dedup (budget_id, dedup_key, outcome_json, applied_at_ms, expires_at_ms)
         VALUES (:budgetId, :dedupKey, :outcome, :now, :expiresAt)
         ON CONFLICT (budget_id, dedup_key) DO UPDATE
            SET outcome_json = excluded.outcome_json, applied_at_ms = excluded.applied_at_ms, expires_at_ms = excluded.expires_at_ms`,
      )
      .run({ budgetId, dedupKey, outcome: JSON.stringify(outcome), now, expiresAt: now + report.dedupTtlMs });
  }
  // Usage only grows here, so a report can give the budget work but never take it away.
  if (hard || plan.some((p) => p.after > 0)) markNeedsReset(ctx, budgetId);
  return outcome;
}

/** Current usage and limits of every reported dimension, in name order (so "the first breach" is deterministic). */
function planReport(ctx: EngineContext, report: UsageReport): DimensionPlan[] {
  const read = ctx.db.prepare(
    `SELECT hard_limit, soft_limit, current_value FROM ff_budget_usage
      WHERE budget_id = :budgetId AND dimensions_key = :dimension`,
  );
  return Object.keys(report.usage)
    .sort()
    .map((dimension) => {
      const delta = report.usage[dimension]!;
      const row = read.get<{ hard_limit: number | null; soft_limit: number | null; current_value: number }>({
        budgetId: report.budgetId,
        dimension,
      });
      const before = row?.current_value ?? 0;
      const after = before + delta;
      if (!Number.isSafeInteger(after)) {
        throw new EngineError(
          'validation.invalid_input',
          `usage.${dimension}: the new usage ${before} + ${delta} would exceed Number.MAX_SAFE_INTEGER`,
          {
            field: `usage.${dimension}`,
            issues: [{ path: `usage.${dimension}`, code: 'too_big', message: 'the resulting usage would exceed Number.MAX_SAFE_INTEGER' }],
            currentUsage: before,
            delta,
          },
        );
      }
      return { dimension, delta, before, after, hardLimit: row?.hard_limit ?? null, softLimit: row?.soft_limit ?? null };
    });
}

function applyPlan(ctx: EngineContext, report: UsageReport, plan: DimensionPlan[], now: number): void {
  // An undeclared dimension gets a row with no limits on its first report.
  const setUsage = ctx.db.prepare(
    `INSERT INTO ff_budget_usage (budget_id, dimensions_key, current_value, updated_at_ms)
     VALUES (:budgetId, :dimension, :after, :now)
     ON CONFLICT (budget_id, dimensions_key) DO UPDATE
        SET current_value = excluded.current_value, updated_at_ms = excluded.updated_at_ms`,
  );
  const book = ctx.db.prepare(
    `INSERT INTO ff_budget_usage_by_exec (budget_id, execution_id, dimensions_key, delta_total, updated_at_ms)
     VALUES (:budgetId, :executionId, :dimension, :delta, :now)
     ON CONFLICT (budget_id, execution_id, dimensions_key) DO UPDATE
        SET delta_total = delta_total + excluded.delta_total, updated_at_ms = excluded.updated_at_ms`,
  );
  for (const p of plan) {
    setUsage.run({ budgetId: report.budgetId, dimension: p.dimension, after: p.after, now });
    // A zero delta gives nothing back later, so it needs no ledger row.
    if (report.executionId !== undefined && p.delta > 0) {
      book.run({ budgetId: report.budgetId, executionId: report.executionId, dimension: p.dimension, delta: p.delta, now });
    }
  }
}

function breachDetails(p: DimensionPlan, limitName: 'hardLimit' | 'softLimit', report: UsageReport): Record<string, unknown> {
  return {
    usageBefore: p.before,
    delta: p.delta,
    // For a hard breach this is the usage the refused report would have produced.
    usageAfter: p.after,
    [limitName]: limitName === 'hardLimit' ? p.hardLimit : p.softLimit,
    ...(report.dedupKey !== undefined ? { dedupKey: report.dedupKey } : {}),
    ...(report.executionId !== undefined ? { executionId: report.executionId } : {}),
  };
}

function decodeOutcome(json: string, budgetId: string, dedupKey: string): UsageOutcome {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    value = undefined;
  }
  const kind = (value as { kind?: unknown } | undefined)?.kind;
  if (kind === 'ok' || kind === 'soft_breach' || kind === 'hard_breach') return value as UsageOutcome;
  throw errors.corruption(`stored outcome of dedup key '${dedupKey}' on budget '${budgetId}' is not a usage outcome`, { budgetId, dedupKey });
}
