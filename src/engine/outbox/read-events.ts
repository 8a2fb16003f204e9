/**
 * readEvents: the rows of one outbox after an event id, oldest first — the
 * read behind subscriptions and their catch-up. Each query walks the
 * table's INTEGER PRIMARY KEY from the cursor, so its cost is the rows
 * returned, not the size of the outbox. A cursor below what retention has
 * trimmed is answered with `cursorExpired`, never with a silent gap.
 */
import type { z } from 'zod';
import type { BudgetEventType } from '../../api/budgets.js';
import { errors } from '../../api/errors.js';
import type { CursorExpired, OperatorEventType, OutboxChannel, OutboxEvent, ReadEventsResult } from '../../api/events.js';
import { readEventsInput } from '../../api/events.js';
import type { LeaseEventType, TerminalOutcome } from '../../api/states.js';
import type { SignalEffect } from '../../api/suspension.js';
import type { FrameMode } from '../../api/streams.js';
import { frameId, parseFields } from '../streams/stream-frames.js';
import type { EngineContext } from '../core/context.js';
import { defineOperation } from '../operation.js';
import { readFloor } from './outbox-floor.js';

const TABLES: Record<OutboxChannel, string> = {
  completion: 'ff_completion_event',
  lease: 'ff_lease_event',
  budget: 'ff_budget_event',
  operator: 'ff_operator_event',
  signal: 'ff_signal_event',
  stream: 'ff_stream_frame',
};

const COLUMNS: Record<OutboxChannel, string> = {
  completion: 'event_id, execution_id, flow_id, outcome, namespace, instance_tag, occurred_at_ms',
  lease:
    'event_id, execution_id, attempt_index, lease_id, lease_epoch, event_type, worker_instance_id, namespace, instance_tag, occurred_at_ms',
  budget: 'event_id, budget_id, event_type, dimension, details, occurred_at_ms',
  operator: 'event_id, execution_id, flow_id, event_type, details, namespace, instance_tag, occurred_at_ms',
  signal:
    'event_id, execution_id, signal_id, waitpoint_id, signal_name, source_identity, effect, namespace, instance_tag, delivered_at_ms AS occurred_at_ms',
  stream: 'event_id, execution_id, attempt_index, ts_ms, seq, mode, fields, namespace, instance_tag, created_at_ms AS occurred_at_ms',
};

type Row = Record<string, unknown> & { event_id: number };

export function readEvents(ctx: EngineContext, input: z.output<typeof readEventsInput>): ReadEventsResult {
  const { channel } = input;
  const rows = ctx.db
    .prepare(`SELECT ${COLUMNS[channel]} FROM ${TABLES[channel]} WHERE event_id > :after ORDER BY event_id LIMIT :limit`)
    .all<Row>({ after: input.afterEventId, limit: input.limit });
  return { events: rows.map((row) => toEvent(channel, row)), lastEventId: lastEventId(ctx, channel), cursorExpired: cursorExpired(ctx, channel, input.afterEventId) };
}

/** Whether the trimmer deleted events after `afterEventId` (see outbox-floor.ts); one primary-key probe when it did not. */
export function cursorExpired(ctx: EngineContext, channel: OutboxChannel, afterEventId: number): CursorExpired | null {
  const floor = readFloor(ctx, channel);
  if (afterEventId >= floor) return null;
  const oldest = ctx.db.prepare(`SELECT MIN(event_id) AS id FROM ${TABLES[channel]}`).get<{ id: number | null }>();
  return { trimmedThroughEventId: floor, oldestRetainedEventId: oldest?.id ?? null };
}

/** The newest event id of a channel (0 when empty); O(1) on the rowid. */
export function lastEventId(ctx: EngineContext, channel: OutboxChannel): number {
  const row = ctx.db.prepare(`SELECT MAX(event_id) AS id FROM ${TABLES[channel]}`).get<{ id: number | null }>();
  return row?.id ?? 0;
}

function toEvent(channel: OutboxChannel, row: Row): OutboxEvent {
  const base = { eventId: row.event_id, occurredAtMs: row['occurred_at_ms'] as number };
  switch (channel) {
    case 'completion':
      return {
        channel,
        ...base,
        executionId: row['execution_id'] as string,
        flowId: row['flow_id'] as string | null,
        outcome: row['outcome'] as Exclude<TerminalOutcome, 'none'>,
        namespace: row['namespace'] as string | null,
        instanceTag: row['instance_tag'] as string | null,
      };
    case 'lease':
      return {
        channel,
        ...base,
        executionId: row['execution_id'] as string,
        attemptIndex: row['attempt_index'] as number,
        leaseId: row['lease_id'] as string | null,
        leaseEpoch: row['lease_epoch'] as number,
        eventType: row['event_type'] as LeaseEventType,
        workerInstanceId: row['worker_instance_id'] as string | null,
        namespace: row['namespace'] as string | null,
        instanceTag: row['instance_tag'] as string | null,
      };
    case 'budget':
      return {
        channel,
        ...base,
        budgetId: row['budget_id'] as string,
        eventType: row['event_type'] as BudgetEventType,
        dimension: row['dimension'] as string | null,
        details: parseDetails(channel, row),
      };
    case 'operator':
      return {
        channel,
        ...base,
        executionId: row['execution_id'] as string | null,
        flowId: row['flow_id'] as string | null,
        eventType: row['event_type'] as OperatorEventType,
        details: parseDetails(channel, row),
        namespace: row['namespace'] as string | null,
        instanceTag: row['instance_tag'] as string | null,
      };
    case 'signal':
      return {
        channel,
        ...base,
        executionId: row['execution_id'] as string,
        signalId: row['signal_id'] as string,
        waitpointId: row['waitpoint_id'] as string | null,
        signalName: row['signal_name'] as string | null,
        sourceIdentity: row['source_identity'] as string | null,
        effect: row['effect'] as SignalEffect,
        namespace: row['namespace'] as string | null,
        instanceTag: row['instance_tag'] as string | null,
      };
    case 'stream':
      return {
        channel,
        ...base,
        executionId: row['execution_id'] as string,
        attemptIndex: row['attempt_index'] as number,
        frameId: frameId(row['ts_ms'] as number, row['seq'] as number),
        mode: row['mode'] as FrameMode,
        fields: parseFields(row['fields'] as string, row.event_id),
        namespace: row['namespace'] as string | null,
        instanceTag: row['instance_tag'] as string | null,
      };
  }
}

function parseDetails(channel: OutboxChannel, row: Row): Record<string, unknown> {
  try {
    return JSON.parse(row['details'] as string) as Record<string, unknown>;
  } catch {
    throw errors.corruption(`${channel} event ${row.event_id} has unreadable details`, { channel, eventId: row.event_id });
  }
}

export const readEventsOp = defineOperation({
  name: 'readEvents',
  family: 'outbox',
  kind: 'read',
  summary:
    'Events of one outbox (completion, lease, budget, operator, signal, stream) after an event id, oldest first: the subscription catch-up read. `cursorExpired` is set when retention deleted events after that id.',
  input: readEventsInput,
  run: ({ ctx }, input): ReadEventsResult => readEvents(ctx, input),
});
