/**
 * The in-process engine's subscriptions, one method per outbox, named as
 * FlowFabric names its subscription families (`subscribeCompletion`,
 * `subscribeLeaseHistory`, `subscribeSignalDelivery`) and, for the outboxes
 * it has no subscription for, after its wake-up channels
 * (`subscribeOperatorEvents`, `subscribeStreamFrames`) and this backend's
 * budget outbox (`subscribeBudgetEvents`).
 *
 * They are not operations of the table: an operation is one request and one
 * answer (and crosses the worker boundary as such), while a subscription
 * returns a handle and calls back for as long as it lives. Through the
 * browser client the same delivery is `backend.subscribe({ channels })`.
 * Both sit on OutboxDelivery, so cursors, catch-up, filters and
 * `state.cursor_expired` behave the same in both places.
 */
import { errors } from '../../api/errors.js';
import type {
  BudgetOutboxEvent,
  CompletionEvent,
  LeaseEvent,
  OperatorOutboxEvent,
  OutboxChannel,
  OutboxEvent,
  SignalDeliveryEvent,
  StreamFrameEvent,
} from '../../api/events.js';
import { subscribeOptionsSchema, type DeliveredEvent, type EventSubscription, type SubscribeChannelOptions } from '../../api/subscriptions.js';
import { parseInput } from '../../api/validate.js';
import { parseOutboxCursor, type OutboxDelivery } from './outbox-delivery.js';

/** Subscription method → the outbox it follows. */
export const SUBSCRIPTIONS = {
  subscribeCompletion: 'completion',
  subscribeLeaseHistory: 'lease',
  subscribeSignalDelivery: 'signal',
  subscribeOperatorEvents: 'operator',
  subscribeStreamFrames: 'stream',
  subscribeBudgetEvents: 'budget',
} as const satisfies Record<string, OutboxChannel>;
export type SubscriptionName = keyof typeof SUBSCRIPTIONS;

interface EventOfChannel {
  completion: CompletionEvent;
  lease: LeaseEvent;
  signal: SignalDeliveryEvent;
  operator: OperatorOutboxEvent;
  stream: StreamFrameEvent;
  budget: BudgetOutboxEvent;
}

/** Called once per event, in order, after the commit that wrote it. */
export type EventCallback<E extends OutboxEvent> = (event: DeliveredEvent<E>) => void;

export type SubscriptionMethods = {
  [K in SubscriptionName]: (options: SubscribeChannelOptions | undefined, onEvent: EventCallback<EventOfChannel[(typeof SUBSCRIPTIONS)[K]]>) => EventSubscription;
};

/**
 * Open one subscription. The catch-up (events after `from`) is delivered
 * before this returns; live events follow, each after its commit. A throw
 * from `onEvent` is reported and delivery goes on with the next event, as
 * the browser client does.
 */
export function openSubscription(
  delivery: OutboxDelivery,
  name: SubscriptionName,
  rawOptions: unknown,
  onEvent: (event: DeliveredEvent) => void,
): EventSubscription {
  const channel = SUBSCRIPTIONS[name];
  const options = parseInput(name, subscribeOptionsSchema, rawOptions ?? {});
  if (typeof onEvent !== 'function') throw errors.invalid('onEvent', `${name}: the second argument must be a function called with each event`);
  const from = new Map<OutboxChannel, string>();
  if (options.from !== undefined) {
    if (parseOutboxCursor(options.from).channel !== channel) {
      throw errors.invalid('from', `${name}: cursor '${options.from}' is not a ${channel} cursor`);
    }
    from.set(channel, options.from);
  }
  let closed = false;
  // The event being handed over, while a batch is: a callback that unsubscribes stops right after it.
  let current: string | undefined;
  let stoppedAt: string | undefined;
  const sub = delivery.open([channel], from, options.filter, (events) => {
    for (const event of events) {
      if (closed) return;
      current = event.cursor;
      try {
        onEvent(event);
      } catch (err) {
        console.warn(`[ff-backend-browser] a ${name} callback threw; delivery goes on:`, err);
      }
    }
    current = undefined;
  });
  const position = (): string => `${channel}:${sub.cursors.get(channel)!}`;
  return {
    // Past filtered-out events too, except when delivery stopped inside a batch.
    get cursor() {
      return stoppedAt ?? position();
    },
    unsubscribe: () => {
      if (closed) return;
      closed = true;
      delivery.close(sub);
      stoppedAt = current ?? position();
    },
  };
}
