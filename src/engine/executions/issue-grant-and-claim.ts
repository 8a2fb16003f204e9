/**
 * issueGrantAndClaim (FlowFabric's issue_grant_and_claim): an operator
 * claims one named execution, grant and claim in one transaction, so a
 * refused claim never leaves a grant behind. The lease holder is
 * `workerId` / `workerInstanceId` (FlowFabric always uses `operator`, the
 * default here).
 *
 * Two cases, as in FlowFabric:
 * - an execution waiting to be claimed is claimed as `claim` would (it must
 *   be claimable by name, see claim-grant-target.ts);
 * - a running execution whose lease expired or was revoked is taken over
 *   through the reclaim path: a reclaim grant and its redemption, so the
 *   new attempt is a `reclaim` one and counts against `maxReclaimCount`
 *   (past it the execution ends `failed`: `reclaim_cap_exceeded`).
 * Anything else is the typed error of the first case. The execution must be
 * in `laneId`. Required capabilities are not checked: the operator picks
 * the holder.
 */
import type { z } from 'zod';
import { EngineError } from '../../api/errors.js';
import { issueGrantAndClaimInput, type IssueGrantAndClaimResult } from '../../api/claim-grants.js';
import type { EngineContext } from '../core/context.js';
import { reclaimExecution } from '../leases/reclaim-execution.js';
import { notReclaimableDetail, readReclaimTarget } from '../leases/reclaim-target.js';
import { assertLane, readClaimTarget, takeExecution } from './claim-grant-target.js';
import { defineOperation } from '../operation.js';

type Input = z.output<typeof issueGrantAndClaimInput>;

export function issueGrantAndClaim(ctx: EngineContext, input: Input, now: number): IssueGrantAndClaimResult {
  const interrupted = readReclaimTarget(ctx, input.executionId);
  if (notReclaimableDetail(interrupted) === null) return takeOver(ctx, input, interrupted.lane_id, now);
  const row = readClaimTarget(ctx, input.executionId);
  assertLane(row.lane_id, input.laneId);
  return { kind: 'claimed', handle: takeExecution(ctx, row, input, now) };
}

/** Reclaim an interrupted execution for the operator: a reclaim grant, redeemed at once. */
function takeOver(ctx: EngineContext, input: Input, laneId: string, now: number): IssueGrantAndClaimResult {
  assertLane(laneId, input.laneId);
  const grantKey = ctx.ids.uuid();
  ctx.db
    .prepare(
      `INSERT INTO ff_claim_grant (grant_id, execution_id, kind, worker_id, worker_instance_id, lane_id, grant_ttl_ms, issued_at_ms, expires_at_ms)
       VALUES (:grantKey, :executionId, 'reclaim', :workerId, :workerInstanceId, :laneId, :ttl, :now, :expiresAt)`,
    )
    .run({
      grantKey,
      executionId: input.executionId,
      workerId: input.workerId,
      workerInstanceId: input.workerInstanceId,
      laneId,
      ttl: input.leaseTtlMs,
      now,
      expiresAt: now + input.leaseTtlMs,
    });
  const result = reclaimExecution(ctx, { executionId: input.executionId, workerId: input.workerId, workerInstanceId: input.workerInstanceId, leaseTtlMs: input.leaseTtlMs, grantKey }, now);
  if (result.kind === 'claimed' || result.kind === 'reclaim_cap_exceeded') return result;
  // The grant was written above, for an execution found reclaimable in this same transaction: a bug if reached.
  throw new EngineError('transport', `issueGrantAndClaim: the reclaim of its own grant answered ${result.kind}`, { executionId: input.executionId, result });
}

export const issueGrantAndClaimOp = defineOperation({
  name: 'issueGrantAndClaim',
  family: 'executions',
  kind: 'write',
  summary:
    'An operator claims one named execution (grant and claim in one transaction), or takes over one whose lease expired or was revoked; the handle is held by `workerId` (default `operator`).',
  input: issueGrantAndClaimInput,
  run: ({ ctx, now }, input): IssueGrantAndClaimResult => issueGrantAndClaim(ctx, input, now),
});
