/**
 * The retained window of each readable outbox. The retention trimmer
 * deletes events out of order (a terminal execution's lease events, a
 * budget's superseded events), so "the oldest event kept" says nothing about
 * what a cursor missed. What does: the highest event id ever deleted. A
 * cursor at or above it missed nothing; one below it may have.
 */
import type { OutboxChannel } from '../../api/events.js';
import type { EngineContext } from '../core/context.js';

/** Record that events up to `eventId` of `channel` may be gone (never lowers the floor). */
export function raiseFloor(ctx: EngineContext, channel: OutboxChannel, eventId: number, now: number): void {
  ctx.db
    .prepare(
      `INSERT INTO ff_outbox_floor (channel, trimmed_through_event_id, trimmed_at_ms) VALUES (:channel, :eventId, :now)
       ON CONFLICT (channel) DO UPDATE SET
         trimmed_through_event_id = MAX(trimmed_through_event_id, excluded.trimmed_through_event_id),
         trimmed_at_ms = excluded.trimmed_at_ms`,
    )
    .run({ channel, eventId, now });
}

/** The highest event id the trimmer has deleted from `channel`; 0 when it never deleted one. */
export function readFloor(ctx: EngineContext, channel: OutboxChannel): number {
  return ctx.db.prepare('SELECT trimmed_through_event_id AS id FROM ff_outbox_floor WHERE channel = :channel').get<{ id: number }>({ channel })?.id ?? 0;
}
