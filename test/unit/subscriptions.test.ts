/**
 * The in-process subscriptions (subscribeCompletion and the rest): events
 * arrive after their commit, in order, with cursors; a subscriber that
 * attaches mid-stream gets the catch-up, then live events; filters by
 * namespace and instance tag; outcomes keep their names; a trimmed cursor is
 * refused with `state.cursor_expired`; bad options change nothing.
 */
import { describe, expect, it } from 'vitest';
import type { CompletionEvent, DeliveredEvent, Engine, LeaseEvent, OutboxEvent } from '../../src/index.js';
import { catchError, makeEngine, WORKER } from './helpers.js';
import { settle } from './subscription-helpers.js';

const HOUR = 3_600_000;

function collect<E extends OutboxEvent>(): { events: DeliveredEvent<E>[]; push: (e: DeliveredEvent<E>) => void } {
  const events: DeliveredEvent<E>[] = [];
  return { events, push: (e) => events.push(e) };
}

/** Create, claim and end an execution in `namespace` with an optional instance tag. */
function runOne(engine: Engine, end: 'complete' | 'fail', namespace = 'default', instanceTag?: string): string {
  const laneId = `lane-${namespace}`;
  const { executionId } = engine.createExecution({ laneId, namespace, ...(instanceTag ? { tags: { 'cairn.instance_id': instanceTag } } : {}) });
  const handle = engine.claim({ laneId, ...WORKER })!;
  if (end === 'complete') engine.completeExecution({ handle });
  else engine.failExecution({ handle, failureClass: 'permanent' });
  return executionId;
}

describe('delivery', () => {
  it('arrives after the commit, in order, each event with its cursor; outcomes keep their names', async () => {
    const { engine } = await makeEngine();
    const seen = collect<CompletionEvent>();
    engine.subscribeCompletion({}, seen.push);
    const a = runOne(engine, 'complete');
    const b = runOne(engine, 'fail');
    // Nothing during the call that committed: delivery follows the commit.
    expect(seen.events).toEqual([]);
    await settle();
    expect(seen.events.map((e) => [e.executionId, e.channel === 'completion' && e.outcome, e.cursor])).toEqual([
      [a, 'success', 'completion:1'],
      [b, 'failed', 'completion:2'],
    ]);
  });

  it('a subscriber attaching mid-stream gets the catch-up synchronously, then live events', async () => {
    const { engine } = await makeEngine();
    runOne(engine, 'complete');
    runOne(engine, 'complete');
    runOne(engine, 'complete');
    const seen = collect();
    const sub = engine.subscribeLeaseHistory({ from: 'lease:2' }, seen.push);
    expect(seen.events.map((e) => e.cursor)).toEqual(['lease:3', 'lease:4', 'lease:5', 'lease:6']);
    expect(seen.events.map((e) => e.channel === 'lease' && e.eventType)).toEqual(['acquired', 'released', 'acquired', 'released']);
    runOne(engine, 'complete');
    await settle();
    expect(seen.events.map((e) => e.eventId)).toEqual([3, 4, 5, 6, 7, 8]);
    expect(sub.cursor).toBe('lease:8');
    sub.unsubscribe();
    runOne(engine, 'complete');
    await settle();
    expect(seen.events).toHaveLength(6);
    expect(sub.cursor).toBe('lease:8');
  });

  it('without a cursor starts from now; "<channel>:0" replays from the start', async () => {
    const { engine } = await makeEngine();
    runOne(engine, 'complete');
    const fromNow = collect();
    const fromStart = collect();
    engine.subscribeCompletion(undefined, fromNow.push);
    engine.subscribeCompletion({ from: 'completion:0' }, fromStart.push);
    runOne(engine, 'complete');
    await settle();
    expect(fromNow.events.map((e) => e.eventId)).toEqual([2]);
    expect(fromStart.events.map((e) => e.eventId)).toEqual([1, 2]);
  });

  it('a callback that throws is reported and delivery goes on', async () => {
    const { engine } = await makeEngine();
    const seen: number[] = [];
    engine.subscribeCompletion({}, (e) => {
      seen.push(e.eventId);
      if (e.eventId === 1) throw new Error('subscriber bug');
    });
    runOne(engine, 'complete');
    runOne(engine, 'complete');
    await settle();
    expect(seen).toEqual([1, 2]);
  });
});

describe('filters', () => {
  it('by namespace and by instance tag; the cursor passes what the filter drops', async () => {
    const { engine } = await makeEngine();
    const tenantA = collect<CompletionEvent>();
    const tagged = collect<LeaseEvent>();
    const both = collect<CompletionEvent>();
    const subA = engine.subscribeCompletion({ filter: { namespace: 'tenant-a' } }, tenantA.push);
    engine.subscribeLeaseHistory({ filter: { instanceTag: 'i-42' } }, tagged.push);
    engine.subscribeCompletion({ filter: { namespace: 'tenant-a', instanceTag: 'i-42' } }, both.push);
    const a1 = runOne(engine, 'complete', 'tenant-a');
    runOne(engine, 'complete', 'tenant-b', 'i-42');
    const a2 = runOne(engine, 'complete', 'tenant-a', 'i-42');
    runOne(engine, 'complete', 'tenant-b');
    await settle();
    expect(tenantA.events.map((e) => e.executionId)).toEqual([a1, a2]);
    expect(tagged.events.map((e) => [e.eventId, e.instanceTag])).toEqual([
      [3, 'i-42'],
      [4, 'i-42'],
      [5, 'i-42'],
      [6, 'i-42'],
    ]);
    expect(both.events.map((e) => e.executionId)).toEqual([a2]);
    // The last completion (tenant-b) was read and dropped: resuming from the cursor does not read it again.
    expect(subA.cursor).toBe('completion:4');
  });

  it('budget events carry no namespace, so a filtered subscription gets none', async () => {
    const { engine } = await makeEngine();
    engine.createBudget({ budgetId: 'b', dimensions: [{ name: 'tokens', hardLimit: 10 }] });
    const filtered = collect();
    const all = collect();
    engine.subscribeBudgetEvents({ filter: { namespace: 'default' } }, filtered.push);
    engine.subscribeBudgetEvents({}, all.push);
    engine.resetBudget({ budgetId: 'b' });
    await settle();
    expect(all.events.map((e) => e.channel === 'budget' && e.eventType)).toEqual(['reset']);
    expect(filtered.events).toEqual([]);
  });
});

describe('trimmed cursors and bad options', () => {
  it('a cursor below what retention deleted is refused with state.cursor_expired, naming where to resume', async () => {
    const { engine, clock } = await makeEngine({ scanners: { retention: { maxAgeMs: HOUR } } });
    runOne(engine, 'complete');
    clock.advance(HOUR / 2);
    runOne(engine, 'complete');
    clock.advance(HOUR / 2 + 60_000);
    const seen = collect();
    const err = catchError(() => engine.subscribeCompletion({ from: 'completion:0' }, seen.push));
    expect(err.code).toBe('state.cursor_expired');
    expect(err.details).toMatchObject({ channel: 'completion', trimmedThroughEventId: 1, oldestRetainedEventId: 2, resumeCursor: 'completion:1' });
    expect(seen.events).toEqual([]);
    engine.subscribeCompletion({ from: err.details['resumeCursor'] as string }, seen.push);
    expect(seen.events.map((e) => e.eventId)).toEqual([2]);
  });

  it('a live subscription loses nothing to the trimmer, even when one advance writes and trims', async () => {
    const { engine, clock } = await makeEngine({ scanners: { retention: { maxAgeMs: HOUR } } });
    const seen = collect();
    engine.subscribeLeaseHistory({}, seen.push);
    runOne(engine, 'complete');
    clock.advance(2 * HOUR);
    await settle();
    expect(seen.events.map((e) => e.eventId)).toEqual([1, 2]);
    expect(engine.readEvents({ channel: 'lease' }).events).toEqual([]);
  });

  it('refuses bad options with typed errors', async () => {
    const { engine } = await makeEngine();
    const cb = () => {};
    expect(catchError(() => engine.subscribeCompletion({ from: 'lease:3' }, cb))).toMatchObject({ code: 'validation.invalid_input', details: { field: 'from' } });
    expect(catchError(() => engine.subscribeCompletion({ from: 'completion:x' }, cb))).toMatchObject({ code: 'validation.invalid_input', details: { field: 'from' } });
    expect(catchError(() => engine.subscribeCompletion({ filter: { namespace: '' } }, cb))).toMatchObject({ code: 'validation.invalid_input', details: { field: 'filter.namespace' } });
    expect(catchError(() => engine.subscribeCompletion({ filter: { tenant: 'x' } } as never, cb))).toMatchObject({ code: 'validation.invalid_input' });
    expect(catchError(() => engine.subscribeCompletion({}, 'not a function' as never))).toMatchObject({ code: 'validation.invalid_input', details: { field: 'onEvent' } });
    engine.close();
    expect(catchError(() => engine.subscribeCompletion({}, cb)).code).toBe('closed');
  });
});
