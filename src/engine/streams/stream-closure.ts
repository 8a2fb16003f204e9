/**
 * Whether a stream is closed, derived from its attempt rather than stored:
 * a stream is open exactly while its attempt is the execution's current one
 * and holds a live lease, the state in which appendFrame can succeed. Every
 * path that ends an attempt (complete, fail, retry, delay, cancel, reclaim,
 * lease expiry, revoke, suspension) therefore closes its stream with no
 * code of its own, and a stream never reads as open after its last append.
 *
 * FlowFabric's SQLite backend never reports a stream closed; its Valkey
 * backend records the close on the stream, with the reasons used here.
 */
import type { StreamClosedReason } from '../../api/streams.js';
import type { EngineContext } from '../core/context.js';

export interface Closure {
  closedAt: number | null;
  closedReason: StreamClosedReason | null;
}

const OPEN: Closure = { closedAt: null, closedReason: null };

/** The attempt outcomes this engine writes, as FlowFabric names a closed stream's reason. */
const REASONS: Record<string, StreamClosedReason> = {
  success: 'attempt_success',
  failed: 'attempt_failure',
  retry: 'attempt_failure',
  cancelled: 'attempt_cancelled',
  delayed: 'attempt_delayed',
  interrupted_reclaimed: 'reclaimed',
  attempt_interrupted: 'attempt_interrupted',
  lease_expired: 'lease_expired',
};

interface StreamStateRow {
  lifecycle_phase: string;
  ownership_state: string;
  current_index: number;
  attempt_count: number;
  attempt_index: number | null;
  terminal_at_ms: number | null;
  outcome: string | null;
  lease_expires_at_ms: number | null;
  folded_ended_at_ms: number | null;
}

export function streamClosure(ctx: EngineContext, executionId: string, attemptIndex: number, now: number): Closure {
  const row = ctx.db
    .prepare(
      `SELECT e.lifecycle_phase, e.ownership_state, e.attempt_index AS current_index, e.attempt_count,
              a.attempt_index, a.terminal_at_ms, a.outcome, a.lease_expires_at_ms,
              f.last_ended_at_ms AS folded_ended_at_ms
         FROM ff_exec_core e
         LEFT JOIN ff_attempt a ON a.execution_id = e.execution_id AND a.attempt_index = :attemptIndex
         LEFT JOIN ff_attempt_fold f ON f.execution_id = e.execution_id
        WHERE e.execution_id = :executionId`,
    )
    .get<StreamStateRow>({ executionId, attemptIndex });
  // No such execution, or an attempt that has not started: nothing was ever written, as for FlowFabric.
  if (!row || row.attempt_count === 0) return OPEN;
  if (row.attempt_index === null) {
    // An older attempt without a row was folded away by retention, frames and all.
    return attemptIndex < row.current_index ? { closedAt: row.folded_ended_at_ms ?? 0, closedReason: 'attempt_folded' } : OPEN;
  }
  if (row.terminal_at_ms !== null) {
    const outcome = row.outcome ?? 'interrupted';
    return { closedAt: row.terminal_at_ms, closedReason: REASONS[outcome] ?? `attempt_${outcome}` };
  }
  const current = attemptIndex === row.current_index && row.lifecycle_phase === 'active';
  if (current && row.ownership_state === 'leased' && row.lease_expires_at_ms !== null && row.lease_expires_at_ms > now) return OPEN;
  // Ended without an outcome of its own: the lease ran out or was revoked, or the execution moved on.
  if (current && row.ownership_state === 'lease_revoked') return { closedAt: lastLeaseEventAt(ctx, executionId, attemptIndex) ?? now, closedReason: 'lease_revoked' };
  if (current && row.lease_expires_at_ms !== null) return { closedAt: row.lease_expires_at_ms, closedReason: 'lease_expired' };
  return { closedAt: lastLeaseEventAt(ctx, executionId, attemptIndex) ?? now, closedReason: 'attempt_interrupted' };
}

/** When the attempt's lease last changed hands (its revoke or release), from the lease outbox. */
function lastLeaseEventAt(ctx: EngineContext, executionId: string, attemptIndex: number): number | null {
  const row = ctx.db
    .prepare(
      `SELECT occurred_at_ms AS at FROM ff_lease_event
        WHERE execution_id = :executionId AND attempt_index = :attemptIndex ORDER BY event_id DESC LIMIT 1`,
    )
    .get<{ at: number }>({ executionId, attemptIndex });
  return row?.at ?? null;
}
