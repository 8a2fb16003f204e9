/**
 * What the stream operations share: frame cursors as (ts_ms, seq) bounds,
 * the frame query, and a stored row as a StreamFrame.
 */
import { errors } from '../../api/errors.js';
import type { FrameMode, StreamFrame } from '../../api/streams.js';
import type { EngineContext } from '../core/context.js';

export interface Bound {
  ts: number;
  seq: number;
}

/** Beyond any frame id: seq numbers frames of one ms, far below this. */
const MAX_SEQ = 2 ** 31;

/**
 * A cursor as a bound. 'start' and 'end' lie before and after every frame.
 * '<ms>' is '<ms>-0' as a lower bound and covers every seq of that ms as an
 * upper bound (FlowFabric's SQLite backend stops at '<ms>-0' there; Valkey's
 * XRANGE, like this, does not).
 */
export function parseBound(cursor: string, side: 'lower' | 'upper'): Bound {
  if (cursor === 'start') return { ts: -1, seq: -1 };
  if (cursor === 'end') return { ts: Number.MAX_SAFE_INTEGER, seq: MAX_SEQ };
  const [ms, seq] = cursor.split('-');
  const ts = Number(ms);
  if (!Number.isSafeInteger(ts)) throw errors.invalid('cursor', `bad stream cursor '${cursor}'`);
  if (seq !== undefined) return { ts, seq: Number(seq) };
  return { ts, seq: side === 'lower' ? 0 : MAX_SEQ };
}

export function frameId(ts: number, seq: number): string {
  return `${ts}-${seq}`;
}

export interface FrameRow {
  event_id: number;
  ts_ms: number;
  seq: number;
  mode: FrameMode;
  fields: string;
}

/**
 * Frames of one stream with from < (ts, seq) ≤ to, or from ≤ … when
 * `inclusiveFrom`, in id order. Row-value comparisons walk the stream index.
 */
export function selectFrames(
  ctx: EngineContext,
  stream: { executionId: string; attemptIndex: number },
  range: { from: Bound; inclusiveFrom: boolean; to: Bound; limit: number; excludeBestEffort?: boolean },
): StreamFrame[] {
  const lower = range.inclusiveFrom ? '>=' : '>';
  const rows = ctx.db
    .prepare(
      `SELECT event_id, ts_ms, seq, mode, fields FROM ff_stream_frame
        WHERE execution_id = :executionId AND attempt_index = :attemptIndex
          AND (ts_ms, seq) ${lower} (:fromTs, :fromSeq) AND (ts_ms, seq) <= (:toTs, :toSeq)
          ${range.excludeBestEffort ? "AND mode <> 'best_effort'" : ''}
        ORDER BY ts_ms, seq LIMIT :limit`,
    )
    .all<FrameRow>({
      executionId: stream.executionId,
      attemptIndex: stream.attemptIndex,
      fromTs: range.from.ts,
      fromSeq: range.from.seq,
      toTs: range.to.ts,
      toSeq: range.to.seq,
      limit: range.limit,
    });
  return rows.map(toFrame);
}

export function toFrame(row: Pick<FrameRow, 'event_id' | 'ts_ms' | 'seq' | 'mode' | 'fields'>): StreamFrame {
  return { id: frameId(row.ts_ms, row.seq), mode: row.mode, fields: parseFields(row.fields, row.event_id) };
}

export function parseFields(json: string, eventId: number): Record<string, string> {
  try {
    const parsed = JSON.parse(json) as unknown;
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, string>;
  } catch {
    // fall through
  }
  throw errors.corruption(`stream frame ${eventId} has unreadable fields`, { eventId });
}
