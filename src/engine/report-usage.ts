/**
 * reportUsage (the worker path) and reportUsageAdmin (the operator path):
 * add usage to a budget's dimensions, all in one transaction. The rules live
 * in budget-usage.ts.
 *
 * The worker path is fenced exactly like completeExecution: a stale,
 * expired or foreign handle is rejected before anything is written. (The
 * reference ignores the handle entirely.)
 */
import type { z } from 'zod';
import type { ReportUsageResult, reportUsageAdminInput, reportUsageInput } from '../api/budgets.js';
import { applyUsage } from './budget-usage.js';
import type { EngineContext } from './context.js';
import { fence } from './fence.js';

export function reportUsage(ctx: EngineContext, input: z.output<typeof reportUsageInput>, now: number): ReportUsageResult {
  fence(ctx, input.handle, now);
  return applyUsage(ctx, { budgetId: input.budgetId, usage: input.usage, dedupKey: input.dedupKey, dedupTtlMs: input.dedupTtlMs }, now);
}

export function reportUsageAdmin(ctx: EngineContext, input: z.output<typeof reportUsageAdminInput>, now: number): ReportUsageResult {
  return applyUsage(ctx, { budgetId: input.budgetId, usage: input.usage, dedupKey: input.dedupKey, dedupTtlMs: input.dedupTtlMs }, now);
}
