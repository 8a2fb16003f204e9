/**
 * appendFrame: a worker adds a frame to the stream of the attempt its
 * handle holds. One transaction: fence, summary patch (summary frames),
 * insert, best-effort trim (best-effort frames), count.
 *
 * Differences from FlowFabric's SQLite backend, each pinned by a test:
 * - the handle is fenced like every other handle call, so once the attempt
 *   has ended (completed, failed, delayed, cancelled, reclaimed, lease
 *   expired) the append is `state.stream_closed`, where the reference fences
 *   on the epoch alone and accepts it;
 * - ids come from the engine clock, and never go backwards within a stream
 *   (a clock that steps back reuses the newest ms with the next seq);
 * - a summary frame's fields carry its `summary_version`, as Valkey's do.
 */
import type { z } from 'zod';
import type { Payload } from '../../api/common.js';
import { EngineError } from '../../api/errors.js';
import { appendFrameInput, type AppendFrameResult } from '../../api/streams.js';
import type { EngineContext } from '../core/context.js';
import { checkPayloadSize } from '../core/payload.js';
import { fence, type FencedRow } from '../executions/fence.js';
import { defineOperation } from '../operation.js';
import { trimBestEffort } from './best-effort-trim.js';
import { canonicalJson } from './merge-patch.js';
import { streamClosure } from './stream-closure.js';
import { frameId } from './stream-frames.js';
import { applySummaryPatch } from './summary.js';

type Input = z.output<typeof appendFrameInput>;

const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

export function appendFrame(ctx: EngineContext, input: Input, now: number): AppendFrameResult {
  const exec = fenceStream(ctx, input, now);
  const stream = { executionId: exec.execution_id, attemptIndex: exec.attempt_index };
  const { ts, seq } = nextId(ctx, stream, now);
  const payload = text(input.payload);
  const summaryVersion = input.mode === 'summary' ? applySummaryPatch(ctx, stream, payload, ts) : null;

  const fields: Record<string, string> = {
    encoding: 'utf8',
    frame_type: input.frameType || input.kind,
    payload,
    source: 'worker',
  };
  if (input.correlationId !== undefined) fields['correlation_id'] = input.correlationId;
  if (summaryVersion !== null) fields['summary_version'] = String(summaryVersion);

  const { event_id: eventId } = ctx.db
    .prepare(
      `INSERT INTO ff_stream_frame (execution_id, attempt_index, ts_ms, seq, fields, mode, created_at_ms, namespace, instance_tag)
       VALUES (:executionId, :attemptIndex, :ts, :seq, :fields, :mode, :now, :namespace, :instanceTag)
       RETURNING event_id`,
    )
    .get<{ event_id: number }>({
      ...stream,
      ts,
      seq,
      fields: canonicalJson(fields),
      mode: input.mode,
      now,
      namespace: exec.namespace,
      instanceTag: exec.instance_tag,
    })!;
  ctx.emit({ channel: 'stream', eventId });

  const counted = ctx.db
    .prepare(
      `INSERT INTO ff_stream_meta (execution_id, attempt_index, frame_count) VALUES (:executionId, :attemptIndex, 1)
       ON CONFLICT (execution_id, attempt_index) DO UPDATE SET frame_count = frame_count + 1
       RETURNING frame_count`,
    )
    .get<{ frame_count: number }>(stream)!.frame_count;
  const frameCount = input.mode === 'best_effort' ? trimBestEffort(ctx, stream, ts, input.bestEffort!).frameCount : counted;
  return { frameId: frameId(ts, seq), eventId, frameCount, summaryVersion };
}

/** The handle's fence; a handle whose attempt has ended gets `state.stream_closed`, naming when and why. */
function fenceStream(ctx: EngineContext, input: Input, now: number): FencedRow {
  try {
    return fence(ctx, input.handle, now);
  } catch (err) {
    if (!(err instanceof EngineError) || err.code.startsWith('validation.') || err.code === 'not_found') throw err;
    const { executionId, attemptIndex } = input.handle;
    const closure = streamClosure(ctx, executionId, attemptIndex, now);
    if (closure.closedAt === null) throw err;
    throw new EngineError('state.stream_closed', `the stream of attempt ${attemptIndex} is closed (${closure.closedReason}): no more frames`, {
      executionId,
      attemptIndex,
      ...closure,
      fenceCode: err.code,
    });
  }
}

/** The next frame id of the stream: now, or the newest frame's ms when the clock has not passed it. */
function nextId(ctx: EngineContext, stream: { executionId: string; attemptIndex: number }, now: number): { ts: number; seq: number } {
  const newest = ctx.db
    .prepare(
      `SELECT ts_ms, seq FROM ff_stream_frame WHERE execution_id = :executionId AND attempt_index = :attemptIndex
        ORDER BY ts_ms DESC, seq DESC LIMIT 1`,
    )
    .get<{ ts_ms: number; seq: number }>(stream);
  if (!newest || newest.ts_ms < now) return { ts: now, seq: 0 };
  return { ts: newest.ts_ms, seq: newest.seq + 1 };
}

/** Text as given; bytes decoded as UTF-8, invalid sequences as U+FFFD. */
function text(payload: Payload): string {
  return typeof payload === 'string' ? payload : decoder.decode(payload);
}

export const appendFrameOp = defineOperation({
  name: 'appendFrame',
  family: 'streams',
  kind: 'write',
  summary:
    "Append a frame to the stream of the handle's attempt: durable, a summary frame (a JSON merge patch applied to the stream's summary document), or best-effort (the stream is trimmed to a size its append rate sets). `state.stream_closed` once the attempt has ended.",
  input: appendFrameInput,
  run: ({ ctx, now }, input): AppendFrameResult => {
    checkPayloadSize('payload', input.payload, ctx.limits.maxPayloadBytes);
    return appendFrame(ctx, input, now);
  },
});
