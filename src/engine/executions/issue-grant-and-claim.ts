/**
 * issueGrantAndClaim (FlowFabric's issue_grant_and_claim): an operator
 * claims one named execution, grant and claim in one transaction, so a
 * refused claim never leaves a grant behind. The lease holder is
 * `workerId` / `workerInstanceId` (FlowFabric always uses `operator`, the
 * default here).
 *
 * The execution must be claimable by name (claim-grant-target.ts: typed
 * errors, nothing written) and in `laneId`. Required capabilities are not
 * checked: the operator picks the holder. Any claim grant the execution had
 * is deleted, as the execution is taken.
 */
import type { z } from 'zod';
import { issueGrantAndClaimInput, type ClaimFromGrantResult } from '../../api/claim-grants.js';
import type { EngineContext } from '../core/context.js';
import { assertLane, readClaimTarget, takeExecution } from './claim-grant-target.js';
import { defineOperation } from '../operation.js';

export function issueGrantAndClaim(ctx: EngineContext, input: z.output<typeof issueGrantAndClaimInput>, now: number): ClaimFromGrantResult {
  const row = readClaimTarget(ctx, input.executionId);
  assertLane(row, input.laneId);
  return { kind: 'claimed', handle: takeExecution(ctx, row, input, now) };
}

export const issueGrantAndClaimOp = defineOperation({
  name: 'issueGrantAndClaim',
  family: 'executions',
  kind: 'write',
  summary: 'An operator claims one named execution (grant and claim in one transaction); the handle is held by `workerId` (default `operator`).',
  input: issueGrantAndClaimInput,
  run: ({ ctx, now }, input): ClaimFromGrantResult => issueGrantAndClaim(ctx, input, now),
});
