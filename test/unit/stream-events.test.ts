/**
 * The `stream` outbox channel: every appended frame is an event with a
 * cursor, read by readEvents and delivered by subscriptions (the worker's
 * event hub, and the browser client) in order, resumable with no gap and no
 * duplicate; retention trims frames of old terminal executions and says so
 * to a cursor below what it deleted.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { BrowserBackend } from '../../src/client/browser-backend.js';
import type { Engine, Handle } from '../../src/index.js';
import { EventHub } from '../../src/worker/event-hub.js';
import type { BackendEvent } from '../../src/worker/protocol.js';
import { channelBackend, until, WORKER_ARGS } from './boundary-helpers.js';
import { migrationFiles } from '../../src/db/migration-files.js';
import { migrate } from '../../src/db/migrate.js';
import { catchError, makeEngine, openDriver, rows, TEST_START_MS, WORKER } from './helpers.js';

const HOUR = 3_600_000;

function claimOne(engine: Engine, laneId = 'l', tags: Record<string, string> = {}): Handle {
  engine.createExecution({ laneId, namespace: 'ns-a', tags });
  return engine.claim({ laneId, ...WORKER })!;
}

async function engineWithHub(scanners: Parameters<typeof makeEngine>[0] = {}) {
  const t = await makeEngine(scanners);
  const hub = new EventHub(() => t.engine);
  t.engine.onCommit((events) => hub.onCommit(events));
  return { ...t, hub };
}

describe('readEvents on the stream channel', () => {
  it('lists frames as events with their stream, frame id, mode, fields, namespace and instance tag', async () => {
    const { engine } = await makeEngine();
    const handle = claimOne(engine, 'l', { 'cairn.instance_id': 'inst-7' });
    const appended = engine.appendFrame({ handle, payload: 'hi', kind: 'stdout' });
    const { events, lastEventId } = engine.readEvents({ channel: 'stream' });
    expect(lastEventId).toBe(appended.eventId);
    expect(events).toEqual([
      {
        channel: 'stream',
        eventId: appended.eventId,
        executionId: handle.executionId,
        attemptIndex: 0,
        frameId: `${TEST_START_MS}-0`,
        mode: 'durable',
        fields: { encoding: 'utf8', frame_type: 'stdout', payload: 'hi', source: 'worker' },
        namespace: 'ns-a',
        instanceTag: 'inst-7',
        occurredAtMs: TEST_START_MS,
      },
    ]);
  });
});

describe('stream subscriptions', () => {
  it('resuming from a cursor after 10k frames replays exactly the frames after it', async () => {
    const { engine, hub } = await engineWithHub();
    const handle = claimOne(engine);
    const live: BackendEvent[] = [];
    hub.subscribe(1, { channels: ['stream'] }, { deliver: (events) => void live.push(...events) });
    for (let i = 0; i < 10_000; i++) engine.appendFrame({ handle, payload: String(i) });
    await Promise.resolve();
    expect(live).toHaveLength(10_000);
    expect(live.map((e) => e.channel === 'stream' && e.fields['payload'])).toEqual(Array.from({ length: 10_000 }, (_, i) => String(i)));

    const cut = live[6_999]!.cursor;
    const resumed: BackendEvent[] = [];
    hub.subscribe(1, { channels: ['stream'], from: [cut] }, { deliver: (events) => void resumed.push(...events) });
    // Catch-up first (in pages of the outbox read), then live frames, with no gap and no duplicate.
    for (let i = 0; i < 10; i++) engine.appendFrame({ handle, payload: `live-${i}` });
    await Promise.resolve();
    expect(resumed.slice(0, 3_000).map((e) => e.cursor)).toEqual(live.slice(7_000, 10_000).map((e) => e.cursor));
    expect(resumed.slice(3_000).map((e) => e.channel === 'stream' && e.fields['payload'])).toEqual(Array.from({ length: 10 }, (_, i) => `live-${i}`));
    const ids = resumed.map((e) => (e.channel === 'stream' ? e.eventId : 0));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it('a subscriber that attaches mid-stream gets the catch-up, then live frames', async () => {
    const { engine, hub } = await engineWithHub();
    const handle = claimOne(engine);
    engine.appendFrame({ handle, payload: 'a' });
    engine.appendFrame({ handle, payload: 'b' });
    const seen: BackendEvent[] = [];
    hub.subscribe(1, { channels: ['stream'], from: ['stream:0'] }, { deliver: (events) => void seen.push(...events) });
    expect(seen.map((e) => e.cursor)).toEqual(['stream:1', 'stream:2']);
    engine.appendFrame({ handle, payload: 'c' });
    await Promise.resolve();
    expect(seen.map((e) => e.channel === 'stream' && e.fields['payload'])).toEqual(['a', 'b', 'c']);
  });

  it('retention trims the frames of an old terminal execution and a cursor below them is refused as expired', async () => {
    const { engine, clock, hub } = await engineWithHub({ scanners: { retention: { maxAgeMs: HOUR } } });
    const handle = claimOne(engine);
    engine.appendFrame({ handle, payload: '{"k":1}', mode: 'summary' });
    engine.appendFrame({ handle, payload: 'x' });
    engine.completeExecution({ handle });
    const kept = claimOne(engine, 'k');
    engine.appendFrame({ handle: kept, payload: 'kept' });
    clock.advance(2 * HOUR);
    expect(rows(engine, 'SELECT fields FROM ff_stream_frame').length).toBe(1);
    expect(engine.readStream({ executionId: handle.executionId, attemptIndex: 0 }).frames).toEqual([]);
    // The summary of a kept attempt stays, like the attempt.
    expect(engine.readSummary({ executionId: handle.executionId, attemptIndex: 0 })).toMatchObject({ document: { k: 1 }, version: 1 });
    expect(engine.readEvents({ channel: 'stream', afterEventId: 0 }).cursorExpired).toEqual({ trimmedThroughEventId: 2, oldestRetainedEventId: 3 });
    const refused = catchError(() => hub.subscribe(1, { channels: ['stream'], from: ['stream:1'] }, { deliver: () => {} }));
    expect(refused).toMatchObject({ code: 'state.cursor_expired', details: { resumeCursor: 'stream:2' } });
  });
});

describe('the stream channel through the browser client', () => {
  const open: BrowserBackend[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.close().catch(() => {})));
  });

  it('delivers frames with cursors and resumes from one', async () => {
    const { client } = await channelBackend();
    open.push(client);
    await client.createExecution({ laneId: WORKER_ARGS.laneId });
    const handle = (await client.claim(WORKER_ARGS))!;
    const seen: BackendEvent[] = [];
    const sub = await client.subscribe({ channels: ['stream'] }, (e) => seen.push(e));
    await client.appendFrame({ handle, payload: 'one' });
    await client.appendFrame({ handle, payload: 'two' });
    await until(() => seen.length === 2);
    expect(seen.map((e) => e.cursor)).toEqual(['stream:1', 'stream:2']);
    await sub.unsubscribe();
    await client.appendFrame({ handle, payload: 'three' });
    const resumed: BackendEvent[] = [];
    await client.subscribe({ channels: ['stream'], from: [seen[0]!.cursor] }, (e) => resumed.push(e));
    await until(() => resumed.length === 2);
    expect(resumed.map((e) => e.channel === 'stream' && e.fields['payload'])).toEqual(['two', 'three']);
  });
});

describe('migration 0013', () => {
  it('carries frames written under 0004 over, in order, with event ids, namespace, instance tag and frame counts', async () => {
    const db = await openDriver();
    const upTo = (version: number) => migrationFiles.filter((f) => Number(f.name.slice(0, 4)) <= version);
    migrate(db, upTo(10), TEST_START_MS);
    db.exec(`INSERT INTO ff_exec_core (execution_id, namespace, execution_kind, lane_id, lifecycle_phase, ownership_state,
               eligibility_state, attempt_state, public_state, created_at_ms, tags)
             VALUES ('e1', 'ns', 'k', 'l', 'active', 'leased', 'not_applicable', 'running_attempt', 'active', 0, '{"cairn.instance_id":"i1"}')`);
    for (const [ts, seq] of [[5, 0], [5, 1], [9, 0]]) {
      db.exec(`INSERT INTO ff_stream_frame (execution_id, attempt_index, ts_ms, seq, fields, mode, created_at_ms)
               VALUES ('e1', 0, ${ts}, ${seq}, '{"payload":"${ts}-${seq}"}', 'durable', ${ts})`);
    }
    migrate(db, migrationFiles, TEST_START_MS);
    expect(db.prepare('SELECT event_id, ts_ms, seq, namespace, instance_tag FROM ff_stream_frame ORDER BY event_id').all()).toEqual([
      { event_id: 1, ts_ms: 5, seq: 0, namespace: 'ns', instance_tag: 'i1' },
      { event_id: 2, ts_ms: 5, seq: 1, namespace: 'ns', instance_tag: 'i1' },
      { event_id: 3, ts_ms: 9, seq: 0, namespace: 'ns', instance_tag: 'i1' },
    ]);
    expect(db.prepare('SELECT frame_count FROM ff_stream_meta').all()).toEqual([{ frame_count: 3 }]);
    db.close();
  });
});
