/**
 * Retention of execution history. A terminal execution keeps its row (state,
 * result, its first and last attempts, the folded-attempt summary) for
 * good; `maxAgeMs` after it ended, the rest of its history goes: the
 * attempts between its first and last (folded into the summary; with
 * `attemptsKept: 0` none are), lease events, completion events (all
 * dispatched), operator and signal events, stream frames (raising the
 * stream outbox's floor) and best-effort rate state, leftover claim
 * grants, and its last suspension (with any waitpoints and suspend
 * idempotency records). The summary documents of the attempts it keeps
 * stay. So what an old execution costs is the same however often it was
 * retried.
 *
 * Work is found through ff_exec_core_retention_idx, which holds exactly the
 * terminal executions whose history is still there (history_trimmed = 0;
 * finishExecution resets it, so an execution replayed and ended again is
 * trimmed again). A live execution is never in it, so its rows are never
 * touched. An execution is marked trimmed only once all of its rows are
 * gone; a large one is worked through over several ticks, within the row
 * budget.
 *
 * A completion event not yet dispatched is kept, and so is every other
 * completion event of its execution: dispatch compares an event with the
 * execution's newest one to tell a stale outcome (see isStale in
 * dispatch-completion.ts), so the newest must not vanish from under it.
 */
import type { OutboxChannel } from '../../api/events.js';
import type { EngineContext } from '../core/context.js';
import { foldAttempts } from '../executions/fold-attempts.js';
import type { Retention } from './retention-options.js';

/** Rows the trimmer may still delete in this tick, and the highest event id it deleted per readable outbox. */
export interface TrimBudget {
  remaining: number;
  trimmedThrough: Partial<Record<OutboxChannel, number>>;
}

export interface ExecutionTrimCounts {
  executions: number;
  attemptsFolded: number;
  leaseEvents: number;
  completionEvents: number;
  operatorEvents: number;
  signalEvents: number;
  streamFrames: number;
  streamMeta: number;
  claimGrants: number;
  /** Suspension rows, waitpoints and suspend idempotency records. */
  suspensionRows: number;
}

/** Tables an execution owns history in: the key that orders its rows, and the outbox whose floor they raise. */
const OWNED = [
  { key: 'leaseEvents', table: 'ff_lease_event', id: 'event_id', channel: 'lease' },
  { key: 'completionEvents', table: 'ff_completion_event', id: 'event_id', channel: 'completion' },
  { key: 'operatorEvents', table: 'ff_operator_event', id: 'event_id', channel: 'operator' },
  { key: 'signalEvents', table: 'ff_signal_event', id: 'event_id', channel: 'signal' },
  { key: 'streamFrames', table: 'ff_stream_frame', id: 'event_id', channel: 'stream' },
  // Best-effort rate state; the summary documents of the attempts kept stay, like the attempts.
  { key: 'streamMeta', table: 'ff_stream_meta', id: 'attempt_index', channel: null },
  { key: 'claimGrants', table: 'ff_claim_grant', id: 'rowid', channel: null },
  { key: 'suspensionRows', table: 'ff_suspension_current', id: 'rowid', channel: null },
  { key: 'suspensionRows', table: 'ff_waitpoint_pending', id: 'rowid', channel: null },
  { key: 'suspensionRows', table: 'ff_suspend_dedup', id: 'rowid', channel: null },
] as const;

/** Executions looked at per tick at most, whatever the row budget. */
const EXECUTIONS_PER_TICK = 500;

/** When the oldest untrimmed terminal execution becomes due; null when none is waiting. */
export function nextExecutionTrimAt(ctx: EngineContext, retention: Retention): number | null {
  const row = ctx.db
    .prepare(`SELECT MIN(terminal_at_ms) AS at FROM ff_exec_core WHERE lifecycle_phase = 'terminal' AND history_trimmed = 0`)
    .get<{ at: number | null }>();
  const at = row?.at ?? null;
  return at === null ? null : at + retention.maxAgeMs;
}

export function trimExecutions(ctx: EngineContext, now: number, retention: Retention, budget: TrimBudget): ExecutionTrimCounts {
  const counts: ExecutionTrimCounts = {
    executions: 0,
    attemptsFolded: 0,
    leaseEvents: 0,
    completionEvents: 0,
    operatorEvents: 0,
    signalEvents: 0,
    streamFrames: 0,
    streamMeta: 0,
    claimGrants: 0,
    suspensionRows: 0,
  };
  const due = ctx.db
    .prepare(
      `SELECT execution_id, attempt_index FROM ff_exec_core
        WHERE lifecycle_phase = 'terminal' AND history_trimmed = 0 AND terminal_at_ms <= :cutoff
        ORDER BY terminal_at_ms LIMIT :limit`,
    )
    .all<{ execution_id: string; attempt_index: number }>({ cutoff: now - retention.maxAgeMs, limit: EXECUTIONS_PER_TICK });
  for (const exec of due) {
    if (budget.remaining <= 0) break;
    let complete = true;
    // Past its age an execution keeps its first and last attempt (unless the cap is off): its cost no longer depends on N.
    const folded = foldAttempts(ctx, exec.execution_id, exec.attempt_index, Math.min(retention.attemptsKept, 1), budget.remaining);
    counts.attemptsFolded += folded;
    budget.remaining -= folded;
    if (budget.remaining <= 0) complete = false;
    const keepCompletions = hasUndispatched(ctx, exec.execution_id);
    for (const owned of OWNED) {
      if (owned.table === 'ff_completion_event' && keepCompletions) continue;
      if (budget.remaining <= 0) {
        complete = false;
        break;
      }
      const limit = budget.remaining;
      const { deleted, maxId } = deleteOwnedRows(ctx, owned.table, owned.id, exec.execution_id, limit);
      counts[owned.key] += deleted;
      budget.remaining -= deleted;
      if (owned.channel !== null && maxId !== null) {
        budget.trimmedThrough[owned.channel] = Math.max(budget.trimmedThrough[owned.channel] ?? 0, maxId);
      }
      // A full batch may have left rows behind: look again next tick before calling it done.
      if (deleted === limit) complete = false;
    }
    if (!complete) break;
    ctx.db.prepare('UPDATE ff_exec_core SET history_trimmed = 1 WHERE execution_id = :executionId').run({ executionId: exec.execution_id });
    counts.executions++;
  }
  return counts;
}

function hasUndispatched(ctx: EngineContext, executionId: string): boolean {
  return (
    ctx.db
      .prepare('SELECT 1 AS one FROM ff_completion_event WHERE execution_id = :executionId AND dispatched_at_ms IS NULL LIMIT 1')
      .get({ executionId }) !== undefined
  );
}

/** Delete up to `limit` of the execution's rows in `table`, lowest key first; the highest key deleted comes back for the outbox floor. */
function deleteOwnedRows(ctx: EngineContext, table: string, id: string, executionId: string, limit: number): { deleted: number; maxId: number | null } {
  const batch = ctx.db
    .prepare(`SELECT COUNT(*) AS n, MAX(k) AS hi FROM (SELECT ${id} AS k FROM ${table} WHERE execution_id = :executionId ORDER BY ${id} LIMIT :limit)`)
    .get<{ n: number; hi: number | null }>({ executionId, limit })!;
  if (batch.n === 0 || batch.hi === null) return { deleted: 0, maxId: null };
  const deleted = ctx.db.prepare(`DELETE FROM ${table} WHERE execution_id = :executionId AND ${id} <= :hi`).run({ executionId, hi: batch.hi });
  return { deleted, maxId: batch.hi };
}
