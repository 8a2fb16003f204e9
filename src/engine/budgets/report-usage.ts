/**
 * reportUsage, the worker path: add usage to a budget's dimensions, all in
 * one transaction (the rules live in budget-usage.ts). The handle is fenced
 * exactly like completeExecution: a stale, expired or foreign handle is
 * rejected before anything is written. (The reference ignores the handle.)
 */
import { reportUsageInput, type ReportUsageResult } from '../../api/budgets.js';
import { fence } from '../executions/fence.js';
import { defineOperation } from '../operation.js';
import { applyUsage } from './budget-usage.js';

export const reportUsageOp = defineOperation({
  name: 'reportUsage',
  family: 'budgets',
  kind: 'write',
  summary: 'A worker reports usage (`ok`, `soft_breach`, `hard_breach` or `already_applied`); its handle is fenced like `completeExecution`.',
  input: reportUsageInput,
  run: ({ ctx, now }, input): ReportUsageResult => {
    fence(ctx, input.handle, now);
    return applyUsage(ctx, { budgetId: input.budgetId, usage: input.usage, dedupKey: input.dedupKey, dedupTtlMs: input.dedupTtlMs }, now);
  },
});
