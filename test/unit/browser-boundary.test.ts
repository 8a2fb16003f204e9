/**
 * The worker boundary in Node: a real host and client with comlink between
 * them, over a MessageChannel or a worker thread.
 */
import * as Comlink from 'comlink';
import type { Endpoint } from 'comlink';
import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineError } from '../../src/api/errors.js';
import type { BrowserBackend } from '../../src/client/browser-backend.js';
import { MemoryPersistence } from '../../src/persistence/memory-persistence.js';
import type { PersistedMeta, SaveReport } from '../../src/persistence/persistence.js';
import { BackendHost } from '../../src/worker/backend-host.js';
import type { BackendConnection } from '../../src/worker/backend-connection.js';
import type { BackendEvent } from '../../src/worker/protocol.js';
import { REMOTE_ENGINE_METHODS } from '../../src/worker/remote-methods.js';
import { toWireError } from '../../src/worker/wire.js';
import { Engine } from '../../src/engine/engine.js';
import { connectBackend, type BackendTransport } from '../../src/client/connect-backend.js';
import { ManualTimer } from '../../src/worker-runtime/manual-timer.js';
import { BASE_CONFIG, channelBackend, LANE, rejection, settle, sleep, threadBackend, until, WORKER_ARGS } from './boundary-helpers.js';
import { openDriver } from './helpers.js';
import { z } from 'zod';

const open: BrowserBackend[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close().catch(() => {})));
});
async function client(...args: Parameters<typeof channelBackend>): Promise<Awaited<ReturnType<typeof channelBackend>>> {
  const backend = await channelBackend(...args);
  open.push(backend.client);
  return backend;
}


describe('engine methods across the boundary', () => {
  it('every remote method name is a method of Engine', () => {
    for (const name of REMOTE_ENGINE_METHODS) expect(typeof Engine.prototype[name], name).toBe('function');
  });

  it('runs a create → claim → complete round trip', async () => {
    const { client: backend } = await client();
    const { executionId } = (await backend.createExecution({ laneId: LANE, payload: new Uint8Array([1, 2, 3]) })) as { executionId: string };
    const handle = await backend.claim(WORKER_ARGS);
    expect(handle?.executionId).toBe(executionId);
    await backend.completeExecution({ handle: handle!, result: 'done' });
    expect(await backend.readExecutionState({ executionId })).toBe('completed');
    expect(await backend.getExecutionResult({ executionId })).toBe('done');
  });
});

describe('calls issued together travel as one batch', () => {
  it('each call of a batch succeeds or fails on its own, in issue order', async () => {
    const { client: backend } = await client();
    const results = await Promise.allSettled([
      backend.createExecution({ laneId: LANE }),
      backend.createExecution({ laneId: '' }),
      backend.claim(WORKER_ARGS),
      // @ts-expect-error scanner names are a closed union; the worker refuses an unknown one too
      backend.runScanner({ scanner: 'no_such_scanner' }),
      backend.listLanes(),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled']);
    const created = (results[0] as PromiseFulfilledResult<{ executionId: string }>).value;
    // The claim ran after the create of the same batch.
    expect((results[2] as PromiseFulfilledResult<{ executionId: string }>).value.executionId).toBe(created.executionId);
    expect(((results[1] as PromiseRejectedResult).reason as EngineError).code).toBe('validation.invalid_input');
    expect((results[3] as PromiseRejectedResult).reason).toBeInstanceOf(Error);
  });

  it('a flood of concurrent calls all resolve', async () => {
    const { client: backend } = await client();
    const created = await Promise.all(Array.from({ length: 600 }, () => backend.createExecution({ laneId: LANE })));
    expect(new Set(created.map((c) => (c as { executionId: string }).executionId)).size).toBe(600);
  });
});

describe('errors cross the boundary with code and details', () => {
  it('a validation error arrives as an EngineError with plain issues', async () => {
    const { client: backend } = await client();
    const err = await rejection(backend.createExecution({ laneId: '' }));
    expect(err).toBeInstanceOf(EngineError);
    expect(err.code).toBe('validation.invalid_input');
    expect(err.details['field']).toBe('laneId');
    const issues = err.details['issues'] as { path: string; code: string; message: string }[];
    expect(issues[0]).toEqual({ path: 'laneId', code: expect.any(String), message: expect.any(String) });
    expect(Object.keys(issues[0]!)).toEqual(['path', 'code', 'message']);
    expect(err.stack).toContain('thrown in the backend worker');
  });

  it('fencing errors keep their code and details', async () => {
    const { client: backend } = await client();
    await backend.createExecution({ laneId: LANE });
    const handle = (await backend.claim(WORKER_ARGS))!;
    await backend.completeExecution({ handle });
    const err = await rejection(backend.completeExecution({ handle }));
    expect(err).toBeInstanceOf(EngineError);
    expect(err.code).toMatch(/^(contention|state)\./);
    expect(err.details).toMatchObject({ executionId: handle.executionId });
  });

  it('a raw zod error becomes validation.invalid_input with plain issues', () => {
    const result = z.strictObject({ n: z.number() }).safeParse({ n: 'x' });
    const wire = toWireError(result.error);
    expect(wire).toMatchObject({ code: 'validation.invalid_input', details: { field: 'n' } });
    expect(structuredClone(wire!.details)).toEqual(wire!.details);
    expect((wire!.details['issues'] as unknown[]).length).toBe(1);
  });

  it('a method outside the remote list is refused', async () => {
    const { port1, port2 } = new MessageChannel();
    const host = new BackendHost({ kind: 'in-process', deps: async () => ({ persistence: new MemoryPersistence(), openDriver, banner: false }) });
    host.serve(port1 as unknown as Endpoint);
    const remote = Comlink.wrap<BackendConnection>(port2 as unknown as Endpoint);
    await remote.open(BASE_CONFIG);
    for (const name of ['exportImage', 'close', 'onCommit', 'write', 'constructor']) {
      const err = await rejection(remote.invoke(name, []) as Promise<unknown>);
      expect(err.code, name).toBe('unavailable');
    }
    await remote.disconnect();
    port2.close();
  });

  it('a second client must agree on persistence and clock', async () => {
    const { host } = await client();
    const err = await rejection(channelBackend({ clock: 'real' }, undefined, host));
    expect(err.code).toBe('unavailable');
    expect(err.details).toMatchObject({ option: 'clock' });
  });
});

describe('the connect timeout', () => {
  it('a worker that never answers fails the connect with closed when the timeout passes, not before', async () => {
    const timer = new ManualTimer();
    const { port1, port2 } = new MessageChannel(); // nothing serves port1
    let transportClosed = false;
    const transport: BackendTransport = {
      endpoint: port2 as unknown as Endpoint,
      onDead: () => {},
      close: () => {
        transportClosed = true;
        port2.close();
      },
    };
    let settled = false;
    const connecting = connectBackend(transport, BASE_CONFIG, { connectTimeoutMs: 1_000, timer });
    void connecting.catch(() => {}).finally(() => (settled = true));
    await until(() => timer.pending === 1); // set once the page holds its Web Lock, where there are locks
    timer.advance(999);
    await settle();
    expect(settled).toBe(false);
    expect(transportClosed).toBe(false);
    timer.advance(1);
    const err = await rejection(connecting);
    expect(err).toBeInstanceOf(EngineError);
    expect(err).toMatchObject({ code: 'closed', details: { reason: 'connect timeout' } });
    expect(transportClosed).toBe(true);
    port1.close();
  });

  it('is cleared once the worker answers: the client outlives it', async () => {
    const timer = new ManualTimer();
    const { client: backend } = await client({}, undefined, undefined, { connectTimeoutMs: 1_000, timer });
    expect(timer.pending).toBe(0);
    timer.advance(10_000);
    expect(await backend.now()).toEqual(expect.any(Number));
  });
});

class SlowPersistence extends MemoryPersistence {
  override async save(image: Uint8Array, meta: PersistedMeta): Promise<SaveReport> {
    await sleep(60_000);
    return super.save(image, meta);
  }
}

describe('a pending call never hangs', () => {
  it('rejects with closed when the worker side of the channel closes mid-call', async () => {
    const { client: backend, servicePort } = await client({ persistDebounceMs: 60_000 }, new SlowPersistence());
    await backend.createExecution({ laneId: LANE });
    const pending = backend.flush();
    await sleep(20);
    servicePort.close();
    const err = await rejection(pending);
    expect(err).toBeInstanceOf(EngineError);
    expect(err.code).toBe('closed');
    expect((await rejection(backend.now())).code).toBe('closed');
    expect((await backend.closed).code).toBe('closed');
  });

  it('rejects every call after close()', async () => {
    const { client: backend } = await client();
    await backend.createExecution({ laneId: LANE });
    await backend.close();
    expect((await rejection(backend.listLanes())).code).toBe('closed');
    await backend.close(); // twice is fine
  });

  it('rejects with closed when the worker thread is terminated during a call', async () => {
    const { client: backend, worker } = await threadBackend();
    await backend.createExecution({ laneId: LANE });
    const pending = backend.measureInWorker({ op: 'createExecution', count: 2_000_000 });
    await sleep(200);
    await worker.terminate();
    const err = await rejection(pending);
    expect(err.code).toBe('closed');
    expect(err.details['reason']).toMatch(/exit/);
  });

  it('rejects with closed when the worker thread crashes during a call', async () => {
    const { client: backend } = await threadBackend({ slowSaveMs: 60_000, crashAfterMs: 1_500 });
    await backend.createExecution({ laneId: LANE });
    const err = await rejection(backend.flush());
    expect(err.code).toBe('closed');
    expect(String(err.details['reason'])).toMatch(/simulated crash|exit/);
  });
});

describe('subscriptions', () => {
  async function completeOne(backend: BrowserBackend): Promise<string> {
    const { executionId } = (await backend.createExecution({ laneId: LANE })) as { executionId: string };
    const handle = (await backend.claim(WORKER_ARGS))!;
    await backend.completeExecution({ handle });
    return executionId;
  }

  it('delivers completion and lease events in order, each with a cursor', async () => {
    const { client: backend } = await client();
    const seen: BackendEvent[] = [];
    await backend.subscribe({ channels: ['completion', 'lease'] }, (e) => seen.push(e));
    const a = await completeOne(backend);
    const b = await completeOne(backend);
    await until(() => seen.filter((e) => e.channel === 'completion').length === 2);
    const completions = seen.filter((e) => e.channel === 'completion');
    expect(completions.map((e) => e.channel === 'completion' && e.executionId)).toEqual([a, b]);
    expect(completions.map((e) => e.cursor)).toEqual(['completion:1', 'completion:2']);
    expect(seen.filter((e) => e.channel === 'lease').map((e) => e.channel === 'lease' && e.eventType)).toEqual(['acquired', 'released', 'acquired', 'released']);
  });

  it('resumes from a cursor: catch-up then live, no gap and no duplicate', async () => {
    const { client: backend } = await client();
    const first: BackendEvent[] = [];
    const sub = await backend.subscribe({ channels: ['completion'] }, (e) => first.push(e));
    await completeOne(backend);
    await until(() => first.length === 1);
    await sub.unsubscribe();
    const missed = [await completeOne(backend), await completeOne(backend)];
    const resumed: BackendEvent[] = [];
    await backend.subscribe({ channels: ['completion'], from: [first[0]!.cursor] }, (e) => resumed.push(e));
    const live = [await completeOne(backend), await completeOne(backend)];
    // One subscriber's events arrive in order: a duplicate would come before the last one.
    await until(() => resumed.some((e) => e.channel === 'completion' && e.executionId === live[1]));
    expect(resumed.map((e) => e.channel === 'completion' && e.executionId)).toEqual([...missed, ...live]);
    expect(new Set(resumed.map((e) => e.cursor)).size).toBe(4);
  });

  it("replays an outbox from '<channel>:0'", async () => {
    const { client: backend } = await client();
    const ids = [await completeOne(backend), await completeOne(backend)];
    const seen: BackendEvent[] = [];
    await backend.subscribe({ channels: ['completion'], from: ['completion:0'] }, (e) => seen.push(e));
    await until(() => seen.length === 2);
    expect(seen.map((e) => e.channel === 'completion' && e.executionId)).toEqual(ids);
  });

  it('unsubscribe stops delivery at once and the worker releases the callback proxy', async () => {
    const { port1, port2 } = new MessageChannel();
    const host = new BackendHost({ kind: 'in-process', deps: async () => ({ persistence: new MemoryPersistence(), openDriver, banner: false }) });
    host.serve(port1 as unknown as Endpoint);
    const remote = Comlink.wrap<BackendConnection>(port2 as unknown as Endpoint);
    await remote.open(BASE_CONFIG);
    let released = false;
    const seen: BackendEvent[] = [];
    const sink = Comlink.proxy({ deliver: (events: BackendEvent[]) => void seen.push(...events), [Comlink.finalizer]: () => (released = true) });
    const { id } = await remote.subscribe({ channels: ['lease'] }, sink);
    expect((await remote.status()).subscriptions).toBe(1);
    await remote.invoke('createExecution', [{ laneId: LANE }]);
    await remote.invoke('claim', [WORKER_ARGS]);
    await until(() => seen.length === 1);
    expect(await remote.unsubscribe(id)).toBe(true);
    await until(() => released);
    expect((await remote.status()).subscriptions).toBe(0);
    // Another subscriber to the same channel: once it has the next event, the hub has handled that commit.
    const later: BackendEvent[] = [];
    await remote.subscribe({ channels: ['lease'] }, Comlink.proxy({ deliver: (events: BackendEvent[]) => void later.push(...events) }));
    await remote.invoke('createExecution', [{ laneId: LANE }]);
    await remote.invoke('claim', [WORKER_ARGS]);
    await until(() => later.length === 1);
    expect(seen.length).toBe(1);
    await remote.disconnect();
    port2.close();
  });

  it('the client stops calling back as soon as unsubscribe() is called', async () => {
    const { client: backend } = await client();
    const seen: BackendEvent[] = [];
    const sub = await backend.subscribe({ channels: ['completion'] }, (e) => seen.push(e));
    await completeOne(backend);
    await until(() => seen.length === 1);
    await sub.unsubscribe();
    expect((await backend.status()).subscriptions).toBe(0);
    // Another subscription to the same channel: once it has the next completion, the first one had its chance.
    const later: BackendEvent[] = [];
    await backend.subscribe({ channels: ['completion'] }, (e) => later.push(e));
    await completeOne(backend);
    await until(() => later.length === 1);
    expect(seen.length).toBe(1);
  });

  it('closing a client drops its subscriptions in the shared engine', async () => {
    const a = await client();
    const b = await client({}, undefined, a.host);
    await b.client.subscribe({}, () => {});
    expect((await a.client.status()).subscriptions).toBe(1);
    expect((await a.client.status()).connections).toBe(2);
    await b.client.close();
    const status = await a.client.status();
    expect(status.subscriptions).toBe(0);
    expect(status.connections).toBe(1);
  });

  it('rejects a malformed cursor with a validation error', async () => {
    const { client: backend } = await client();
    const err = await rejection(backend.subscribe({ channels: ['completion'], from: ['completion:abc'] }, () => {}));
    expect(err.code).toBe('validation.invalid_input');
    expect(err.details['field']).toBe('from');
  });

  it('delivers scanner reports with resumable cursors', async () => {
    const { client: backend } = await client({ scanners: { intervals: { lease_expiry: 1_000 } } });
    const seen: BackendEvent[] = [];
    await backend.subscribe({ channels: ['scanner'] }, (e) => seen.push(e));
    await backend.createExecution({ laneId: LANE });
    await backend.claim({ ...WORKER_ARGS, leaseTtlMs: 500 });
    await backend.advanceTime({ ms: 2_000 });
    await until(() => seen.length >= 1);
    const first = seen[0]!;
    expect(first.channel).toBe('scanner');
    expect(first.cursor).toMatch(/^scanner:[a-z0-9]+:\d+$/);
    const again: BackendEvent[] = [];
    const sub = await backend.subscribe({ channels: ['scanner'], from: ['scanner:x0:0'] }, (e) => again.push(e));
    expect(sub.scannerEventsLost).toBe(0);
    await until(() => again.length === seen.length);
  });
});
