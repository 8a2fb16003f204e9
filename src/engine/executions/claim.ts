/**
 * claim: hand the best claimable execution of a lane to a worker.
 *
 * Order: highest priority first, then oldest, then execution id. A candidate
 * is claimable when every capability it requires is among the worker's. The
 * match runs inside one SQL query that walks the lane's claimable rows in
 * order and stops at the first match, so executions the worker cannot take
 * never hide matching work behind them. (The reference backend looks at a
 * fixed window of 16 rows and then matches, starving lower-priority work.)
 *
 * Delayed executions of the lane whose time has come are promoted first, so
 * a retry backoff or `delayUntil` never depends on a scanner having run.
 */
import type { z } from 'zod';
import { claimInput } from '../../api/executions.js';
import type { Handle } from '../../api/handle.js';
import type { AttemptType } from './open-attempt.js';
import { startAttempt } from './start-attempt.js';
import type { AttemptState } from '../../api/states.js';
import { PROMOTE_DUE_SET } from './ready-at.js';
import type { EngineContext } from '../core/context.js';
import { defineOperation } from '../operation.js';

type Input = z.output<typeof claimInput>;

interface Candidate {
  execution_id: string;
  flow_id: string | null;
  namespace: string;
  instance_tag: string | null;
  attempt_count: number;
  attempt_state: AttemptState;
  lease_epoch: number;
}

const CANDIDATE_COLUMNS = `e.execution_id, e.flow_id, e.namespace, json_extract(e.tags, '$."cairn.instance_id"') AS instance_tag,
       e.attempt_count, e.attempt_state, e.lease_epoch`;

const CLAIM_ORDER = 'ORDER BY e.priority DESC, e.created_at_ms, e.execution_id LIMIT 1';

/** Worker without capabilities: only capability-free executions match. */
const SELECT_WITHOUT_CAPS = `
  SELECT ${CANDIDATE_COLUMNS}
    FROM ff_exec_core e
   WHERE e.lane_id = :laneId AND e.lifecycle_phase = 'runnable' AND e.eligibility_state = 'eligible_now'
     AND e.capability_count = 0
   ${CLAIM_ORDER}`;

/** Worker with capabilities: no required capability may fall outside its set. */
const SELECT_WITH_CAPS = `
  SELECT ${CANDIDATE_COLUMNS}
    FROM ff_exec_core e
   WHERE e.lane_id = :laneId AND e.lifecycle_phase = 'runnable' AND e.eligibility_state = 'eligible_now'
     AND (e.capability_count = 0 OR NOT EXISTS (
           SELECT 1 FROM ff_execution_capabilities c
            WHERE c.execution_id = e.execution_id
              AND c.capability NOT IN (SELECT value FROM json_each(:caps))))
   ${CLAIM_ORDER}`;

export function promoteDueInLane(ctx: EngineContext, laneId: string, now: number): number {
  return ctx.db
    .prepare(
      `UPDATE ff_exec_core
          SET ${PROMOTE_DUE_SET}
        WHERE eligibility_state = 'not_eligible_until_time' AND eligible_at_ms <= :now
          AND lane_id = :laneId AND lifecycle_phase = 'runnable'`,
    )
    .run({ laneId, now });
}

/** The type of the attempt a claim opens, from where the execution stands. */
export function attemptTypeFor(state: AttemptState, index: number): AttemptType {
  if (index === 0) return 'initial';
  if (state === 'attempt_interrupted') return 'resume';
  if (state === 'pending_replay_attempt') return 'replay';
  return 'retry';
}

export function claim(ctx: EngineContext, input: Input, now: number): Handle | null {
  promoteDueInLane(ctx, input.laneId, now);
  const candidate =
    input.capabilities.length === 0
      ? ctx.db.prepare(SELECT_WITHOUT_CAPS).get<Candidate>({ laneId: input.laneId })
      : ctx.db.prepare(SELECT_WITH_CAPS).get<Candidate>({ laneId: input.laneId, caps: JSON.stringify(input.capabilities) });
  if (!candidate) return null;

  const attemptType = attemptTypeFor(candidate.attempt_state, candidate.attempt_count);
  return startAttempt(ctx, { ...candidate, lane_id: input.laneId }, input, attemptType, now);
}

export const claimOp = defineOperation({
  name: 'claim',
  family: 'executions',
  kind: 'write',
  summary: 'The best claimable execution of the lane for this worker (highest priority, then oldest, capabilities covered), as a `Handle`, or `null`.',
  input: claimInput,
  run: ({ ctx, now }, input): Handle | null => claim(ctx, input, now),
});
