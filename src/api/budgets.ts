/**
 * Inputs and results of the budget family: create, reset, status, usage
 * reports (worker and admin), per-execution spend and its release, and the
 * budget event history.
 *
 * Glossary:
 * - dimension: a named counter of a budget (`tokens`, `requests`, ...).
 * - hard limit: a report that would take a dimension above it is refused
 *   as a whole. soft limit: a report above it is applied and flagged.
 *   A limit of 0 means "no limit"; reaching a limit exactly is allowed.
 * - dedup key: makes a report idempotent for a while (per budget).
 */
import { z } from 'zod';
import { durationMs, executionId, name, pageLimit } from './common.js';
import { handle } from './handle.js';

/** The longest budget reset interval: a year, so monthly and yearly budgets fit. */
const MAX_RESET_INTERVAL_MS = 366 * 24 * 3600 * 1000;

/** A usage dedup key lives this long unless the caller says otherwise. */
export const DEFAULT_DEDUP_TTL_MS = 24 * 3600 * 1000;

/** A dimension name. `__proto__` is refused: it cannot be a plain-object key. */
export const dimensionName = name.refine((v) => v !== '__proto__', 'is a reserved name');

/** A usage amount or limit: a non-negative integer JavaScript can represent exactly. */
export const amount = z
  .number()
  .int('must be an integer')
  .min(0, 'must be ≥ 0')
  .max(Number.MAX_SAFE_INTEGER, 'must be at most Number.MAX_SAFE_INTEGER (9007199254740991)');

/** Usage deltas by dimension; at least one, at most 256. */
export const usageDeltas = z
  .record(dimensionName, amount)
  .refine((u) => Object.keys(u).length > 0, 'must name at least one dimension')
  .refine((u) => Object.keys(u).length <= 256, 'at most 256 dimensions');

export const budgetDimension = z.strictObject({
  name: dimensionName,
  /** A report that would take usage above this is refused. 0 = no limit. @default no limit */
  hardLimit: amount.optional(),
  /** A report that takes usage above this is applied and flagged. 0 = no limit. @default no limit */
  softLimit: amount.optional(),
});

export const createBudgetInput = z
  .strictObject({
    budgetId: name,
    /** What the budget is attached to (stored and reported, not interpreted). @default '' */
    scopeType: name.optional(),
    /** @default '' */
    scopeId: name.optional(),
    /** Stored and reported, not interpreted. @default '' */
    enforcementMode: name.optional(),
    /** Stored and reported, not interpreted. @default '' */
    onHardLimit: name.optional(),
    /** Stored and reported, not interpreted. @default '' */
    onSoftLimit: name.optional(),
    dimensions: z.array(budgetDimension).max(256, 'at most 256 dimensions'),
    /** Usage is zeroed every interval (the first reset is one interval after creation). 0 = never. @default 0 */
    resetIntervalMs: z
      .number()
      .int('must be an integer')
      .min(0, 'must be ≥ 0')
      .max(MAX_RESET_INTERVAL_MS, 'must be at most 366 days')
      .default(0),
  })
  .superRefine((input, ctx) => {
    const seen = new Set<string>();
    input.dimensions.forEach((d, i) => {
      if (seen.has(d.name)) ctx.addIssue({ code: 'custom', path: ['dimensions', i, 'name'], message: `duplicate dimension '${d.name}'` });
      seen.add(d.name);
      if (d.hardLimit !== undefined && d.hardLimit > 0 && d.softLimit !== undefined && d.softLimit > d.hardLimit) {
        ctx.addIssue({ code: 'custom', path: ['dimensions', i, 'softLimit'], message: `must not exceed hardLimit (${d.hardLimit})` });
      }
    });
  });
export type CreateBudgetInput = z.input<typeof createBudgetInput>;
export type CreateBudgetResult =
  | { kind: 'created'; budgetId: string; nextResetAtMs: number | null }
  /** The budget already existed; it was left exactly as it was (even if the limits differ). */
  | { kind: 'already_satisfied'; budgetId: string };

export const budgetRef = z.strictObject({ budgetId: name });
export type BudgetRef = z.input<typeof budgetRef>;

export interface ResetBudgetResult {
  kind: 'reset';
  budgetId: string;
  /** now + resetIntervalMs, or null for a budget that never resets. */
  nextResetAtMs: number | null;
}

export interface BudgetStatus {
  budgetId: string;
  scopeType: string;
  scopeId: string;
  enforcementMode: string;
  onHardLimit: string;
  onSoftLimit: string;
  /** Current usage of every dimension the budget has (declared or reported). */
  usage: Record<string, number>;
  /** Dimensions without a hard limit are left out; 0 (no limit) is reported as given. */
  hardLimits: Record<string, number>;
  softLimits: Record<string, number>;
  /** Refused (hard) reports over the budget's lifetime; survives resets. */
  breachCount: number;
  /** Soft-breaching reports over the budget's lifetime; survives resets. */
  softBreachCount: number;
  /** The last hard breach since the last reset (a reset clears these two). */
  lastBreachAtMs: number | null;
  lastBreachDimension: string | null;
  resetIntervalMs: number;
  nextResetAtMs: number | null;
  resetCount: number;
  lastResetAtMs: number | null;
  createdAtMs: number;
}

export const listBudgetsInput = z.strictObject({
  /** @default 50 */
  limit: pageLimit.default(50),
  /** `nextCursor` of the previous page (opaque; a 256-character id encodes to about 1.1k). */
  cursor: z.string().max(4096).optional(),
});
export type ListBudgetsInput = z.input<typeof listBudgetsInput>;
export interface ListBudgetsResult {
  /** Ordered by budget id. */
  budgets: BudgetStatus[];
  /** Set while more budgets may follow; pass it back as `cursor`. */
  nextCursor: string | null;
}

export const BUDGET_EVENT_TYPES = ['reset', 'breach', 'soft_breach', 'usage'] as const;
export type BudgetEventType = (typeof BUDGET_EVENT_TYPES)[number];

export const listBudgetEventsInput = z.strictObject({
  budgetId: name,
  eventType: z.enum(BUDGET_EVENT_TYPES).optional(),
  /** Only events after this id (oldest first: the last `eventId` of the previous page). */
  afterEventId: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  /** Only events before this id (newest first: the last `eventId` of the previous page). */
  beforeEventId: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  /**
   * Newest first, so a long history costs only the page read: with
   * `afterEventId`, the newest `limit` events after it. @default false
   */
  newestFirst: z.boolean().default(false),
  /** @default 50 */
  limit: pageLimit.default(50),
});
export type ListBudgetEventsInput = z.input<typeof listBudgetEventsInput>;

export interface BudgetEvent {
  eventId: number;
  budgetId: string;
  eventType: BudgetEventType;
  /** null for a reset, which covers every dimension. */
  dimension: string | null;
  /** Usage before/after, the limit, the next reset time, what triggered a reset. */
  details: Record<string, unknown>;
  occurredAtMs: number;
}
export interface ListBudgetEventsResult {
  /** Oldest first, or newest first with `newestFirst`. */
  events: BudgetEvent[];
}

/** Options shared by the usage-reporting methods. */
const dedupTtlMs = durationMs.default(DEFAULT_DEDUP_TTL_MS);

export const reportUsageInput = z.strictObject({
  /** The reporting worker's handle; fenced like completeExecution. */
  handle,
  budgetId: name,
  usage: usageDeltas,
  /** Repeats with the same key (on this budget, within the TTL) return the first outcome and change nothing. */
  dedupKey: name.optional(),
  /** How long the dedup key is remembered. @default 86400000 (24 h) */
  dedupTtlMs,
});
export type ReportUsageInput = z.input<typeof reportUsageInput>;

export const reportUsageAdminInput = z.strictObject({
  budgetId: name,
  usage: usageDeltas,
  dedupKey: name.optional(),
  /** @default 86400000 (24 h) */
  dedupTtlMs,
});
export type ReportUsageAdminInput = z.input<typeof reportUsageAdminInput>;

/** What a report did the first time; a dedup replay returns it as `original`. */
export type UsageOutcome =
  | { kind: 'ok' }
  /** Applied, and `dimension` is now above its soft limit (the first such, by name). */
  | { kind: 'soft_breach'; dimension: string; currentUsage: number; softLimit: number }
  /**
   * Refused: nothing was applied. `currentUsage` is the usage the report
   * would have produced on `dimension` (the first breaching one, by name), so
   * `currentUsage > hardLimit` always holds.
   */
  | { kind: 'hard_breach'; dimension: string; currentUsage: number; hardLimit: number };

export type ReportUsageResult = UsageOutcome | { kind: 'already_applied'; original: UsageOutcome };

export const recordSpendInput = z.strictObject({
  budgetId: name,
  /** The spend is also booked to this execution, so releaseBudget can give it back. */
  executionId,
  usage: usageDeltas,
  /** Required: a spend is recorded once per key (on this budget, within the TTL). */
  idempotencyKey: name,
  /** @default 86400000 (24 h) */
  dedupTtlMs,
});
export type RecordSpendInput = z.input<typeof recordSpendInput>;

export const releaseBudgetInput = z.strictObject({ budgetId: name, executionId });
export type ReleaseBudgetInput = z.input<typeof releaseBudgetInput>;
export type ReleaseBudgetResult =
  /** `released` is what was given back per dimension (usage never goes below 0). */
  | { kind: 'released'; budgetId: string; executionId: string; released: Record<string, number> }
  /** The execution has no recorded spend on this budget (never spent, already released, or reset since). */
  | { kind: 'nothing_to_release'; budgetId: string; executionId: string };
