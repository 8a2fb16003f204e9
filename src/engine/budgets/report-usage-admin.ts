/** reportUsageAdmin, the operator path: reportUsage without a handle. */
import { reportUsageAdminInput, type ReportUsageResult } from '../../api/budgets.js';
import { defineOperation } from '../operation.js';
import { applyUsage } from './budget-usage.js';

export const reportUsageAdminOp = defineOperation({
  name: 'reportUsageAdmin',
  family: 'budgets',
  kind: 'write',
  summary: 'An operator reports usage, with no handle; the same rules and results as `reportUsage`.',
  input: reportUsageAdminInput,
  run: ({ ctx, now }, input): ReportUsageResult =>
    applyUsage(ctx, { budgetId: input.budgetId, usage: input.usage, dedupKey: input.dedupKey, dedupTtlMs: input.dedupTtlMs }, now),
});
