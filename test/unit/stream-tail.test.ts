/**
 * tailStream: a wait on the engine clock. Under a ManualClock it ends when
 * an advance reaches its deadline and never on the wall clock; an append
 * ends it early; a closed stream answers at once. Through the browser client
 * a pending tail does not hold up other calls.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { BrowserBackend } from '../../src/client/browser-backend.js';
import type { StreamFrames } from '../../src/api/streams.js';
import { channelBackend, settle, WORKER_ARGS } from './boundary-helpers.js';
import { makeEngine, TEST_START_MS, WORKER } from './helpers.js';

async function claimed() {
  const t = await makeEngine();
  const { executionId } = t.engine.createExecution({ laneId: 'l' }) as { executionId: string };
  const handle = t.engine.claim({ laneId: 'l', ...WORKER })!;
  return { ...t, executionId, handle };
}

/** Follows a promise without awaiting it, so a test can tell whether it settled yet. */
function watch<T>(promise: Promise<T>): { settled: () => boolean; promise: Promise<T> } {
  let done = false;
  void promise.then(
    () => (done = true),
    () => (done = true),
  );
  return { settled: () => done, promise };
}

describe('tailStream in-process', () => {
  it('returns frames already there at once (after "0-0", blockMs 0)', async () => {
    const { engine, executionId, handle } = await claimed();
    engine.appendFrame({ handle, payload: 'one' });
    const result = await engine.tailStream({ executionId, attemptIndex: 0, after: '0-0' });
    expect(result.frames.map((f) => f.fields['payload'])).toEqual(['one']);
  });

  it('is strict after its cursor', async () => {
    const { engine, executionId, handle } = await claimed();
    const first = engine.appendFrame({ handle, payload: 'one' });
    engine.appendFrame({ handle, payload: 'two' });
    const result = await engine.tailStream({ executionId, attemptIndex: 0, after: first.frameId });
    expect(result.frames.map((f) => f.fields['payload'])).toEqual(['two']);
  });

  it('times out on the virtual clock: open and empty once an advance reaches blockMs, not before', async () => {
    const { engine, clock, executionId } = await claimed();
    const tail = watch(engine.tailStream({ executionId, attemptIndex: 0, after: '0-0', blockMs: 150 }));
    await settle();
    expect(tail.settled()).toBe(false);
    clock.advance(149);
    await settle();
    expect(tail.settled()).toBe(false);
    clock.advance(1);
    expect(await tail.promise).toEqual({ frames: [], closedAt: null, closedReason: null });
    expect(clock.now()).toBe(TEST_START_MS + 150);
  });

  it('wakes on an append and returns that frame, ignoring other streams meanwhile', async () => {
    const { engine, executionId, handle } = await claimed();
    engine.createExecution({ laneId: 'other' });
    const other = engine.claim({ laneId: 'other', ...WORKER })!;
    const tail = watch(engine.tailStream({ executionId, attemptIndex: 0, after: '0-0', blockMs: 2_000 }));
    engine.appendFrame({ handle: other, payload: 'elsewhere' });
    await settle();
    expect(tail.settled()).toBe(false);
    engine.appendFrame({ handle, payload: 'late' });
    const result = await tail.promise;
    expect(result.frames.map((f) => f.fields['payload'])).toEqual(['late']);
  });

  it('leaves best-effort frames out with visibility exclude_best_effort', async () => {
    const { engine, executionId, handle } = await claimed();
    engine.appendFrame({ handle, payload: 'dur' });
    engine.appendFrame({ handle, payload: 'live', mode: 'best_effort', bestEffort: { ttlMs: 60_000 } });
    const all = await engine.tailStream({ executionId, attemptIndex: 0, after: '0-0' });
    const durable = await engine.tailStream({ executionId, attemptIndex: 0, after: '0-0', visibility: 'exclude_best_effort' });
    expect(all.frames).toHaveLength(2);
    expect(durable.frames.map((f) => f.fields['payload'])).toEqual(['dur']);
  });

  it('answers at once on a closed stream, and ends a wait when the attempt ends', async () => {
    const { engine, executionId, handle } = await claimed();
    const tail = watch(engine.tailStream({ executionId, attemptIndex: 0, after: '0-0', blockMs: 30_000 }));
    await settle();
    expect(tail.settled()).toBe(false);
    engine.completeExecution({ handle });
    expect(await tail.promise).toEqual({ frames: [], closedAt: TEST_START_MS, closedReason: 'attempt_success' });
    const after = await engine.tailStream({ executionId, attemptIndex: 0, after: '0-0', blockMs: 30_000 });
    expect(after.closedReason).toBe('attempt_success');
  });

  it('refuses start/end cursors and a blockMs over 30 s, as rejections', async () => {
    const { engine, executionId } = await claimed();
    for (const bad of [{ after: 'start' }, { after: 'end' }, { after: '0-0', blockMs: 30_001 }, { after: '0-0', countLimit: 0 }]) {
      await expect(engine.tailStream({ executionId, attemptIndex: 0, ...bad } as never)).rejects.toMatchObject({ code: 'validation.invalid_input' });
    }
  });

  it('rejects a pending tail with closed when the engine closes', async () => {
    const { engine, executionId } = await claimed();
    const tail = engine.tailStream({ executionId, attemptIndex: 0, after: '0-0', blockMs: 1_000 });
    engine.close();
    await expect(tail).rejects.toMatchObject({ code: 'closed' });
    await expect(engine.tailStream({ executionId, attemptIndex: 0, after: '0-0' })).rejects.toMatchObject({ code: 'closed' });
  });
});

describe('tailStream through the browser client', () => {
  const open: BrowserBackend[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.close().catch(() => {})));
  });

  it('a pending tail holds up no other call, and an append from the same client ends it', async () => {
    const { client } = await channelBackend();
    open.push(client);
    const { executionId } = (await client.createExecution({ laneId: WORKER_ARGS.laneId })) as { executionId: string };
    const handle = (await client.claim(WORKER_ARGS))!;
    let tailed: StreamFrames | undefined;
    // Issued in the same tick as other calls: they answer while the tail waits.
    const tail = client.tailStream({ executionId, attemptIndex: 0, after: '0-0', blockMs: 30_000 }).then((r) => (tailed = r));
    const [state, now] = await Promise.all([client.readExecutionState({ executionId }), client.now()]);
    expect(state).toBe('active');
    expect(typeof now).toBe('number');
    expect(tailed).toBeUndefined();
    await client.appendFrame({ handle, payload: 'hello' });
    await tail;
    expect(tailed!.frames.map((f) => f.fields['payload'])).toEqual(['hello']);
  });

  it('times out when the virtual clock is advanced through the client', async () => {
    const { client } = await channelBackend();
    open.push(client);
    const { executionId } = (await client.createExecution({ laneId: WORKER_ARGS.laneId })) as { executionId: string };
    await client.claim(WORKER_ARGS);
    const tail = watch(client.tailStream({ executionId, attemptIndex: 0, after: '0-0', blockMs: 5_000 }));
    await client.advanceTime({ ms: 4_999 });
    await settle();
    expect(tail.settled()).toBe(false);
    await client.advanceTime({ ms: 1 });
    expect(await tail.promise).toEqual({ frames: [], closedAt: null, closedReason: null });
  });
});
