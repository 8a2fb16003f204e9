/**
 * issueClaimGrant (FlowFabric's issue_claim_grant, the scheduler's
 * admission write): let one worker claim one named execution with
 * claimExecution. The grant is bound to the worker id and lives `grantTtlMs`
 * on the engine clock.
 *
 * Refusals are results, as with reclaim grants: `not_claimable` with a
 * detail when the execution cannot be claimed now (see claim-grant-target.ts),
 * is in another lane, requires a capability the worker lacks, or already has
 * a live claim grant (FlowFabric's `grant_already_exists`). An unknown
 * execution is `not_found`.
 *
 * A grant does not hide the execution from `claim`: whoever claims first
 * gets it, and a grant redeemed after that is refused with the reason.
 * (FlowFabric's Valkey backend takes the execution out of the lane's queue
 * while a grant is live; its SQLite backend has no claim grants at all.)
 */
import type { z } from 'zod';
import { EngineError } from '../../api/errors.js';
import { issueClaimGrantInput, type IssueClaimGrantResult } from '../../api/claim-grants.js';
import type { EngineContext } from '../core/context.js';
import { storedSet } from '../workers/register-worker.js';
import { readClaimTarget } from './claim-grant-target.js';
import { insertGrant, missingCapabilities } from '../leases/grant-store.js';
import { defineOperation } from '../operation.js';

export function issueClaimGrant(ctx: EngineContext, input: z.output<typeof issueClaimGrantInput>, now: number): IssueClaimGrantResult {
  let row;
  try {
    row = readClaimTarget(ctx, input.executionId);
  } catch (error) {
    if (error instanceof EngineError && error.code !== 'not_found') return { kind: 'not_claimable', detail: error.message };
    throw error;
  }
  if (row.lane_id !== input.laneId) {
    return { kind: 'not_claimable', detail: `lane_id=${input.laneId} (the execution is in lane ${row.lane_id})` };
  }
  const workerCapabilities = storedSet(input.capabilities);
  const missing = missingCapabilities(ctx, row.execution_id, workerCapabilities);
  if (missing.length > 0) return { kind: 'not_claimable', detail: `missing capabilities: ${missing.join(', ')}` };

  const live = ctx.db
    .prepare(`SELECT worker_id FROM ff_claim_grant WHERE execution_id = :executionId AND kind = 'claim' AND expires_at_ms > :now LIMIT 1`)
    .get<{ worker_id: string }>({ executionId: row.execution_id, now });
  if (live) return { kind: 'not_claimable', detail: `grant_already_exists (issued to worker ${live.worker_id})` };

  // Expired grants of the execution are of no use to anyone any more.
  ctx.db.prepare(`DELETE FROM ff_claim_grant WHERE execution_id = :executionId AND kind = 'claim' AND expires_at_ms <= :now`).run({ executionId: row.execution_id, now });
  const { grantKey, expiresAtMs } = insertGrant(ctx, 'claim', row.execution_id, input, workerCapabilities, now);
  return { kind: 'granted', executionId: row.execution_id, grantKey, expiresAtMs, laneId: input.laneId };
}

export const issueClaimGrantOp = defineOperation({
  name: 'issueClaimGrant',
  family: 'executions',
  kind: 'write',
  summary: 'A grant for one worker to claim one named execution with `claimExecution`; the worker must cover its lane and capabilities.',
  input: issueClaimGrantInput,
  run: ({ ctx, now }, input): IssueClaimGrantResult => issueClaimGrant(ctx, input, now),
});
