/**
 * Cursors and retention: a read or a subscription that resumes from before
 * what the trimmer deleted is told so (readEvents' `cursorExpired`, the
 * hub's `state.cursor_expired`), and a live subscription never loses an
 * event to the trimmer, even when one advance writes and trims it.
 */
import { describe, expect, it } from 'vitest';
import type { Engine } from '../../src/index.js';
import { EventHub } from '../../src/worker/event-hub.js';
import { openService, WORKER_ARGS } from './boundary-helpers.js';
import type { BackendEvent } from '../../src/worker/protocol.js';
import { catchError, makeEngine, WORKER } from './helpers.js';

const HOUR = 3_600_000;

/** One execution claimed and completed now: lease events acquired + released, one completion event. */
function runOne(engine: Engine): string {
  const { executionId } = engine.createExecution({ laneId: 'l' });
  engine.completeExecution({ handle: engine.claim({ laneId: 'l', ...WORKER })! });
  return executionId;
}

async function engineWithHub() {
  const t = await makeEngine({ scanners: { retention: { maxAgeMs: HOUR } } });
  const hub = new EventHub(() => t.engine);
  // What the backend service does: the hub hears every commit.
  t.engine.onCommit((events) => hub.onCommit(events));
  return { ...t, hub };
}

describe('readEvents and the retained window', () => {
  it('says when a cursor is below what was trimmed, and still returns every kept event after it', async () => {
    const { engine, clock } = await makeEngine({ scanners: { retention: { maxAgeMs: HOUR } } });
    runOne(engine); // lease 1, 2; completion 1
    clock.advance(HOUR / 2);
    runOne(engine); // lease 3, 4; completion 2
    expect(engine.readEvents({ channel: 'lease' }).cursorExpired).toBeNull();

    clock.advance(HOUR / 2); // the first execution's history is due
    const fromStart = engine.readEvents({ channel: 'lease', afterEventId: 0 });
    expect(fromStart.events.map((e) => e.eventId)).toEqual([3, 4]);
    expect(fromStart.cursorExpired).toEqual({ trimmedThroughEventId: 2, oldestRetainedEventId: 3 });
    expect(engine.readEvents({ channel: 'lease', afterEventId: 1 }).cursorExpired).toEqual({ trimmedThroughEventId: 2, oldestRetainedEventId: 3 });
    // At or past the floor nothing was missed.
    expect(engine.readEvents({ channel: 'lease', afterEventId: 2 })).toMatchObject({ cursorExpired: null, lastEventId: 4 });
    expect(engine.readEvents({ channel: 'completion', afterEventId: 0 }).cursorExpired).toEqual({ trimmedThroughEventId: 1, oldestRetainedEventId: 2 });
    expect(engine.readEvents({ channel: 'budget', afterEventId: 0 }).cursorExpired).toBeNull();

    clock.advance(HOUR);
    expect(engine.readEvents({ channel: 'lease', afterEventId: 2 }).cursorExpired).toEqual({ trimmedThroughEventId: 4, oldestRetainedEventId: null });
  });

  it('with an age of 0 nothing is trimmed and no cursor expires', async () => {
    const { engine, clock } = await makeEngine({ scanners: { retention: { maxAgeMs: 0 } } });
    runOne(engine);
    clock.advance(1_000 * HOUR);
    expect(engine.readEvents({ channel: 'lease', afterEventId: 0 })).toMatchObject({ cursorExpired: null, events: [{ eventId: 1 }, { eventId: 2 }] });
  });
});

describe('subscriptions and the retained window', () => {
  it('refuses to resume from an expired cursor with a typed error, and sends nothing', async () => {
    const { engine, clock, hub } = await engineWithHub();
    runOne(engine);
    clock.advance(HOUR / 2);
    runOne(engine);
    clock.advance(HOUR / 2);

    const seen: BackendEvent[] = [];
    const sink = { deliver: (events: BackendEvent[]) => void seen.push(...events) };
    const refused = catchError(() => hub.subscribe(1, { channels: ['completion', 'lease'], from: ['completion:1', 'lease:1'] }, sink));
    expect(refused.code).toBe('state.cursor_expired');
    expect(refused.details).toMatchObject({ channel: 'lease', cursor: 'lease:1', trimmedThroughEventId: 2, oldestRetainedEventId: 3, resumeCursor: 'lease:2' });
    expect(seen).toEqual([]);
    expect(hub.size).toBe(0);

    // Resuming from where it says goes on with what is kept.
    const info = hub.subscribe(1, { channels: ['completion', 'lease'], from: ['completion:1', refused.details['resumeCursor'] as string] }, sink);
    expect(info.scannerEventsLost).toBe(0);
    expect(seen.map((e) => e.cursor)).toEqual(['completion:2', 'lease:3', 'lease:4']);
  });

  it('a live subscription gets every event even when one advance writes it and trims it', async () => {
    const { engine, clock, hub } = await engineWithHub();
    const seen: BackendEvent[] = [];
    hub.subscribe(1, { channels: ['lease', 'completion'] }, { deliver: (events) => void seen.push(...events) });
    runOne(engine);
    // Same synchronous turn: the hub's delivery is still queued when the trimmer comes due.
    clock.advance(2 * HOUR);
    expect(engine.readEvents({ channel: 'lease' }).events).toEqual([]);
    expect(seen.map((e) => e.cursor)).toEqual(['lease:1', 'lease:2', 'completion:1']);
    await Promise.resolve();
    expect(seen).toHaveLength(3);

    // And it goes on with no gap.
    runOne(engine);
    await Promise.resolve();
    expect(seen.map((e) => e.cursor).slice(3)).toEqual(['lease:3', 'lease:4', 'completion:2']);
  });

  it("the browser backend's scanner options carry retention to its engine, and its subscribe refuses an expired cursor", async () => {
    const service = await openService({ clock: 'manual', scanners: { retention: { maxAgeMs: HOUR } } });
    try {
      service.invoke('createExecution', [{ laneId: WORKER_ARGS.laneId }]);
      const handle = service.invoke('claim', [WORKER_ARGS]);
      service.invoke('completeExecution', [{ handle }]);
      service.invoke('advanceTime', [{ ms: HOUR }]);
      const refused = catchError(() => service.subscribe(1, { channels: ['lease'], from: ['lease:0'] }, { deliver: () => {} }));
      expect(refused).toMatchObject({ code: 'state.cursor_expired', details: { resumeCursor: 'lease:2' } });
    } finally {
      await service.close();
    }
  });
});
