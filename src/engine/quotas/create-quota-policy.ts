/**
 * createQuotaPolicy: a rate window and a concurrency cap that
 * checkAdmission enforces. Idempotent on the policy id: creating it again is
 * `already_satisfied` and leaves the existing policy unchanged.
 */
import type { z } from 'zod';
import type { CreateQuotaPolicyResult } from '../../api/quotas.js';
import { createQuotaPolicyInput } from '../../api/quotas.js';
import type { EngineContext } from '../core/context.js';
import { defineOperation } from '../operation.js';

export function createQuotaPolicy(
  ctx: EngineContext,
  input: z.output<typeof createQuotaPolicyInput>,
  now: number,
): CreateQuotaPolicyResult {
  const inserted = ctx.db
    .prepare(
      `INSERT INTO ff_quota_policy (quota_policy_id, requests_per_window_seconds, max_requests_per_window,
         active_concurrency_cap, active_concurrency, created_at_ms, updated_at_ms)
       VALUES (:quotaPolicyId, :windowSeconds, :maxRequests, :maxConcurrent, 0, :now, :now)
       ON CONFLICT (quota_policy_id) DO NOTHING`,
    )
    .run({
      quotaPolicyId: input.quotaPolicyId,
      windowSeconds: input.windowSeconds,
      maxRequests: input.maxRequestsPerWindow,
      maxConcurrent: input.maxConcurrent,
      now,
    });
  return { kind: inserted === 0 ? 'already_satisfied' : 'created', quotaPolicyId: input.quotaPolicyId };
}

export const createQuotaPolicyOp = defineOperation({
  name: 'createQuotaPolicy',
  family: 'quotas',
  kind: 'write',
  summary: 'Create a quota policy (a sliding rate window and a concurrency limit); creating it again is `already_satisfied`.',
  input: createQuotaPolicyInput,
  run: ({ ctx, now }, input): CreateQuotaPolicyResult => createQuotaPolicy(ctx, input, now),
});
