/**
 * readStream: the frames of one stream between two cursors, both inclusive,
 * oldest first, at most `countLimit`, with whether the stream is closed. To
 * page, read again from the last id returned and skip that frame (the lower
 * bound is inclusive). A stream nobody wrote reads as empty and open.
 *
 * Differences from FlowFabric's SQLite backend, pinned by tests: a '<ms>'
 * upper bound covers every frame of that ms (as Valkey's does), a
 * `countLimit` outside 1…10 000 is refused rather than clamped or answered
 * empty, and the stream reports when it closed.
 */
import type { z } from 'zod';
import { readStreamInput, type StreamFrames } from '../../api/streams.js';
import type { EngineContext } from '../core/context.js';
import { defineOperation } from '../operation.js';
import { streamClosure } from './stream-closure.js';
import { parseBound, selectFrames } from './stream-frames.js';

export function readStream(ctx: EngineContext, input: z.output<typeof readStreamInput>, now: number): StreamFrames {
  const frames = selectFrames(ctx, input, {
    from: parseBound(input.from, 'lower'),
    inclusiveFrom: true,
    to: parseBound(input.to, 'upper'),
    limit: input.countLimit,
  });
  return { frames, ...streamClosure(ctx, input.executionId, input.attemptIndex, now) };
}

export const readStreamOp = defineOperation({
  name: 'readStream',
  family: 'streams',
  kind: 'read',
  summary: "Frames of one attempt's stream between two cursors (both inclusive), oldest first, and whether the stream is closed.",
  input: readStreamInput,
  run: ({ ctx, now }, input): StreamFrames => readStream(ctx, input, now),
});
