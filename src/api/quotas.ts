/**
 * Inputs and results of the quota family: a policy limits how many
 * executions are admitted per sliding window (rate) and how many hold an
 * admission at once (concurrency).
 *
 * Glossary:
 * - admission: checkAdmission said yes to an execution; it counts in the
 *   rate window for `windowSeconds` and holds a concurrency slot until it is
 *   released (releaseAdmission, the execution ending, or its optional TTL).
 * - 0 as a limit means unlimited.
 */
import { z } from 'zod';
import { durationMs, executionId, name, pageLimit } from './common.js';

/** The longest rate window: 30 days, the engine's longest duration. */
const MAX_WINDOW_SECONDS = 30 * 24 * 3600;

const limit = z.number().int('must be an integer').min(0, 'must be ≥ 0').max(2 ** 31 - 1);

export const createQuotaPolicyInput = z.strictObject({
  quotaPolicyId: name,
  /**
   * Length of the sliding rate window, in whole seconds (FlowFabric's unit,
   * and the unit the schema stores). @default 60
   */
  windowSeconds: z
    .number()
    .int('must be an integer')
    .min(1, 'must be ≥ 1')
    .max(MAX_WINDOW_SECONDS, 'must be at most 30 days')
    .default(60),
  /** Admissions allowed per window. 0 = no rate limit. @default 0 */
  maxRequestsPerWindow: limit.default(0),
  /** Admissions held at once. 0 = no concurrency limit. @default 0 */
  maxConcurrent: limit.default(0),
});
export type CreateQuotaPolicyInput = z.input<typeof createQuotaPolicyInput>;
export type CreateQuotaPolicyResult =
  | { kind: 'created'; quotaPolicyId: string }
  /** The policy already existed and was left unchanged (even if the limits differ). */
  | { kind: 'already_satisfied'; quotaPolicyId: string };

export const checkAdmissionInput = z.strictObject({
  quotaPolicyId: name,
  /** Must exist and not be terminal: its slot is released when it ends. */
  executionId,
  /** Rate windows are counted per dimension of a policy; concurrency per policy. @default '' */
  dimension: name.optional(),
  /** Free the slot after this long if nobody releases it. @default held until released or the execution ends */
  slotTtlMs: durationMs.optional(),
});
export type CheckAdmissionInput = z.input<typeof checkAdmissionInput>;
export type CheckAdmissionResult =
  | { kind: 'admitted' }
  /** The execution already holds a slot under this policy; nothing changed. */
  | { kind: 'already_admitted' }
  /** The window is full; one admission leaves it in exactly `retryAfterMs`. */
  | { kind: 'rate_exceeded'; retryAfterMs: number }
  | { kind: 'concurrency_exceeded' };

export const admissionRef = z.strictObject({ quotaPolicyId: name, executionId });
export type ReleaseAdmissionInput = z.input<typeof admissionRef>;
export interface ReleaseAdmissionResult {
  kind: 'released';
  /** false when the execution held no slot (already released): releasing is idempotent. */
  slotFreed: boolean;
}

export const quotaPolicyRef = z.strictObject({ quotaPolicyId: name });
export type QuotaPolicyRef = z.input<typeof quotaPolicyRef>;

export interface QuotaPolicyInfo {
  quotaPolicyId: string;
  windowSeconds: number;
  maxRequestsPerWindow: number;
  maxConcurrent: number;
  /** Slots held now. */
  activeConcurrency: number;
  /** Admissions in the current window (now - window, now], every dimension. */
  admissionsInWindow: number;
  createdAtMs: number;
}

export const listQuotaPoliciesInput = z.strictObject({
  /** @default 50 */
  limit: pageLimit.default(50),
  /** `nextCursor` of the previous page (opaque; a 256-character id encodes to about 1.1k). */
  cursor: z.string().max(4096).optional(),
});
export type ListQuotaPoliciesInput = z.input<typeof listQuotaPoliciesInput>;
export interface ListQuotaPoliciesResult {
  /** Ordered by policy id. */
  policies: QuotaPolicyInfo[];
  nextCursor: string | null;
}
