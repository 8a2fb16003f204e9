/**
 * tailStream: the frames after a frame id, waiting up to `blockMs` on the
 * engine clock for the first one to arrive. It answers at once when there
 * are frames, when `blockMs` is 0, or when the stream is closed (no frame
 * can follow); otherwise it looks again after every commit until a frame
 * shows up, the stream closes, or the deadline passes, and then answers
 * with what there is (possibly nothing, open).
 *
 * The deadline is on the engine clock: under a ManualClock the wait ends
 * when an advance reaches it, whatever the wall clock says. The first look
 * runs before the method returns, and nothing runs between a look and the
 * wait that follows it, so no append can slip through unseen.
 */
import type { z } from 'zod';
import { tailStreamInput, type StreamFrames } from '../../api/streams.js';
import type { EngineContext } from '../core/context.js';
import { defineOperation } from '../operation.js';
import { streamClosure } from './stream-closure.js';
import { parseBound, selectFrames } from './stream-frames.js';

type Input = z.output<typeof tailStreamInput>;

export function peekTail(ctx: EngineContext, input: Input, now: number): StreamFrames {
  const frames = selectFrames(ctx, input, {
    from: parseBound(input.after, 'lower'),
    inclusiveFrom: false,
    to: parseBound('end', 'upper'),
    limit: input.countLimit,
    excludeBestEffort: input.visibility === 'exclude_best_effort',
  });
  return { frames, ...streamClosure(ctx, input.executionId, input.attemptIndex, now) };
}

export const tailStreamOp = defineOperation({
  name: 'tailStream',
  family: 'streams',
  kind: 'wait',
  summary:
    "Frames after a frame id, waiting up to `blockMs` on the engine clock for one to arrive (a ManualClock's advance ends the wait); answers at once when the stream is closed. Returns a promise, in-process too.",
  input: tailStreamInput,
  run: async ({ ctx, now, runtime }, input): Promise<StreamFrames> => {
    const deadline = now + input.blockMs;
    for (;;) {
      const result = runtime.read('tailStream', () => peekTail(ctx, input, ctx.clock.now()));
      if (result.frames.length > 0 || result.closedAt !== null || ctx.clock.now() >= deadline) return result;
      await runtime.nextCommit(deadline);
    }
  },
});
