/** Producers of many events on each outbox channel, for the subscription tests. */
import type { DeliveredEvent, Engine, OutboxChannel, SubscriptionName } from '../../src/index.js';
import { KID, SECRET } from './suspension-helpers.js';
import { WORKER } from './helpers.js';

/** Let queued deliveries (a microtask after each commit) run. */
export const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export const METHOD_OF: Record<OutboxChannel, SubscriptionName> = {
  completion: 'subscribeCompletion',
  lease: 'subscribeLeaseHistory',
  signal: 'subscribeSignalDelivery',
  operator: 'subscribeOperatorEvents',
  stream: 'subscribeStreamFrames',
  budget: 'subscribeBudgetEvents',
};

/**
 * Returns a function that writes exactly `n` more events on `channel` (plus,
 * for some, events on other channels); `n` is at most a few hundred a call.
 */
export function producerFor(engine: Engine, channel: OutboxChannel): (n: number) => void {
  switch (channel) {
    case 'completion':
      return (n) => {
        const { results } = engine.createExecutions({ executions: Array.from({ length: n }, () => ({ laneId: 'bulk' })) });
        for (const r of results) engine.cancelExecution({ executionId: r.executionId, reason: 'test', source: 'operator_override' });
      };
    case 'operator': {
      const { executionId } = engine.createExecution({ laneId: 'prio' });
      let priority = 0;
      return (n) => {
        for (let i = 0; i < n; i++) engine.changePriority({ executionId, priority: ++priority % 1000 });
      };
    }
    case 'lease':
      // Claim and renew: every call is one lease event (`acquired`, then `renewed`).
      return (n) => {
        engine.createExecution({ laneId: 'lease' });
        const handle = engine.claim({ laneId: 'lease', ...WORKER })!;
        for (let i = 1; i < n; i++) engine.renewLease({ handle });
      };
    case 'stream':
      // A fresh attempt per call keeps each stream short.
      return (n) => {
        engine.createExecution({ laneId: 'frames' });
        const handle = engine.claim({ laneId: 'frames', ...WORKER })!;
        for (let i = 0; i < n; i++) engine.appendFrame({ handle, payload: `f${i}` });
      };
    case 'budget':
      engine.createBudget({ budgetId: 'b', dimensions: [{ name: 'tokens', hardLimit: 10 }] });
      return (n) => {
        for (let i = 0; i < n; i++) engine.resetBudget({ budgetId: 'b' });
      };
    case 'signal':
      engine.seedWaitpointHmacSecret({ kid: KID, secretHex: SECRET });
      // A fresh suspension per call keeps each waitpoint's signal list short.
      return (n) => {
        const { executionId } = engine.createExecution({ laneId: 'sig' });
        const handle = engine.claim({ laneId: 'sig', ...WORKER })!;
        const suspended = engine.suspend({
          handle,
          waitpoints: [{ kind: 'fresh', waitpointKey: 'w' }],
          resumeCondition: { kind: 'signals', mode: 'all_of', signals: [{ name: 'never' }] },
        });
        const wp = suspended.waitpoints[0]!;
        for (let i = 0; i < n; i++) engine.deliverSignal({ executionId, waitpointId: wp.waitpointId, waitpointToken: wp.token, signalName: 'other' });
      };
  }
}

export function ids(events: DeliveredEvent[]): number[] {
  return events.map((e) => e.eventId);
}
