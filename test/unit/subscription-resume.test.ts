/**
 * The in-process subscriptions resume exactly: after 10,000 events on a
 * channel, a subscriber that stopped at some event and resumes from its
 * cursor has, with what it saw before, every event once, in order — on
 * every outbox channel. The first subscriber also stops in the middle of a
 * delivered batch, and the second attaches while events are still being
 * written: it gets the catch-up, then the live events.
 */
import { describe, expect, it } from 'vitest';
import { OUTBOX_CHANNELS } from '../../src/api/events.js';
import type { DeliveredEvent, OutboxEvent } from '../../src/index.js';
import { makeEngine } from './helpers.js';
import { ids, METHOD_OF, producerFor, settle } from './subscription-helpers.js';

const TOTAL = 10_000;
const CHUNK = 250;
/** Not on a chunk boundary, so the first subscriber stops inside a delivered batch. */
const STOP_AT = 4_321;

describe.each(OUTBOX_CHANNELS)('resuming the %s subscription after 10k events', (channel) => {
  it('no gap and no duplicate; catch-up then live', { timeout: 120_000 }, async () => {
    const { engine } = await makeEngine();
    const produce = producerFor(engine, channel);
    const subscribe = engine[METHOD_OF[channel]].bind(engine) as (o: unknown, cb: (e: DeliveredEvent) => void) => { cursor: string; unsubscribe(): void };

    const before: DeliveredEvent[] = [];
    const first = subscribe({}, (e) => {
      before.push(e);
      if (before.length === STOP_AT) first.unsubscribe();
    });
    let written = 0;
    while (written < 6_000) {
      produce(CHUNK);
      written += CHUNK;
      await settle();
    }
    expect(before).toHaveLength(STOP_AT);
    const resumeFrom = before[before.length - 1]!.cursor;
    expect(first.cursor).toBe(resumeFrom);

    // Attach mid-stream: 6,000 written, 4,321 seen, the rest still coming.
    const after: DeliveredEvent[] = [];
    const second = subscribe({ from: resumeFrom }, (e) => after.push(e));
    const caughtUp = after.length;
    expect(caughtUp).toBe(6_000 - STOP_AT);
    while (written < TOTAL) {
      produce(CHUNK);
      written += CHUNK;
      await settle();
    }
    second.unsubscribe();
    expect(after.length).toBeGreaterThan(caughtUp);

    const all: OutboxEvent[] = [];
    for (let page = engine.readEvents({ channel, limit: 1000 }).events; page.length > 0; ) {
      all.push(...page);
      page = engine.readEvents({ channel, afterEventId: page.at(-1)!.eventId, limit: 1000 }).events;
    }
    expect(all).toHaveLength(TOTAL);
    const seen = [...ids(before), ...ids(after)];
    expect(seen).toEqual(all.map((e) => e.eventId));
    expect(new Set(seen).size).toBe(TOTAL);
    // Every event arrives as readEvents has it, plus its own cursor.
    expect(after.at(-1)).toEqual({ ...all.at(-1), cursor: `${channel}:${all.at(-1)!.eventId}` });
    expect(before.every((e) => e.channel === channel && e.cursor === `${channel}:${e.eventId}`)).toBe(true);
  });
});
