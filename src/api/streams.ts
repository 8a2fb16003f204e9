/**
 * Inputs and results of the stream family: the per-attempt frame log, its
 * rolling summary document, and the cursors that address frames.
 *
 * A stream is (execution, attempt index). Frame ids are '<ts_ms>-<seq>' on
 * the engine clock: `seq` numbers the frames of one stream appended in the
 * same millisecond, so ids sort in append order.
 */
import { z } from 'zod';
import { executionId, name, payload } from './common.js';
import { handle } from './handle.js';

/** Most frames one read or tail returns. */
export const STREAM_READ_HARD_CAP = 10_000;
/** Longest a tail may wait, in engine-clock milliseconds. */
export const MAX_TAIL_BLOCK_MS = 30_000;
/** A summary patch value that sets its key to JSON null (a JSON null in a merge patch deletes the key). */
export const SUMMARY_NULL_SENTINEL = '__ff_null__';

export const FRAME_KINDS = ['stdout', 'stderr', 'event', 'blob'] as const;
export type FrameKind = (typeof FRAME_KINDS)[number];
export const FRAME_MODES = ['durable', 'summary', 'best_effort'] as const;
export type FrameMode = (typeof FRAME_MODES)[number];

/**
 * A frame cursor: 'start', 'end', '<ms>' or '<ms>-<seq>'. As a lower bound
 * '<ms>' is '<ms>-0'; as an upper bound it covers every frame of that ms.
 */
export const streamCursor = z
  .string()
  .regex(/^(start|end|\d{1,16}|\d{1,16}-\d{1,9})$/, "expected 'start', 'end', '<ms>' or '<ms>-<seq>'");

const attemptIndex = z.number().int('must be an integer').min(0).max(0xffffffff);
const countLimit = z.number().int('must be an integer').min(1).max(STREAM_READ_HARD_CAP);

/** How a best-effort frame sizes the stream it trims (see docs/guide.md, Streams). */
export const bestEffortConfig = z
  .strictObject({
    /** How long a live reader should still find a frame, in ms; with the append rate it sets how many frames are kept. */
    ttlMs: z.number().int('must be an integer').min(1).max(0xffffffff),
    /** Fewest frames kept. @default 64 */
    maxlenFloor: z.number().int('must be an integer').min(1).max(0xffffffff).default(64),
    /** Most frames kept; wins over the floor. @default 16384 */
    maxlenCeiling: z.number().int('must be an integer').min(1).max(0xffffffff).default(16_384),
    /** Weight of the newest append-rate sample. @default 0.2 */
    emaAlpha: z.number().gt(0, 'must be > 0').max(1).default(0.2),
  });

export const appendFrameInput = z
  .strictObject({
    handle,
    /** The frame's bytes; text is stored as given, bytes are decoded as UTF-8 (invalid sequences become U+FFFD). For a summary frame, the JSON merge patch. */
    payload,
    /** @default 'event' */
    kind: z.enum(FRAME_KINDS).default('event'),
    /** Stored as the frame's `frame_type`. @default the kind */
    frameType: z.string().max(256, 'must be at most 256 characters').optional(),
    correlationId: name.optional(),
    /** 'summary' applies the payload to the stream's summary document; 'best_effort' trims the stream. @default 'durable' */
    mode: z.enum(FRAME_MODES).default('durable'),
    /** Required with mode 'best_effort', refused with any other. */
    bestEffort: bestEffortConfig.optional(),
  })
  .superRefine((input, ctx) => {
    if (input.mode === 'best_effort' && input.bestEffort === undefined) {
      ctx.addIssue({ code: 'custom', path: ['bestEffort'], message: "required with mode 'best_effort'" });
    } else if (input.mode !== 'best_effort' && input.bestEffort !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['bestEffort'], message: "only allowed with mode 'best_effort'" });
    }
  });
export type AppendFrameInput = z.input<typeof appendFrameInput>;

export interface AppendFrameResult {
  /** '<ts_ms>-<seq>'. */
  frameId: string;
  /** The frame's event id on the `stream` outbox channel. */
  eventId: number;
  /** Frames the stream holds after this append (and its trim). */
  frameCount: number;
  /** The summary document's version after this patch; summary frames only. */
  summaryVersion: number | null;
}

export const readStreamInput = z.strictObject({
  executionId,
  attemptIndex,
  /** Inclusive lower bound. @default 'start' */
  from: streamCursor.default('start'),
  /** Inclusive upper bound. @default 'end' */
  to: streamCursor.default('end'),
  /** @default 100 */
  countLimit: countLimit.default(100),
});
export type ReadStreamInput = z.input<typeof readStreamInput>;

export const tailStreamInput = z.strictObject({
  executionId,
  attemptIndex,
  /** Frames strictly after this id ('<ms>' or '<ms>-<seq>'; '0-0' for the whole stream). */
  after: streamCursor.refine((c) => c !== 'start' && c !== 'end', "must be a frame id ('<ms>' or '<ms>-<seq>'), not 'start' or 'end'"),
  /** How long to wait for a frame on the engine clock; 0 answers at once. @default 0 */
  blockMs: z.number().int('must be an integer').min(0).max(MAX_TAIL_BLOCK_MS).default(0),
  /** @default 100 */
  countLimit: countLimit.default(100),
  /** 'exclude_best_effort' leaves best-effort frames out. @default 'all' */
  visibility: z.enum(['all', 'exclude_best_effort']).default('all'),
});
export type TailStreamInput = z.input<typeof tailStreamInput>;

export const readSummaryInput = z.strictObject({ executionId, attemptIndex });
export type ReadSummaryInput = z.input<typeof readSummaryInput>;

export interface StreamFrame {
  /** '<ts_ms>-<seq>'. */
  id: string;
  mode: FrameMode;
  /** `frame_type`, `payload`, `encoding`, `source`, and `correlation_id` / `summary_version` when set; keys sorted. */
  fields: Record<string, string>;
}

/**
 * Why a stream closed: `attempt_success`, `attempt_failure`,
 * `attempt_cancelled`, `attempt_delayed`, `attempt_interrupted`,
 * `reclaimed`, `lease_expired`, `lease_revoked`, `attempt_folded` (retention
 * dropped the attempt), or `attempt_<outcome>` for any other outcome.
 */
export type StreamClosedReason = string;

export interface StreamFrames {
  frames: StreamFrame[];
  /** When the stream's attempt ended; null while a worker may still append. */
  closedAt: number | null;
  closedReason: StreamClosedReason | null;
}

export interface SummaryDocument {
  /** The document, parsed. */
  document: unknown;
  /** The same document as compact JSON, object keys in ascending order. */
  documentJson: string;
  /** Patches applied; the first gives 1. */
  version: number;
  patchKind: 'json-merge-patch';
  lastUpdatedMs: number;
  firstAppliedMs: number;
}
