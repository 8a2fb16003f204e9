/**
 * recordSpend: add usage like reportUsageAdmin and also book it to one
 * execution, so releaseBudget can give exactly that spend back. The
 * idempotency key shares the dedup space of the budget's usage reports; a
 * replay returns the first outcome as `already_applied` (the reference
 * returns a bare AlreadyApplied here, unlike its other two spend paths).
 */
import type { z } from 'zod';
import type { ReportUsageResult } from '../../api/budgets.js';
import { recordSpendInput } from '../../api/budgets.js';
import { applyUsage } from './budget-usage.js';
import type { EngineContext } from '../core/context.js';
import { defineOperation } from '../operation.js';

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

export const recordSpendOp = defineOperation({
  name: 'recordSpend',
  family: 'budgets',
  kind: 'write',
  summary: 'Report usage and book it to an execution, so `releaseBudget` can give it back.',
  input: recordSpendInput,
  run: ({ ctx, now }, input): ReportUsageResult => recordSpend(ctx, input, now),
});
