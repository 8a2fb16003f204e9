/**
 * Outbox events as subscribers see them. These outboxes are readable after a
 * cursor: completion (terminal outcomes), lease (the lease lifecycle),
 * budget (resets, breaches, usage), operator (operator actions), signal
 * (signal deliveries) and stream (every appended frame). Event ids come from INTEGER PRIMARY KEY
 * AUTOINCREMENT columns, so within one database an id is never reused and
 * "every event after id N" is a gap-free, duplicate-free resume point, for
 * as long as the retention trimmer has not deleted events after N
 * (`cursorExpired` says when it has).
 */
import { z } from 'zod';
import type { BudgetEventType } from './budgets.js';
import type { LeaseEventType, TerminalOutcome } from './states.js';
import type { SignalEffect } from './suspension.js';
import type { FrameMode } from './streams.js';

export const OUTBOX_CHANNELS = ['completion', 'lease', 'budget', 'operator', 'signal', 'stream'] as const;
export type OutboxChannel = (typeof OUTBOX_CHANNELS)[number];

export interface CompletionEvent {
  channel: 'completion';
  eventId: number;
  executionId: string;
  flowId: string | null;
  outcome: Exclude<TerminalOutcome, 'none'>;
  namespace: string | null;
  instanceTag: string | null;
  occurredAtMs: number;
}

export interface LeaseEvent {
  channel: 'lease';
  eventId: number;
  executionId: string;
  attemptIndex: number;
  leaseId: string | null;
  leaseEpoch: number;
  eventType: LeaseEventType;
  workerInstanceId: string | null;
  namespace: string | null;
  instanceTag: string | null;
  occurredAtMs: number;
}

export interface BudgetOutboxEvent {
  channel: 'budget';
  eventId: number;
  budgetId: string;
  eventType: BudgetEventType;
  /** null for a reset, which covers every dimension. */
  dimension: string | null;
  details: Record<string, unknown>;
  occurredAtMs: number;
}

/**
 * What an operator did: `priority_changed` (details: previousPriority,
 * priority), `replayed` (branch, groupsReset, previousOutcome), `cancelled`
 * (reason, source), `lease_revoked` (reason, leaseId, leaseEpoch,
 * attemptIndex, workerInstanceId), `flow_cancel_requested` (about a whole
 * flow: cancellationPolicy, reason, memberCount), `member_cancelled` (a
 * member cancelled by its flow's cancel) and `resumed`.
 */
export const OPERATOR_EVENT_TYPES = [
  'priority_changed',
  'replayed',
  'flow_cancel_requested',
  'cancelled',
  'lease_revoked',
  'member_cancelled',
  'resumed',
] as const;
export type OperatorEventType = (typeof OPERATOR_EVENT_TYPES)[number];

export interface OperatorOutboxEvent {
  channel: 'operator';
  eventId: number;
  /** null for an event about a whole flow (`flow_cancel_requested`). */
  executionId: string | null;
  flowId: string | null;
  eventType: OperatorEventType;
  details: Record<string, unknown>;
  namespace: string | null;
  instanceTag: string | null;
  occurredAtMs: number;
}

/** A signal delivered to a suspended execution (or its suspension's timeout signal). */
export interface SignalDeliveryEvent {
  channel: 'signal';
  eventId: number;
  executionId: string;
  signalId: string;
  /** null for the timeout signal of a `resume` timeout. */
  waitpointId: string | null;
  signalName: string | null;
  sourceIdentity: string | null;
  effect: SignalEffect;
  namespace: string | null;
  instanceTag: string | null;
  occurredAtMs: number;
}

/**
 * A frame appended to a stream. Frames a best-effort trim (or retention)
 * deleted before they were read are not replayed: best-effort frames are
 * live-only by design.
 */
export interface StreamFrameEvent {
  channel: 'stream';
  eventId: number;
  executionId: string;
  attemptIndex: number;
  /** The frame's id in its stream, '<ts_ms>-<seq>' (readStream / tailStream cursors). */
  frameId: string;
  mode: FrameMode;
  fields: Record<string, string>;
  namespace: string | null;
  instanceTag: string | null;
  occurredAtMs: number;
}

export type OutboxEvent = CompletionEvent | LeaseEvent | BudgetOutboxEvent | OperatorOutboxEvent | SignalDeliveryEvent | StreamFrameEvent;

/** Most events one `readEvents` call returns. */
export const MAX_READ_EVENTS = 1000;

export const readEventsInput = z.strictObject({
  channel: z.enum(OUTBOX_CHANNELS),
  /** Return events with an id greater than this. @default 0 (from the start) */
  afterEventId: z.number().int('must be an integer').min(0).default(0),
  /** @default 100 */
  limit: z.number().int('must be an integer').min(1).max(MAX_READ_EVENTS).default(100),
});
export type ReadEventsInput = z.input<typeof readEventsInput>;

/**
 * The retention trimmer has deleted events after the cursor a read resumed
 * from: the events returned are only those still kept, so something between
 * the cursor and `trimmedThroughEventId` is gone.
 */
export interface CursorExpired {
  /** The highest event id the trimmer has deleted from this outbox. */
  trimmedThroughEventId: number;
  /** The oldest event still kept (null when the outbox is empty). */
  oldestRetainedEventId: number | null;
}

export interface ReadEventsResult {
  /** Oldest first, at most `limit`. */
  events: OutboxEvent[];
  /**
   * The newest event id of the channel now (0 when it never had one): pass it
   * as `afterEventId` to follow only events committed from now on.
   */
  lastEventId: number;
  /**
   * Not null when `afterEventId` is below the retained window (`0` counts:
   * "from the start" can no longer be replayed once anything was trimmed).
   * The events returned are still every kept event after the cursor, but
   * some in between were deleted: treat it as a gap, never as "nothing
   * happened". Resume from `trimmedThroughEventId` to stop seeing it.
   */
  cursorExpired: CursorExpired | null;
}
