/**
 * The best-effort trim. Each best-effort append updates an exponential
 * moving average of the stream's append rate, sizes the stream from it (as
 * many frames as arrive in twice the reader's `ttlMs`, within the floor and
 * the ceiling), and deletes every older frame of the stream, whatever its
 * mode: durable and summary frames on the same stream go too, as in
 * FlowFabric. The summary document is not a frame and stays.
 *
 * Appends in the same millisecond (or the first one) count as a rate of 0,
 * pulling the average down, as FlowFabric's SQLite backend does.
 */
import type { z } from 'zod';
import type { bestEffortConfig } from '../../api/streams.js';
import type { EngineContext } from '../core/context.js';

type Config = z.output<typeof bestEffortConfig>;

type Stream = {
  executionId: string;
  attemptIndex: number;
};

/** How many frames a stream keeps for an average rate (Hz) and a config. */
export function keptFrames(emaHz: number, config: Config): number {
  const k = Math.ceil((emaHz * config.ttlMs) / 1000) * 2;
  return Math.min(Math.max(k, config.maxlenFloor), config.maxlenCeiling);
}

export function trimBestEffort(ctx: EngineContext, stream: Stream, ts: number, config: Config): { emaHz: number; kept: number; frameCount: number } {
  // The append created the stream's meta row if it had none; its rate fields are 0 until the first best-effort append.
  const meta = ctx.db
    .prepare(
      `SELECT ema_rate_hz, last_append_ts_ms FROM ff_stream_meta
        WHERE execution_id = :executionId AND attempt_index = :attemptIndex`,
    )
    .get<{ ema_rate_hz: number; last_append_ts_ms: number }>(stream)!;
  const instant = meta.last_append_ts_ms > 0 && ts > meta.last_append_ts_ms ? 1000 / (ts - meta.last_append_ts_ms) : 0;
  const emaHz = config.emaAlpha * instant + (1 - config.emaAlpha) * meta.ema_rate_hz;
  const kept = keptFrames(emaHz, config);
  // Everything older than the kept-th newest frame; nothing when the stream holds fewer.
  const deleted = ctx.db
    .prepare(
      `DELETE FROM ff_stream_frame
        WHERE execution_id = :executionId AND attempt_index = :attemptIndex
          AND (ts_ms, seq) < (SELECT ts_ms, seq FROM ff_stream_frame
                               WHERE execution_id = :executionId AND attempt_index = :attemptIndex
                               ORDER BY ts_ms DESC, seq DESC LIMIT 1 OFFSET :offset)`,
    )
    .run({ ...stream, offset: kept - 1 });
  const { frame_count: frameCount } = ctx.db
    .prepare(
      `UPDATE ff_stream_meta
          SET ema_rate_hz = :emaHz, last_append_ts_ms = :ts, maxlen_applied_last = :kept, frame_count = frame_count - :deleted
        WHERE execution_id = :executionId AND attempt_index = :attemptIndex
       RETURNING frame_count`,
    )
    .get<{ frame_count: number }>({ ...stream, emaHz, ts, kept, deleted })!;
  return { emaHz, kept, frameCount };
}
