/**
 * claimExecution (FlowFabric's claim_execution): redeem a claim grant from
 * issueClaimGrant and get a handle on the named execution, as `claim` would
 * have given it.
 *
 * Order of checks (FlowFabric's): the execution must be claimable by name
 * (claim-grant-target.ts: `not_found`, `contention.execution_not_active`,
 * `contention.lease_conflict`, `contention.execution_not_leaseable`); then
 * the grant must exist and belong to this worker id
 * (`contention.invalid_claim_grant`) and not have expired
 * (`contention.claim_grant_expired`). A refusal changes nothing (an expired
 * grant is cleared by the next issueClaimGrant of the execution, or by
 * retention once it ends). Success deletes the execution's claim grants and
 * writes an `acquired` lease event.
 */
import type { z } from 'zod';
import { EngineError } from '../../api/errors.js';
import { claimExecutionInput, type ClaimFromGrantResult } from '../../api/claim-grants.js';
import type { EngineContext } from '../core/context.js';
import { readClaimTarget, takeExecution } from './claim-grant-target.js';
import { findGrant } from '../leases/grant-store.js';
import { defineOperation } from '../operation.js';

type Input = z.output<typeof claimExecutionInput>;

export function claimExecution(ctx: EngineContext, input: Input, now: number): ClaimFromGrantResult {
  const row = readClaimTarget(ctx, input.executionId);
  const grant = findGrant(ctx, 'claim', input);
  if (!grant) {
    throw new EngineError('contention.invalid_claim_grant', 'no claim grant for this execution', { executionId: row.execution_id });
  }
  if (grant.worker_id !== input.workerId) {
    throw new EngineError('contention.invalid_claim_grant', `the claim grant is bound to worker ${grant.worker_id}, not ${input.workerId}`, {
      executionId: row.execution_id,
      grantWorkerId: grant.worker_id,
    });
  }
  if (grant.expires_at_ms <= now) {
    throw new EngineError('contention.claim_grant_expired', 'the claim grant has expired', {
      executionId: row.execution_id,
      expiresAtMs: grant.expires_at_ms,
      now,
    });
  }
  return { kind: 'claimed', handle: takeExecution(ctx, row, input, now) };
}

export const claimExecutionOp = defineOperation({
  name: 'claimExecution',
  family: 'executions',
  kind: 'write',
  summary: 'Redeem a claim grant: a handle on the named execution, as `claim` would give it.',
  input: claimExecutionInput,
  run: ({ ctx, now }, input): ClaimFromGrantResult => claimExecution(ctx, input, now),
});
