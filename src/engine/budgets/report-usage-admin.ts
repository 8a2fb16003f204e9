/**
 * reportUsageAdmin, the operator path: reportUsage without a handle.
 *
 * A budget that was never created is not an error here: with no policy
 * there are no limits, so the usage is applied and the result is `ok`
 * (FlowFabric's rule, which its Valkey backend shares). The usage stays
 * under that budget id and counts once the budget is created; until then
 * getBudgetStatus and listBudgets do not show it. reportUsage and
 * recordSpend still refuse an unknown budget with `not_found`: a worker
 * reporting to a budget nobody created is more likely a typo.
 */
import { reportUsageAdminInput, type ReportUsageResult } from '../../api/budgets.js';
import { defineOperation } from '../operation.js';
import { applyUsage } from './budget-usage.js';

export const reportUsageAdminOp = defineOperation({
  name: 'reportUsageAdmin',
  family: 'budgets',
  kind: 'write',
  summary: 'An operator reports usage, with no handle; the same rules and results as `reportUsage`, except that a budget never created is `ok` (no limits) instead of `not_found`.',
  input: reportUsageAdminInput,
  run: ({ ctx, now }, input): ReportUsageResult =>
    applyUsage(
      ctx,
      { budgetId: input.budgetId, usage: input.usage, dedupKey: input.dedupKey, dedupTtlMs: input.dedupTtlMs, allowUncreated: true },
      now,
    ),
});
