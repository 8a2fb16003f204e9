/**
 * recordSpend: add usage like reportUsageAdmin and also book it to one
 * execution, so releaseBudget can give exactly that spend back. The
 * idempotency key shares the dedup space of the budget's usage reports; a
 * replay returns the first outcome as `already_applied` (the reference
 * returns a bare AlreadyApplied here, unlike its other two spend paths).
 */
import type { z } from 'zod';
import type { ReportUsageResult, recordSpendInput } from '../api/budgets.js';
import { applyUsage } from './budget-usage.js';
import type { EngineContext } from './context.js';

export function recordSpend(ctx: EngineContext, input: z.output<typeof recordSpendInput>, now: number): ReportUsageResult {
  return applyUsage(
    ctx,
    {
      budgetId: input.budgetId,
      usage: input.usage,
      dedupKey: input.idempotencyKey,
      dedupTtlMs: input.dedupTtlMs,
      executionId: input.executionId,
    },
    now,
  );
}
