/**
 * Bounded attempt rows. An execution retried or reclaimed many times keeps
 * its first attempt (how it started) and its newest `keep` attempts (what
 * is happening now, always including the current one, which fencing reads);
 * the ones between are deleted and counted into one summary row per
 * execution (ff_attempt_fold): how many, their index range, their time span,
 * their outcomes and attempt types counted.
 *
 * openAttempt folds as it opens each attempt, so the rows of an execution
 * never exceed 1 + keep: after the first fold each new attempt folds exactly
 * one older row. The retention trimmer folds a terminal execution down to
 * its first and last attempt when it trims its history.
 */
import type { FoldedAttempts } from '../../api/reads.js';
import type { EngineContext } from '../core/context.js';
import { dropAttemptStreams } from '../streams/drop-streams.js';

interface FoldRow {
  attempt_index: number;
  attempt_type: string;
  outcome: string | null;
  started_at_ms: number;
  terminal_at_ms: number | null;
}

interface SummaryRow {
  folded_count: number;
  first_attempt_index: number;
  last_attempt_index: number;
  first_started_at_ms: number;
  last_ended_at_ms: number | null;
  outcomes: string;
  attempt_types: string;
}

/**
 * Fold the attempts of `executionId` with an index in 1 … newestIndex − keep,
 * at most `limit` of them, lowest first. Returns how many rows were folded
 * (0 when keep is 0: no cap).
 */
export function foldAttempts(ctx: EngineContext, executionId: string, newestIndex: number, keep: number, limit: number): number {
  const upTo = newestIndex - keep;
  if (keep <= 0 || upTo < 1 || limit <= 0) return 0;
  const rows = ctx.db
    .prepare(
      `SELECT attempt_index, attempt_type, outcome, started_at_ms, terminal_at_ms
         FROM ff_attempt WHERE execution_id = :executionId AND attempt_index BETWEEN 1 AND :upTo
        ORDER BY attempt_index LIMIT :limit`,
    )
    .all<FoldRow>({ executionId, upTo, limit });
  if (rows.length === 0) return 0;

  const prior = readSummaryRow(ctx, executionId);
  const outcomes = parseCounts(prior?.outcomes);
  const types = parseCounts(prior?.attempt_types);
  let first = prior?.first_attempt_index ?? Number.MAX_SAFE_INTEGER;
  let last = prior?.last_attempt_index ?? 0;
  let started = prior?.first_started_at_ms ?? Number.MAX_SAFE_INTEGER;
  let ended = prior?.last_ended_at_ms ?? null;
  for (const row of rows) {
    bump(outcomes, row.outcome ?? 'none');
    bump(types, row.attempt_type);
    first = Math.min(first, row.attempt_index);
    last = Math.max(last, row.attempt_index);
    started = Math.min(started, row.started_at_ms);
    if (row.terminal_at_ms !== null) ended = Math.max(ended ?? row.terminal_at_ms, row.terminal_at_ms);
  }
  ctx.db
    .prepare(
      `INSERT INTO ff_attempt_fold (execution_id, folded_count, first_attempt_index, last_attempt_index,
         first_started_at_ms, last_ended_at_ms, outcomes, attempt_types)
       VALUES (:executionId, :count, :first, :last, :started, :ended, :outcomes, :types)
       ON CONFLICT (execution_id) DO UPDATE SET
         folded_count = excluded.folded_count, first_attempt_index = excluded.first_attempt_index,
         last_attempt_index = excluded.last_attempt_index, first_started_at_ms = excluded.first_started_at_ms,
         last_ended_at_ms = excluded.last_ended_at_ms, outcomes = excluded.outcomes, attempt_types = excluded.attempt_types`,
    )
    .run({
      executionId,
      count: (prior?.folded_count ?? 0) + rows.length,
      first,
      last,
      started,
      ended,
      outcomes: JSON.stringify(outcomes),
      types: JSON.stringify(types),
    });
  const through = rows[rows.length - 1]!.attempt_index;
  ctx.db.prepare('DELETE FROM ff_attempt WHERE execution_id = :executionId AND attempt_index BETWEEN 1 AND :through').run({ executionId, through });
  // A folded attempt's stream goes with it: frames, summary document and rate state.
  dropAttemptStreams(ctx, executionId, 1, through);
  return rows.length;
}

/** The summary describeExecution shows, or null when nothing was folded. */
export function readFoldedAttempts(ctx: EngineContext, executionId: string): FoldedAttempts | null {
  const row = readSummaryRow(ctx, executionId);
  if (!row) return null;
  return {
    count: row.folded_count,
    firstAttemptIndex: row.first_attempt_index,
    lastAttemptIndex: row.last_attempt_index,
    firstStartedAtMs: row.first_started_at_ms,
    lastEndedAtMs: row.last_ended_at_ms,
    outcomes: parseCounts(row.outcomes),
    attemptTypes: parseCounts(row.attempt_types),
  };
}

function readSummaryRow(ctx: EngineContext, executionId: string): SummaryRow | undefined {
  return ctx.db
    .prepare(
      `SELECT folded_count, first_attempt_index, last_attempt_index, first_started_at_ms, last_ended_at_ms, outcomes, attempt_types
         FROM ff_attempt_fold WHERE execution_id = :executionId`,
    )
    .get<SummaryRow>({ executionId });
}

function parseCounts(json: string | undefined): Record<string, number> {
  if (json === undefined) return {};
  const parsed = JSON.parse(json) as unknown;
  return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, number>) : {};
}

function bump(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}
