import { describe, expect, it } from 'vitest';
import type { Engine, ManualClock, RegisterWorkerInput } from '../../src/index.js';
import { nextWorkerExpiryAt, sweepExpiredWorkers } from '../../src/engine/workers/worker-ttl-sweep.js';
import { catchError, makeEngine, rows, sameImage, scannerContext } from './helpers.js';

const W: RegisterWorkerInput = { workerId: 'mailer', workerInstanceId: 'mailer-1', lanes: ['emails'], capabilities: ['smtp'], livenessTtlMs: 10_000 };

function sweep(engine: Engine, clock: ManualClock, limit = 100): number {
  return engine.driver.transaction(() => sweepExpiredWorkers(scannerContext(engine), clock.now(), limit));
}

function events(engine: Engine): Array<[string, string, string | null]> {
  return rows<{ worker_instance_id: string; event_kind: string; reason: string | null }>(
    engine,
    'SELECT worker_instance_id, event_kind, reason FROM ff_worker_registry_event ORDER BY event_at_ms, worker_instance_id, event_kind',
  ).map((r) => [r.worker_instance_id, r.event_kind, r.reason]);
}

describe('registerWorker', () => {
  it('registers a new instance, then refreshes it in place', async () => {
    const { engine, clock } = await makeEngine();
    const t0 = clock.now();
    expect(engine.registerWorker({ ...W, lanes: ['b', 'a', 'b'], capabilities: ['z', 'y'] })).toEqual({ kind: 'registered' });
    expect(engine.listWorkers().workers).toEqual([
      {
        workerId: 'mailer',
        workerInstanceId: 'mailer-1',
        namespace: 'default',
        state: 'alive',
        lanes: ['a', 'b'],
        capabilities: ['y', 'z'],
        lastHeartbeatMs: t0,
        livenessTtlMs: 10_000,
        registeredAtMs: t0,
        expiresAtMs: t0 + 10_000,
      },
    ]);

    clock.advance(3_000);
    expect(engine.registerWorker({ ...W, lanes: ['sms'], capabilities: [], livenessTtlMs: 5_000 })).toEqual({ kind: 'refreshed' });
    expect(engine.listWorkers().workers[0]).toMatchObject({
      lanes: ['sms'],
      capabilities: [],
      lastHeartbeatMs: t0 + 3_000,
      livenessTtlMs: 5_000,
      registeredAtMs: t0,
      expiresAtMs: t0 + 8_000,
    });
    expect(events(engine)).toEqual([
      ['mailer-1', 'registered', null],
      ['mailer-1', 'registered', null],
    ]);
  });

  it('a lapsed but not yet swept instance is refreshed, as in FlowFabric', async () => {
    const { engine, clock } = await makeEngine();
    engine.registerWorker(W);
    clock.advance(20_000);
    expect(engine.registerWorker(W)).toEqual({ kind: 'refreshed' });
  });

  it('re-registering a live instance under another worker id is rejected and writes nothing', async () => {
    const { engine } = await makeEngine();
    engine.registerWorker(W);
    const before = engine.exportImage();
    const err = catchError(() => engine.registerWorker({ ...W, workerId: 'intruder' }));
    expect(err.code).toBe('validation.invalid_input');
    expect(err.message).toContain('instance_id reassigned');
    expect(err.details).toMatchObject({ field: 'workerId', registeredWorkerId: 'mailer' });
    expect(sameImage(engine.exportImage(), before)).toBe(true);
  });

  it('the same instance id in another namespace is another registration', async () => {
    const { engine } = await makeEngine();
    engine.registerWorker(W);
    expect(engine.registerWorker({ ...W, workerId: 'other', namespace: 'ns2' })).toEqual({ kind: 'registered' });
    expect(engine.listWorkers().workers.map((w) => [w.namespace, w.workerId])).toEqual([
      ['default', 'mailer'],
      ['ns2', 'other'],
    ]);
  });

  it('a dead instance registers from scratch, and may change worker id', async () => {
    const { engine, clock } = await makeEngine();
    engine.registerWorker(W);
    engine.markWorkerDead({ workerInstanceId: 'mailer-1', reason: 'oom' });
    clock.advance(1_000);
    expect(engine.registerWorker({ ...W, workerId: 'mailer-v2' })).toEqual({ kind: 'registered' });
    expect(engine.listWorkers().workers[0]).toMatchObject({ workerId: 'mailer-v2', state: 'alive', registeredAtMs: clock.now() });
  });
});

describe('heartbeatWorker', () => {
  it('extends the expiry by the liveness TTL', async () => {
    const { engine, clock } = await makeEngine();
    engine.registerWorker(W);
    clock.advance(4_000);
    expect(engine.heartbeatWorker({ workerInstanceId: 'mailer-1' })).toEqual({ kind: 'refreshed', nextExpiryMs: clock.now() + 10_000 });
    expect(engine.listWorkers().workers[0]).toMatchObject({ lastHeartbeatMs: clock.now(), expiresAtMs: clock.now() + 10_000 });
    expect(events(engine).map((e) => e[1])).toEqual(['registered', 'heartbeat']);
  });

  it('an unknown, lapsed or dead instance is not_registered, and nothing is written', async () => {
    const { engine, clock } = await makeEngine();
    expect(engine.heartbeatWorker({ workerInstanceId: 'ghost' })).toEqual({ kind: 'not_registered' });
    engine.registerWorker(W);
    expect(engine.heartbeatWorker({ workerInstanceId: 'mailer-1', namespace: 'elsewhere' })).toEqual({ kind: 'not_registered' });

    clock.advance(10_000); // exactly at expiry: lapsed (expires_at_ms ≤ now)
    const before = engine.exportImage();
    expect(engine.heartbeatWorker({ workerInstanceId: 'mailer-1' })).toEqual({ kind: 'not_registered' });
    expect(sameImage(engine.exportImage(), before)).toBe(true);

    engine.registerWorker(W);
    engine.markWorkerDead({ workerInstanceId: 'mailer-1', reason: 'bye' });
    expect(engine.heartbeatWorker({ workerInstanceId: 'mailer-1' })).toEqual({ kind: 'not_registered' });
  });
});

describe('markWorkerDead', () => {
  it('keeps the row as dead, with the reason in the audit trail', async () => {
    const { engine } = await makeEngine();
    engine.registerWorker(W);
    expect(engine.markWorkerDead({ workerInstanceId: 'mailer-1', reason: 'drained for deploy' })).toEqual({ kind: 'marked' });
    expect(engine.listWorkers().workers[0]).toMatchObject({ workerInstanceId: 'mailer-1', state: 'dead' });
    expect(events(engine)).toContainEqual(['mailer-1', 'marked_dead', 'drained for deploy']);
    // Already dead, or never registered: nothing to mark.
    expect(engine.markWorkerDead({ workerInstanceId: 'mailer-1', reason: 'again' })).toEqual({ kind: 'not_registered' });
    expect(engine.markWorkerDead({ workerInstanceId: 'ghost', reason: '' })).toEqual({ kind: 'not_registered' });
  });

  it('accepts a reason of exactly 256 bytes', async () => {
    const { engine } = await makeEngine();
    engine.registerWorker(W);
    expect(engine.markWorkerDead({ workerInstanceId: 'mailer-1', reason: 'é'.repeat(128) })).toEqual({ kind: 'marked' });
  });

  const badReasons: Array<[string, string, string]> = [
    ['over 256 bytes (multi-byte characters count as bytes)', 'é'.repeat(128) + 'x', 'exceeds 256 bytes (got 257)'],
    ['a control character', 'line\nbreak', 'must not contain control characters'],
    ['DEL', 'a\u007fb', 'must not contain control characters'],
  ];
  for (const [label, reason, message] of badReasons) {
    it(`rejects a reason with ${label}, and writes nothing`, async () => {
      const { engine } = await makeEngine();
      engine.registerWorker(W);
      const before = engine.exportImage();
      const err = catchError(() => engine.markWorkerDead({ workerInstanceId: 'mailer-1', reason }));
      expect(err).toMatchObject({ code: 'validation.invalid_input', details: { field: 'reason' } });
      expect(err.message).toContain(message);
      expect(sameImage(engine.exportImage(), before)).toBe(true);
    });
  }
});

describe('listWorkers', () => {
  async function populated(): Promise<Engine> {
    const { engine } = await makeEngine();
    for (const [namespace, id] of [
      ['b', 'w-2'],
      ['a', 'w-3'],
      ['b', 'w-1'],
      ['a', 'w-1'],
      ['c', 'ünïcode|pipe'],
    ] as const) {
      engine.registerWorker({ ...W, namespace, workerInstanceId: id });
    }
    return engine;
  }

  it('lists every namespace when none is given, in (namespace, instance) order', async () => {
    const engine = await populated();
    expect(engine.listWorkers().workers.map((w) => `${w.namespace}/${w.workerInstanceId}`)).toEqual([
      'a/w-1',
      'a/w-3',
      'b/w-1',
      'b/w-2',
      'c/ünïcode|pipe',
    ]);
  });

  it('filters by namespace', async () => {
    const engine = await populated();
    expect(engine.listWorkers({ namespace: 'b' }).workers.map((w) => w.workerInstanceId)).toEqual(['w-1', 'w-2']);
    expect(engine.listWorkers({ namespace: 'nope' })).toEqual({ workers: [], nextCursor: null });
  });

  it('pages with a cursor, across namespaces and through any name', async () => {
    const engine = await populated();
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = engine.listWorkers({ limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...page.workers.map((w) => `${w.namespace}/${w.workerInstanceId}`));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(['a/w-1', 'a/w-3', 'b/w-1', 'b/w-2', 'c/ünïcode|pipe']);

    const first = engine.listWorkers({ namespace: 'a', limit: 1 });
    expect(first.nextCursor).not.toBeNull();
    const second = engine.listWorkers({ namespace: 'a', limit: 1, cursor: first.nextCursor! });
    expect(second.workers.map((w) => w.workerInstanceId)).toEqual(['w-3']);
    expect(engine.listWorkers({ namespace: 'a', limit: 1, cursor: second.nextCursor! })).toEqual({ workers: [], nextCursor: null });
  });

  it('rejects a cursor it did not mint', async () => {
    const { engine } = await makeEngine();
    for (const cursor of ['!!!', btoa('hello'), btoa(JSON.stringify(['w1', 1, 2]))]) {
      expect(catchError(() => engine.listWorkers({ cursor })).details['field']).toBe('cursor');
    }
  });
});

describe('worker TTL sweep (scanner body)', () => {
  it('marks only lapsed instances dead (expires_at_ms ≤ now), earliest first, with a ttl_swept event', async () => {
    const { engine, clock } = await makeEngine();
    engine.registerWorker({ ...W, workerInstanceId: 'short', livenessTtlMs: 1_000 });
    engine.registerWorker({ ...W, workerInstanceId: 'medium', livenessTtlMs: 2_000 });
    engine.registerWorker({ ...W, workerInstanceId: 'long', livenessTtlMs: 60_000 });
    const t0 = clock.now();
    expect(engine.driver.transaction(() => nextWorkerExpiryAt(scannerContext(engine)))).toBe(t0 + 1_000);

    clock.advance(999);
    expect(sweep(engine, clock)).toBe(0);
    clock.advance(1); // exactly at the short one's expiry
    expect(sweep(engine, clock)).toBe(1);
    expect(nextWorkerExpiryAt(scannerContext(engine))).toBe(t0 + 2_000);

    clock.advance(5_000);
    expect(sweep(engine, clock)).toBe(1);
    expect(sweep(engine, clock)).toBe(0);
    expect(engine.listWorkers().workers.map((w) => [w.workerInstanceId, w.state])).toEqual([
      ['long', 'alive'],
      ['medium', 'dead'],
      ['short', 'dead'],
    ]);
    expect(events(engine).filter((e) => e[1] === 'ttl_swept').map((e) => e[0])).toEqual(['short', 'medium']);
    expect(nextWorkerExpiryAt(scannerContext(engine))).toBe(t0 + 60_000);
  });

  it('respects the limit, and a heartbeat keeps an instance out of the sweep', async () => {
    const { engine, clock } = await makeEngine();
    for (let i = 0; i < 5; i++) engine.registerWorker({ ...W, workerInstanceId: `w${i}`, livenessTtlMs: 1_000 + i });
    clock.advance(500);
    engine.heartbeatWorker({ workerInstanceId: 'w0' });
    clock.advance(600);
    expect(sweep(engine, clock, 2)).toBe(2);
    expect(sweep(engine, clock, 2)).toBe(2);
    expect(sweep(engine, clock, 2)).toBe(0);
    expect(engine.listWorkers().workers.map((w) => w.state)).toEqual(['alive', 'dead', 'dead', 'dead', 'dead']);
  });

  it('next expiry is null when no instance is alive', async () => {
    const { engine } = await makeEngine();
    expect(nextWorkerExpiryAt(scannerContext(engine))).toBeNull();
    engine.registerWorker(W);
    engine.markWorkerDead({ workerInstanceId: 'mailer-1', reason: 'gone' });
    expect(nextWorkerExpiryAt(scannerContext(engine))).toBeNull();
  });
});

describe('worker registry: bad input names the field and writes nothing', () => {
  const cases: Array<[string, (e: Engine) => unknown, string]> = [
    ['empty worker id', (e) => e.registerWorker({ ...W, workerId: '' }), 'workerId'],
    ['control chars in instance id', (e) => e.registerWorker({ ...W, workerInstanceId: 'a\u0001' }), 'workerInstanceId'],
    ['zero liveness TTL', (e) => e.registerWorker({ ...W, livenessTtlMs: 0 }), 'livenessTtlMs'],
    ['missing lanes', (e) => e.registerWorker({ ...W, lanes: undefined } as never), 'lanes'],
    ['a bad lane', (e) => e.registerWorker({ ...W, lanes: ['ok', ''] }), 'lanes.1'],
    ['a bad capability', (e) => e.registerWorker({ ...W, capabilities: [7] as never }), 'capabilities.0'],
    ['unknown key', (e) => e.registerWorker({ ...W, ttl: 5 } as never), '(input)'],
    ['heartbeat without instance', (e) => e.heartbeatWorker({} as never), 'workerInstanceId'],
    ['empty namespace', (e) => e.heartbeatWorker({ workerInstanceId: 'x', namespace: '' }), 'namespace'],
    ['mark dead without reason', (e) => e.markWorkerDead({ workerInstanceId: 'mailer-1' } as never), 'reason'],
    ['list limit 0', (e) => e.listWorkers({ limit: 0 }), 'limit'],
    ['list limit over 1000', (e) => e.listWorkers({ limit: 1001 }), 'limit'],
  ];
  for (const [label, fn, field] of cases) {
    it(label, async () => {
      const { engine } = await makeEngine();
      engine.registerWorker(W);
      const before = engine.exportImage();
      const err = catchError(() => fn(engine));
      expect(err.code).toBe('validation.invalid_input');
      expect(err.details['field']).toBe(field);
      expect(sameImage(engine.exportImage(), before)).toBe(true);
    });
  }
});
