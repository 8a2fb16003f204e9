/**
 * The execution_deadline scanner's per-tick body, run inside the caller's
 * transaction. An execution created with `deadlineAtMs` must have ended by
 * then: once the engine clock reaches it (deadline_at_ms ≤ now), a
 * non-terminal execution, whatever its state (waiting, delayed, blocked by
 * its flow, running, ...), ends `expired`, with failure reason
 * `execution_deadline` and a completion event, so a flow member's
 * dependents are resolved by the cascade as for any other member that did
 * not succeed.
 *
 * A running attempt ends `attempt_interrupted` and loses its lease: the
 * epoch goes up, so the worker's handle gets `state.stale_lease`, and an
 * `expired` lease event is written, as FlowFabric does for this scanner.
 * The deadline is absolute: retries, delays, reclaims and suspensions
 * never move it; a suspended execution's suspension and waitpoints are
 * deleted with it.
 */
import type { EngineContext } from '../core/context.js';
import { CANCEL_TARGET_SELECT, hasLiveAttempt, type CancelTarget } from '../operator/cancel-execution.js';
import { clearSuspension } from '../suspension/make-resumable.js';
import { revokeLease } from './fence.js';
import { endAttempt, finishExecution } from './terminal.js';

const REASON = 'execution_deadline';

// Both queries walk ff_exec_core_deadline_idx, which holds only non-terminal
// executions with a deadline: a tick reads the due rows and nothing else.
const WITH_DEADLINE = `e.deadline_at_ms IS NOT NULL AND e.lifecycle_phase <> 'terminal'`;

/** Expire at most `limit` executions past their deadline, earliest first; returns how many. */
export function expirePastDeadline(ctx: EngineContext, now: number, limit: number): number {
  const due = ctx.db
    .prepare(`${CANCEL_TARGET_SELECT} WHERE ${WITH_DEADLINE} AND e.deadline_at_ms <= :now ORDER BY e.deadline_at_ms, e.execution_id LIMIT :limit`)
    .all<CancelTarget>({ now, limit });
  const noteReason = ctx.db.prepare(
    `UPDATE ff_exec_core SET raw_fields = json_set(raw_fields, '$.failure_reason', :reason) WHERE execution_id = :executionId`,
  );
  for (const t of due) {
    if (hasLiveAttempt(t)) {
      endAttempt(ctx, t.execution_id, t.attempt_index, 'attempt_interrupted', now, REASON);
      revokeLease(ctx, t, 'expired', now);
    }
    // A suspended (or resumable) execution's waitpoints go with it, so their tokens stop working.
    clearSuspension(ctx, t.execution_id);
    noteReason.run({ executionId: t.execution_id, reason: REASON });
    finishExecution(ctx, t, 'expired', now);
  }
  return due.length;
}

/** When the next non-terminal execution reaches its deadline, or null when none has one. */
export function nextDeadlineAt(ctx: EngineContext): number | null {
  const row = ctx.db
    .prepare(`SELECT MIN(e.deadline_at_ms) AS at FROM ff_exec_core e WHERE ${WITH_DEADLINE}`)
    .get<{ at: number | null }>();
  return row?.at ?? null;
}
