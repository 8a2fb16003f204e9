/**
 * The attempt_timeout scanner's per-tick body, run inside the caller's
 * transaction. An execution's policy may allow each attempt a running time
 * (`attemptTimeoutMs`); the attempt stores when it runs out (timeout_at_ms,
 * set by openAttempt). Once the engine clock reaches that instant
 * (timeout_at_ms ≤ now) and the attempt is still the execution's running
 * one, it is failed with reason `timeout`, exactly as a worker's transient
 * failure would be: retried after the backoff while the retry policy has
 * retries left, else the execution ends `failed` with a completion event.
 *
 * The worker loses the lease either way: the lease epoch goes up, so its
 * handle's complete or renew gets `state.stale_lease`, and an `expired`
 * lease event is written (FlowFabric's choice for this scanner). An attempt
 * whose lease lapsed first (lease_expired_reclaimable) times out all the
 * same: it is still the running attempt, and no reclaim can save it.
 *
 * FlowFabric's Valkey backend expires the whole execution on an attempt
 * timeout, and its Postgres backend retries while retries remain and then
 * ends it `expired`. Here a timeout is an ordinary retryable failure, so
 * the last one ends the execution `failed`, like any failure that ran out
 * of retries.
 */
import type { EngineContext } from '../core/context.js';
import { failAttempt, type FailTarget } from './fail-attempt.js';
import { revokeLease, type HeldLease } from './fence.js';

type TimedOut = FailTarget & HeldLease;

// ff_attempt drives the join (CROSS JOIN fixes the loop order), walking
// ff_attempt_timeout_idx in due order; the index holds only attempts with
// no outcome, so each tick reads the due rows and stops.
const RUNNING_ATTEMPT_WITH_TIMEOUT = `
  FROM ff_attempt a CROSS JOIN ff_exec_core e
    ON e.execution_id = a.execution_id AND e.attempt_index = a.attempt_index
 WHERE a.timeout_at_ms IS NOT NULL AND a.outcome IS NULL
   AND e.lifecycle_phase = 'active'`;

/** Fail at most `limit` timed-out attempts, earliest first; returns how many. */
export function failTimedOutAttempts(ctx: EngineContext, now: number, limit: number): number {
  const due = ctx.db
    .prepare(
      `SELECT e.execution_id, e.namespace, json_extract(e.tags, '$."cairn.instance_id"') AS instance_tag, e.flow_id,
              e.attempt_index, e.retry_count, e.policy, e.lease_epoch,
              a.lease_id, a.worker_instance_id
        ${RUNNING_ATTEMPT_WITH_TIMEOUT} AND a.timeout_at_ms <= :now
        ORDER BY a.timeout_at_ms, a.execution_id LIMIT :limit`,
    )
    .all<TimedOut>({ now, limit });
  for (const row of due) {
    failAttempt(ctx, row, { reason: 'timeout', retryable: true }, now);
    revokeLease(ctx, row, 'expired', now);
  }
  return due.length;
}

/** When the next running attempt times out, or null when none has a timeout. */
export function nextAttemptTimeoutAt(ctx: EngineContext): number | null {
  const row = ctx.db
    .prepare(`SELECT a.timeout_at_ms AS at ${RUNNING_ATTEMPT_WITH_TIMEOUT} ORDER BY a.timeout_at_ms LIMIT 1`)
    .get<{ at: number }>();
  return row?.at ?? null;
}
