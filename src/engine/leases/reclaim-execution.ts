/**
 * reclaimExecution: redeem a reclaim grant. The interrupted attempt is
 * closed as `interrupted_reclaimed` and a NEW attempt (type `reclaim`) opens
 * at index attempt_count under lease epoch + 1, so every handle of the old
 * lease is stale from here on.
 *
 * Order of checks (FlowFabric's, except that an unknown execution is
 * `not_found` before any grant is looked at):
 *   1. no grant → `grant_not_found`;
 *   2. the grant belongs to another worker id → `validation.invalid_input`
 *      (the instance id is not compared: any instance of the worker may redeem);
 *   3. the grant expired (expires_at_ms ≤ now) → it is deleted, `grant_not_found`;
 *   4. the execution is no longer reclaimable → `not_reclaimable`, grant kept;
 *   5. lease_reclaim_count ≥ the policy's cap (checked before the increment,
 *      as FlowFabric does) → the execution ends `failed`.
 * Without a grantKey the caller's own most recent grant is used, so two
 * workers holding grants for one execution do not trip over each other.
 * Success and the cap both delete every reclaim grant of the execution:
 * they were issued for a lease that no longer exists.
 */
import type { z } from 'zod';
import { DEFAULT_MAX_RECLAIM_COUNT, type ReclaimExecutionResult, reclaimExecutionInput } from '../../api/reclaim.js';
import { errors } from '../../api/errors.js';
import type { EngineContext } from '../core/context.js';
import { openAttempt } from '../executions/open-attempt.js';
import { writeLeaseEvent } from '../outbox/outbox.js';
import { notReclaimableDetail, readReclaimTarget, type ReclaimTarget } from './reclaim-target.js';
import { parsePolicy } from '../executions/retry-policy.js';
import { finishExecution } from '../executions/terminal.js';
import { findGrant } from './grant-store.js';
import { defineOperation } from '../operation.js';

type Input = z.output<typeof reclaimExecutionInput>;

function deleteGrants(ctx: EngineContext, executionId: string): void {
  ctx.db.prepare(`DELETE FROM ff_claim_grant WHERE execution_id = :executionId AND kind = 'reclaim'`).run({ executionId });
}

/** Close the interrupted attempt, unless something (a revoke) already closed it. */
function interruptPriorAttempt(ctx: EngineContext, row: ReclaimTarget, now: number): void {
  ctx.db
    .prepare(
      `UPDATE ff_attempt SET outcome = 'interrupted_reclaimed', terminal_at_ms = :now, lease_expires_at_ms = NULL
        WHERE execution_id = :executionId AND attempt_index = :attemptIndex AND outcome IS NULL`,
    )
    .run({ executionId: row.execution_id, attemptIndex: row.attempt_index, now });
}

export function reclaimExecution(ctx: EngineContext, input: Input, now: number): ReclaimExecutionResult {
  const row = readReclaimTarget(ctx, input.executionId);
  const grant = findGrant(ctx, 'reclaim', input);
  if (!grant) return { kind: 'grant_not_found' };
  if (grant.worker_id !== input.workerId) {
    throw errors.invalid('workerId', `the reclaim grant is bound to worker ${grant.worker_id}, not ${input.workerId}`, {
      grantWorkerId: grant.worker_id,
    });
  }
  if (grant.expires_at_ms <= now) {
    ctx.db.prepare('DELETE FROM ff_claim_grant WHERE grant_id = :grantId').run({ grantId: grant.grant_id });
    return { kind: 'grant_not_found' };
  }
  const why = notReclaimableDetail(row);
  if (why !== null) return { kind: 'not_reclaimable', detail: `${why}: the execution changed after the grant was issued` };

  const scope = { executionId: row.execution_id, namespace: row.namespace, instanceTag: row.instance_tag };
  const cap = parsePolicy(row.policy).maxReclaimCount ?? DEFAULT_MAX_RECLAIM_COUNT;
  if (row.lease_reclaim_count >= cap) {
    interruptPriorAttempt(ctx, row, now);
    deleteGrants(ctx, row.execution_id);
    ctx.db
      .prepare(`UPDATE ff_exec_core SET raw_fields = json_set(raw_fields, '$.failure_reason', :reason) WHERE execution_id = :executionId`)
      .run({ executionId: row.execution_id, reason: `reclaim cap exceeded (${row.lease_reclaim_count} of ${cap})` });
    finishExecution(ctx, row, 'failed', now);
    writeLeaseEvent(
      ctx,
      scope,
      { type: 'revoked', attemptIndex: row.attempt_index, leaseId: row.lease_id, leaseEpoch: row.lease_epoch, workerInstanceId: row.worker_instance_id },
      now,
    );
    return { kind: 'reclaim_cap_exceeded', reclaimCount: row.lease_reclaim_count };
  }

  interruptPriorAttempt(ctx, row, now);
  const handle = openAttempt(
    ctx,
    { executionId: row.execution_id, laneId: row.lane_id, attemptCount: row.attempt_count, leaseEpoch: row.lease_epoch },
    input,
    'reclaim',
    now,
  );
  deleteGrants(ctx, row.execution_id);
  writeLeaseEvent(
    ctx,
    scope,
    { type: 'reclaimed', attemptIndex: handle.attemptIndex, leaseId: handle.leaseId, leaseEpoch: handle.leaseEpoch, workerInstanceId: input.workerInstanceId },
    now,
  );

  return { kind: 'claimed', handle };
}

export const reclaimExecutionOp = defineOperation({
  name: 'reclaimExecution',
  family: 'leases',
  kind: 'write',
  summary: 'Redeem a reclaim grant: a new attempt under a new lease epoch, or the reclaim cap ends the execution.',
  input: reclaimExecutionInput,
  run: ({ ctx, now }, input): ReclaimExecutionResult => reclaimExecution(ctx, input, now),
});
