/**
 * Streams: appendFrame, readStream and readSummary, in-process. Where this
 * backend differs from FlowFabric's SQLite backend the test says so in its
 * name (the reference accepts appends after the attempt ended, stamps
 * frames with the wall clock, stops a '<ms>' upper bound at seq 0, and
 * answers countLimit 0 with nothing).
 */
import { describe, expect, it } from 'vitest';
import type { Handle } from '../../src/index.js';
import { catchError, makeEngine, rows, TEST_START_MS, WORKER } from './helpers.js';

async function claimed(opts: { leaseTtlMs?: number; maxRetries?: number } = {}) {
  const t = await makeEngine();
  const { executionId } = t.engine.createExecution({
    laneId: 'l',
    executionId: '{fp:0}:00000000-0000-4000-8000-000000000001',
    retryPolicy: { maxRetries: opts.maxRetries ?? 0, backoff: { type: 'fixed', delayMs: 1 } },
  }) as { executionId: string };
  const handle = t.engine.claim({ laneId: 'l', ...WORKER, ...(opts.leaseTtlMs ? { leaseTtlMs: opts.leaseTtlMs } : {}) })!;
  return { ...t, executionId, handle };
}

const stream = (executionId: string, attemptIndex = 0) => ({ executionId, attemptIndex });

describe('appendFrame and readStream', () => {
  it('reads frames back in append order with their fields, ids on the engine clock', async () => {
    const { engine, clock, executionId, handle } = await claimed();
    for (let i = 0; i < 3; i++) engine.appendFrame({ handle, payload: `payload-${i}`, kind: 'stdout' });
    clock.advance(5);
    const last = engine.appendFrame({ handle, payload: 'later', frameType: 'token', correlationId: 'c-1' });
    expect(last).toMatchObject({ frameId: `${TEST_START_MS + 5}-0`, frameCount: 4, summaryVersion: null });

    const read = engine.readStream(stream(executionId));
    expect(read.closedAt).toBeNull();
    expect(read.frames.map((f) => f.id)).toEqual([`${TEST_START_MS}-0`, `${TEST_START_MS}-1`, `${TEST_START_MS}-2`, `${TEST_START_MS + 5}-0`]);
    expect(read.frames[0]).toEqual({
      id: `${TEST_START_MS}-0`,
      mode: 'durable',
      fields: { encoding: 'utf8', frame_type: 'stdout', payload: 'payload-0', source: 'worker' },
    });
    expect(read.frames[3]!.fields).toEqual({ correlation_id: 'c-1', encoding: 'utf8', frame_type: 'token', payload: 'later', source: 'worker' });
  });

  it('decodes byte payloads as UTF-8, invalid sequences as U+FFFD', async () => {
    const { engine, executionId, handle } = await claimed();
    engine.appendFrame({ handle, payload: new Uint8Array([0x68, 0xc3, 0xa9, 0xff, 0x21]) });
    expect(engine.readStream(stream(executionId)).frames[0]!.fields['payload']).toBe('hé\uFFFD!');
  });

  it('bounds are inclusive on both sides and the count limit cuts the page', async () => {
    const { engine, clock, executionId, handle } = await claimed();
    for (let ms = 0; ms < 3; ms++) {
      for (let i = 0; i < 2; i++) engine.appendFrame({ handle, payload: `${ms}.${i}` });
      clock.advance(10);
    }
    const t = TEST_START_MS;
    const ids = (r: { frames: { id: string }[] }) => r.frames.map((f) => f.id);
    expect(ids(engine.readStream({ ...stream(executionId), from: `${t}-1`, to: `${t + 10}-0` }))).toEqual([`${t}-1`, `${t + 10}-0`]);
    expect(ids(engine.readStream({ ...stream(executionId), from: `${t + 10}`, to: `${t + 20}-0` }))).toEqual([`${t + 10}-0`, `${t + 10}-1`, `${t + 20}-0`]);
    expect(ids(engine.readStream({ ...stream(executionId), countLimit: 2 }))).toEqual([`${t}-0`, `${t}-1`]);
    expect(ids(engine.readStream({ ...stream(executionId), from: `${t + 30}` }))).toEqual([]);
  });

  it("a '<ms>' upper bound covers every frame of that ms (the reference stops at seq 0)", async () => {
    const { engine, executionId, handle } = await claimed();
    for (let i = 0; i < 3; i++) engine.appendFrame({ handle, payload: String(i) });
    expect(engine.readStream({ ...stream(executionId), to: String(TEST_START_MS) }).frames).toHaveLength(3);
  });

  it('pages by reading again from the last id, which comes back first (the lower bound is inclusive)', async () => {
    const { engine, executionId, handle } = await claimed();
    for (let i = 0; i < 5; i++) engine.appendFrame({ handle, payload: String(i) });
    const first = engine.readStream({ ...stream(executionId), countLimit: 2 }).frames;
    const next = engine.readStream({ ...stream(executionId), from: first[1]!.id, countLimit: 100 }).frames;
    expect(next[0]!.id).toBe(first[1]!.id);
    expect(next.map((f) => f.fields['payload'])).toEqual(['1', '2', '3', '4']);
  });

  it('refuses bad cursors and a count limit outside 1…10000 (the reference answers 0 with nothing)', async () => {
    const { engine, executionId } = await claimed();
    for (const bad of [{ from: '-' }, { to: '+' }, { from: '' }, { from: '12-x' }, { countLimit: 0 }, { countLimit: 10_001 }]) {
      const err = catchError(() => engine.readStream({ ...stream(executionId), ...bad }));
      expect(err.code, JSON.stringify(bad)).toBe('validation.invalid_input');
    }
  });

  it('keeps the frames of each attempt apart', async () => {
    const { engine, clock, executionId, handle } = await claimed({ maxRetries: 1 });
    engine.appendFrame({ handle, payload: 'a0-1' });
    engine.appendFrame({ handle, payload: 'a0-2' });
    engine.failExecution({ handle, reason: 'again' });
    clock.advance(10);
    const second = engine.claim({ laneId: 'l', ...WORKER })!;
    expect(second.attemptIndex).toBe(1);
    engine.appendFrame({ handle: second, payload: 'a1-only' });
    expect(engine.readStream(stream(executionId, 0)).frames).toHaveLength(2);
    expect(engine.readStream(stream(executionId, 1)).frames.map((f) => f.fields['payload'])).toEqual(['a1-only']);
  });

  it('reads a stream nobody wrote as empty and open', async () => {
    const { engine, executionId } = await claimed();
    expect(engine.readStream(stream(executionId, 7))).toEqual({ frames: [], closedAt: null, closedReason: null });
    expect(engine.readStream(stream('{fp:0}:00000000-0000-4000-8000-0000000000ff'))).toEqual({ frames: [], closedAt: null, closedReason: null });
  });
});

describe('closed streams', () => {
  it('refuses an append after the attempt completed, with state.stream_closed (the reference accepts it), and says the stream is closed', async () => {
    const { engine, clock, executionId, handle } = await claimed();
    engine.appendFrame({ handle, payload: 'before' });
    clock.advance(3);
    engine.completeExecution({ handle });
    const before = rows(engine, 'SELECT * FROM ff_stream_frame');
    const err = catchError(() => engine.appendFrame({ handle, payload: 'after' }));
    expect(err.code).toBe('state.stream_closed');
    expect(err.details).toMatchObject({ closedAt: TEST_START_MS + 3, closedReason: 'attempt_success', fenceCode: 'contention.execution_not_active' });
    expect(rows(engine, 'SELECT * FROM ff_stream_frame')).toEqual(before);
    expect(engine.readStream(stream(executionId))).toMatchObject({ closedAt: TEST_START_MS + 3, closedReason: 'attempt_success' });
  });

  it.each([
    ['failed', (e: Awaited<ReturnType<typeof claimed>>) => e.engine.failExecution({ handle: e.handle, reason: 'boom' }), 'attempt_failure'],
    ['cancelled', (e: Awaited<ReturnType<typeof claimed>>) => e.engine.cancelExecution({ executionId: e.executionId }), 'attempt_cancelled'],
    ['delayed', (e: Awaited<ReturnType<typeof claimed>>) => e.engine.delay({ handle: e.handle, delayUntil: TEST_START_MS + 1_000 }), 'attempt_delayed'],
  ])('closes when the attempt is %s', async (_name, end, reason) => {
    const t = await claimed();
    end(t);
    expect(t.engine.readStream(stream(t.executionId)).closedReason).toBe(reason);
    expect(catchError(() => t.engine.appendFrame({ handle: t.handle, payload: 'x' })).code).toBe('state.stream_closed');
  });

  it('closes when the lease expires, at its expiry, before any scanner ran', async () => {
    const { engine, clock, executionId, handle } = await claimed({ leaseTtlMs: 1_000 });
    clock.advance(1_000);
    expect(engine.readStream(stream(executionId))).toMatchObject({ closedAt: TEST_START_MS + 1_000, closedReason: 'lease_expired' });
    expect(catchError(() => engine.appendFrame({ handle, payload: 'late' })).details).toMatchObject({ fenceCode: 'state.lease_expired' });
  });

  it('keeps the fence errors of a handle whose stream is still open', async () => {
    const { engine, handle } = await claimed();
    const forged: Handle = { ...handle, workerInstanceId: 'someone-else' };
    expect(catchError(() => engine.appendFrame({ handle: forged, payload: 'x' })).code).toBe('contention.lease_conflict');
  });
});

describe('summary frames', () => {
  it('merge patches into a document with a version, keys sorted, the null sentinel setting null', async () => {
    const { engine, clock, executionId, handle } = await claimed();
    expect(engine.readSummary(stream(executionId))).toBeNull();
    expect(engine.appendFrame({ handle, payload: '{"b":2,"a":{"x":1}}', mode: 'summary' }).summaryVersion).toBe(1);
    clock.advance(7);
    const second = engine.appendFrame({ handle, payload: '{"a":{"y":"__ff_null__","x":null},"c":[1,"__ff_null__"]}', mode: 'summary' });
    expect(second.summaryVersion).toBe(2);
    expect(engine.readSummary(stream(executionId))).toEqual({
      document: { a: { y: null }, b: 2, c: [1, '__ff_null__'] },
      documentJson: '{"a":{"y":null},"b":2,"c":[1,"__ff_null__"]}',
      version: 2,
      patchKind: 'json-merge-patch',
      firstAppliedMs: TEST_START_MS,
      lastUpdatedMs: TEST_START_MS + 7,
    });
    // The patches are frames too, tagged with the version they produced.
    const frames = engine.readStream(stream(executionId)).frames;
    expect(frames.map((f) => [f.mode, f.fields['summary_version']])).toEqual([['summary', '1'], ['summary', '2']]);
  });

  it('refuses a patch that is not JSON, writing nothing', async () => {
    const { engine, executionId, handle } = await claimed();
    engine.appendFrame({ handle, payload: '{"a":1}', mode: 'summary' });
    const before = engine.exportImage();
    const err = catchError(() => engine.appendFrame({ handle, payload: '{"a":', mode: 'summary' }));
    expect(err.code).toBe('validation.invalid_input');
    expect(err.details['field']).toBe('payload');
    expect(engine.readSummary(stream(executionId))!.version).toBe(1);
    expect(Buffer.compare(Buffer.from(engine.exportImage()), Buffer.from(before))).toBe(0);
  });

  it('a non-object patch replaces the document (RFC 7396)', async () => {
    const { engine, executionId, handle } = await claimed();
    engine.appendFrame({ handle, payload: '{"a":1}', mode: 'summary' });
    engine.appendFrame({ handle, payload: '[1,2]', mode: 'summary' });
    expect(engine.readSummary(stream(executionId))!.document).toEqual([1, 2]);
  });
});

describe('best-effort frames', () => {
  it('requires its config with that mode and refuses it with another', async () => {
    const { engine, handle } = await claimed();
    expect(catchError(() => engine.appendFrame({ handle, payload: 'x', mode: 'best_effort' })).details['field']).toBe('bestEffort');
    expect(catchError(() => engine.appendFrame({ handle, payload: 'x', bestEffort: { ttlMs: 10 } })).details['field']).toBe('bestEffort');
  });

  it('trims the stream to its floor at a low rate, durable frames included, as the reference does', async () => {
    const { engine, clock, executionId, handle } = await claimed();
    engine.appendFrame({ handle, payload: 'durable-first' });
    let last = { frameCount: 0 };
    for (let i = 0; i < 6; i++) {
      clock.advance(1_000);
      last = engine.appendFrame({ handle, payload: `live-${i}`, mode: 'best_effort', bestEffort: { ttlMs: 1_000, maxlenFloor: 3, maxlenCeiling: 100 } });
    }
    expect(last.frameCount).toBe(3);
    const read = engine.readStream(stream(executionId)).frames;
    expect(read.map((f) => f.fields['payload'])).toEqual(['live-3', 'live-4', 'live-5']);
    expect(rows(engine, 'SELECT maxlen_applied_last AS k FROM ff_stream_meta')).toEqual([{ k: 3 }]);
  });

  it('keeps more frames as the append rate rises, up to the ceiling', async () => {
    const { engine, clock, handle } = await claimed();
    const config = { ttlMs: 10_000, maxlenFloor: 2, maxlenCeiling: 40, emaAlpha: 0.5 };
    let count = 0;
    for (let i = 0; i < 200; i++) {
      clock.advance(10); // 100 Hz: 10 s of frames at that rate is 2000, so the ceiling holds
      count = engine.appendFrame({ handle, payload: String(i), mode: 'best_effort', bestEffort: config }).frameCount;
    }
    expect(count).toBe(40);
  });
});
