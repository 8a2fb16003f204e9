/**
 * Deleting whole streams, for attempts that retention folds away (see
 * executions/fold-attempts.ts). Frames are outbox events, so the highest id
 * deleted raises the stream channel's floor: a subscriber resuming from
 * below it is told its cursor expired instead of missing them silently.
 */
import type { EngineContext } from '../core/context.js';
import { raiseFloor } from '../outbox/outbox-floor.js';

/** Delete the streams of attempts `first` … `last` of an execution; returns the frames deleted. */
export function dropAttemptStreams(ctx: EngineContext, executionId: string, first: number, last: number): number {
  const range = { executionId, first, last };
  const where = 'execution_id = :executionId AND attempt_index BETWEEN :first AND :last';
  const top = ctx.db.prepare(`SELECT MAX(event_id) AS hi FROM ff_stream_frame WHERE ${where}`).get<{ hi: number | null }>(range);
  let frames = 0;
  if (top?.hi != null) {
    frames = ctx.db.prepare(`DELETE FROM ff_stream_frame WHERE ${where}`).run(range);
    raiseFloor(ctx, 'stream', top.hi, ctx.clock.now());
  }
  ctx.db.prepare(`DELETE FROM ff_stream_summary WHERE ${where}`).run(range);
  ctx.db.prepare(`DELETE FROM ff_stream_meta WHERE ${where}`).run(range);
  return frames;
}
