/**
 * What issueClaimGrant, claimExecution and issueGrantAndClaim share: the
 * rule for "this execution can be claimed by name", and the claim itself.
 *
 * The rule is FlowFabric's, checked in its order, each refusal a typed error:
 * 1. the execution does not exist → `not_found`;
 * 2. it is not runnable (running, suspended, ended) → `contention.execution_not_active`;
 * 3. it is owned → `contention.lease_conflict`;
 * 4. it is not eligible now (delayed, waiting for dependencies) → `contention.execution_not_leaseable`.
 * An execution that `claim` would hand out passes, whatever its attempt
 * state: a delayed or resumed one opens the same kind of attempt as with
 * `claim`. (The reference refuses an interrupted attempt here and sends the
 * caller to its resumed-claim path.)
 */
import { EngineError, errors } from '../../api/errors.js';
import type { Handle } from '../../api/handle.js';
import type { AttemptState, EligibilityState, LifecyclePhase, OwnershipState, PublicState, TerminalOutcome } from '../../api/states.js';
import type { EngineContext } from '../core/context.js';
import { attemptTypeFor } from './claim.js';
import type { LeaseHolder } from './open-attempt.js';
import { startAttempt } from './start-attempt.js';

export interface ClaimTarget {
  execution_id: string;
  lane_id: string;
  namespace: string;
  instance_tag: string | null;
  flow_id: string | null;
  lifecycle_phase: LifecyclePhase;
  ownership_state: OwnershipState;
  eligibility_state: EligibilityState;
  attempt_state: AttemptState;
  public_state: PublicState;
  terminal_outcome: TerminalOutcome;
  attempt_count: number;
  lease_epoch: number;
}

/** The execution, if it can be claimed by name now; a typed error otherwise. */
export function readClaimTarget(ctx: EngineContext, executionId: string): ClaimTarget {
  const row = ctx.db
    .prepare(
      `SELECT execution_id, lane_id, namespace, json_extract(tags, '$."cairn.instance_id"') AS instance_tag, flow_id,
              lifecycle_phase, ownership_state, eligibility_state, attempt_state, public_state, terminal_outcome,
              attempt_count, lease_epoch
         FROM ff_exec_core WHERE execution_id = :executionId`,
    )
    .get<ClaimTarget>({ executionId });
  if (!row) throw errors.notFound('execution', executionId);
  const details = {
    executionId: row.execution_id,
    lifecyclePhase: row.lifecycle_phase,
    ownershipState: row.ownership_state,
    eligibilityState: row.eligibility_state,
    publicState: row.public_state,
  };
  if (row.lifecycle_phase !== 'runnable') {
    throw new EngineError('contention.execution_not_active', `the execution cannot be claimed: lifecycle_phase=${row.lifecycle_phase} (expected runnable)`, {
      ...details,
      terminalOutcome: row.terminal_outcome,
    });
  }
  if (row.ownership_state !== 'unowned') {
    throw new EngineError('contention.lease_conflict', `the execution is owned (ownership_state=${row.ownership_state})`, details);
  }
  if (row.eligibility_state !== 'eligible_now') {
    throw new EngineError(
      'contention.execution_not_leaseable',
      `the execution is not eligible now (eligibility_state=${row.eligibility_state})`,
      details,
    );
  }
  return row;
}

/** A lane named by the caller must be the execution's own. */
export function assertLane(executionLaneId: string, laneId: string): void {
  if (executionLaneId !== laneId) throw errors.invalid('laneId', `the execution is in lane ${executionLaneId}, not ${laneId}`, { executionLaneId });
}

/**
 * Claim it for `holder`: a new attempt under the next lease epoch, the flow
 * marked running, an `acquired` lease event. Every claim grant of the
 * execution is deleted: the execution they were issued for is taken.
 */
export function takeExecution(ctx: EngineContext, row: ClaimTarget, holder: LeaseHolder, now: number): Handle {
  ctx.db.prepare(`DELETE FROM ff_claim_grant WHERE execution_id = :executionId AND kind = 'claim'`).run({ executionId: row.execution_id });
  return startAttempt(ctx, row, holder, attemptTypeFor(row.attempt_state, row.attempt_count), now);
}
