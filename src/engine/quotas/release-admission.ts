/**
 * Freeing concurrency slots: releaseAdmission (explicit, idempotent),
 * releaseAdmissionsFor (every slot of an execution that just reached a
 * terminal state; called from finishExecution) and freeSlot (the one place a
 * slot row is deleted, so ff_quota_policy.active_concurrency always equals
 * the number of ff_quota_admitted rows of the policy).
 *
 * Releasing a slot never removes the admission from the rate window: it
 * still counts until the window slides past it.
 */
import type { z } from 'zod';
import { errors } from '../../api/errors.js';
import type { ReleaseAdmissionResult } from '../../api/quotas.js';
import { admissionRef } from '../../api/quotas.js';
import type { EngineContext } from '../core/context.js';
import { defineOperation } from '../operation.js';

export function releaseAdmission(ctx: EngineContext, input: z.output<typeof admissionRef>, now: number): ReleaseAdmissionResult {
  assertQuotaPolicyExists(ctx, input.quotaPolicyId);
  return { kind: 'released', slotFreed: freeSlot(ctx, input.quotaPolicyId, input.executionId, now) };
}

/** Free every slot `executionId` holds, under any policy. Returns how many. */
export function releaseAdmissionsFor(ctx: EngineContext, executionId: string, now: number): number {
  const held = ctx.db
    .prepare('SELECT quota_policy_id FROM ff_quota_admitted WHERE execution_id = :executionId')
    .all<{ quota_policy_id: string }>({ executionId });
  for (const { quota_policy_id } of held) freeSlot(ctx, quota_policy_id, executionId, now);
  return held.length;
}

/** Delete one slot row and decrement its policy's counter in step. */
export function freeSlot(ctx: EngineContext, quotaPolicyId: string, executionId: string, now: number): boolean {
  const deleted = ctx.db
    .prepare('DELETE FROM ff_quota_admitted WHERE quota_policy_id = :quotaPolicyId AND execution_id = :executionId')
    .run({ quotaPolicyId, executionId });
  if (deleted === 0) return false;
  ctx.db
    .prepare(
      `UPDATE ff_quota_policy SET active_concurrency = MAX(active_concurrency - 1, 0), updated_at_ms = :now
        WHERE quota_policy_id = :quotaPolicyId`,
    )
    .run({ quotaPolicyId, now });
  return true;
}

export function assertQuotaPolicyExists(ctx: EngineContext, quotaPolicyId: string): void {
  const found = ctx.db.prepare('SELECT 1 AS found FROM ff_quota_policy WHERE quota_policy_id = :quotaPolicyId').get({ quotaPolicyId });
  if (!found) throw errors.notFound('quota_policy', quotaPolicyId);
}

export const releaseAdmissionOp = defineOperation({
  name: 'releaseAdmission',
  family: 'quotas',
  kind: 'write',
  summary: 'Free an execution\'s concurrency slot.',
  input: admissionRef,
  run: ({ ctx, now }, input): ReleaseAdmissionResult => releaseAdmission(ctx, input, now),
});
