/**
 * Subscriptions: options shared by the in-process engine's
 * `subscribe<Channel>` methods and the browser client's `subscribe`.
 *
 * A filter narrows what is delivered, not what is read: a subscription walks
 * every event of its channels in order and its cursor passes the ones the
 * filter drops, so resuming from the last delivered cursor never replays a
 * delivered event and never skips a matching one.
 */
import { z } from 'zod';
import type { OutboxEvent } from './events.js';

const filterValue = z.string().min(1, 'must not be empty').max(256, 'at most 256 characters');

export const eventFilterSchema = z.strictObject({
  /** Only events of executions (and flows) in this namespace. */
  namespace: filterValue.optional(),
  /**
   * Only events of executions whose `cairn.instance_id` tag has this value
   * (the instance tag every execution event carries, as of when it was written).
   */
  instanceTag: filterValue.optional(),
});
export type EventFilter = z.infer<typeof eventFilterSchema>;

export const subscribeOptionsSchema = z.strictObject({
  /**
   * Resume point: the `cursor` of the last event seen. Delivery starts right
   * after it (the catch-up from the outbox, then live events). Without it the
   * subscription starts with events committed from now on; `'<channel>:0'`
   * replays the channel from its start.
   */
  from: z.string().max(64).optional(),
  filter: eventFilterSchema.optional(),
});
export type SubscribeChannelOptions = z.input<typeof subscribeOptionsSchema>;

/** An outbox event as a subscriber receives it: `cursor` is its resume point. */
export type DeliveredEvent<E extends OutboxEvent = OutboxEvent> = E & { cursor: string };

/** What a subscribe call returns. */
export interface EventSubscription {
  /** The cursor of the last event delivered (or where the subscription started): resume from it later. */
  readonly cursor: string;
  /** Stop delivery at once; idempotent. */
  unsubscribe(): void;
}

/**
 * Whether an event passes a filter. Events that carry no namespace or
 * instance tag (budget events, which are about a budget, not an execution)
 * never pass a filter that names one: a tenant's subscriber sees nothing it
 * cannot attribute to the tenant.
 */
export function matchesFilter(event: OutboxEvent, filter: EventFilter | undefined): boolean {
  if (!filter) return true;
  const scoped = event as { namespace?: string | null; instanceTag?: string | null };
  if (filter.namespace !== undefined && scoped.namespace !== filter.namespace) return false;
  if (filter.instanceTag !== undefined && scoped.instanceTag !== filter.instanceTag) return false;
  return true;
}
