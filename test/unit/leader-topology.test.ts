/**
 * worker: 'leader' in Node: leader election on (fake) Web Locks, followers
 * reaching the leader's worker through the broker, the handoff when the
 * leader's tab or worker goes, and the reconnecting client. Timeouts run on
 * a ManualTimer; nothing here waits on wall-clock time to decide anything.
 */
import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineError } from '../../src/api/errors.js';
import { Broker, type BrokerNotice, type BrokerPort } from '../../src/worker/broker.js';
import type { BackendEvent } from '../../src/worker/protocol.js';
import { LANE, settle, until, WORKER_ARGS } from './boundary-helpers.js';
import { FakeLocks } from './fake-locks.js';
import { FakeOrigin, type FakeTab } from './leader-helpers.js';
import { whenReleased } from '../../src/worker/web-locks.js';

const tabs: FakeTab[] = [];
afterEach(() => {
  tabs.splice(0).forEach((tab) => tab.close());
});
async function openTab(origin: FakeOrigin, ...args: Parameters<FakeOrigin['openTab']>): Promise<FakeTab> {
  const tab = await origin.openTab(...args);
  tabs.push(tab);
  return tab;
}

async function outcome(promise: Promise<unknown>): Promise<{ ok: true; value: unknown } | { ok: false; code: string }> {
  return promise.then(
    (value) => ({ ok: true as const, value }),
    (err: unknown) => ({ ok: false as const, code: err instanceof EngineError ? err.code : `not an EngineError: ${String(err)}` }),
  );
}

async function createIds(tab: FakeTab, count: number, laneId = LANE): Promise<string[]> {
  const created = await Promise.all(Array.from({ length: count }, () => tab.client.createExecution({ laneId })));
  return created.map((c) => c.executionId);
}

/**
 * Wait until the client has reconnected `times` times. A call made the moment a worker goes is in flight on a
 * dead port and rejects with a typed error, which is part of what is being waited out here.
 */
async function reconnected(tab: FakeTab, times = 1): Promise<void> {
  await until(async () => (await tab.client.status().catch(() => null))?.reconnects === times);
}

async function completeOne(tab: FakeTab): Promise<void> {
  await tab.client.createExecution({ laneId: LANE });
  const handle = await tab.client.claim(WORKER_ARGS);
  await tab.client.completeExecution({ handle: handle! });
}

describe('the broker', () => {
  function tabPort(broker: Broker): { port: BrokerPort; notices: BrokerNotice[] } {
    const { port1, port2 } = new MessageChannel();
    broker.accept(port1 as unknown as BrokerPort);
    const notices: BrokerNotice[] = [];
    port2.on('message', (notice: BrokerNotice) => notices.push(notice));
    return { port: port2 as unknown as BrokerPort, notices };
  }

  it('holds a connect until a tab leads, then relays the port to it and tells the follower where it went', async () => {
    const locks = new FakeLocks();
    const broker = new Broker((lock, onGone) => whenReleased(locks.manager('broker'), lock, onGone));
    const follower = tabPort(broker);
    const channel = new MessageChannel();
    follower.port.postMessage({ ff: 'connect', requestId: 'r1', port: channel.port1 }, [channel.port1 as unknown as Transferable]);
    await until(() => broker.queued === 1);
    expect(follower.notices).toEqual([]);

    void locks.manager('worker-1').request('alive-1', () => new Promise(() => {}));
    await until(() => locks.isHeld('alive-1'));
    const leader = tabPort(broker);
    leader.port.postMessage({ ff: 'lead', leaderId: 'L', workerLock: 'alive-1' }, []);
    await until(() => leader.notices.length === 1 && follower.notices.length === 1);
    expect(leader.notices[0]).toMatchObject({ ff: 'serve', requestId: 'r1', workerLock: 'alive-1' });
    expect(follower.notices[0]).toEqual({ ff: 'forwarded', requestId: 'r1', leaderId: 'L', workerLock: 'alive-1' });
    expect(broker.queued).toBe(0);
  });

  it("forgets a leader once its worker's alive lock is released, and queues connects again", async () => {
    const locks = new FakeLocks();
    const broker = new Broker((lock, onGone) => whenReleased(locks.manager('broker'), lock, onGone));
    void locks.manager('worker-1').request('alive-1', () => new Promise(() => {}));
    await until(() => locks.isHeld('alive-1'));
    const leader = tabPort(broker);
    leader.port.postMessage({ ff: 'lead', leaderId: 'L', workerLock: 'alive-1' }, []);
    await until(() => broker.leaderId === 'L');
    locks.kill('worker-1');
    await until(() => broker.leaderId === null);
    const follower = tabPort(broker);
    const channel = new MessageChannel();
    follower.port.postMessage({ ff: 'connect', requestId: 'r2', port: channel.port1 }, [channel.port1 as unknown as Transferable]);
    await until(() => broker.queued === 1);
    follower.port.postMessage({ ff: 'cancel', requestId: 'r2' }, []);
    await until(() => broker.queued === 0);
    expect(leader.notices).toEqual([]);
  });
});

describe('leader and follower tabs', () => {
  it('the first tab leads, the second reaches its worker through the broker, and both see every write', async () => {
    const origin = new FakeOrigin();
    const a = await openTab(origin);
    const b = await openTab(origin);
    const [sa, sb] = [await a.client.status(), await b.client.status()];
    expect(sa).toMatchObject({ role: 'leader', reconnects: 0 });
    expect(sb).toMatchObject({ role: 'follower', reconnects: 0, leaderId: sa.leaderId, connections: 2 });
    // One engine: the follower runs no worker of its own.
    expect(b.workers).toHaveLength(0);
    await Promise.all([createIds(a, 5), createIds(b, 5)]);
    expect((await a.client.listExecutions({ laneId: LANE })).executions).toHaveLength(10);
    expect((await b.client.listExecutions({ laneId: LANE })).executions).toHaveLength(10);
  });

  it("a follower's results wait until what they reflect is saved; the leader's own do not", async () => {
    const origin = new FakeOrigin();
    const a = await openTab(origin);
    const b = await openTab(origin);
    await createIds(b, 1);
    origin.store.hold();
    const fromLeader = await outcome(a.client.createExecution({ laneId: LANE }));
    expect(fromLeader.ok).toBe(true);
    let resolved = false;
    const fromFollower = b.client.createExecution({ laneId: LANE }).then((r) => ((resolved = true), r));
    for (let i = 0; i < 20; i++) await settle();
    expect(resolved).toBe(false);
    const saves = origin.store.saves;
    origin.store.release();
    await fromFollower;
    expect(origin.store.saves).toBeGreaterThan(saves);
    // Nothing unsaved: a follower's read answers without a save.
    const before = origin.store.saves;
    await b.client.listLanes();
    expect(origin.store.saves).toBe(before);
  });
});

describe('the broker going away', () => {
  it.each([['its alive lock is released', false], ['its ports close too', true]])('(%s) the leader registers with the next broker: a tab that opens then still reaches it, and followers already connected never noticed', async (_, closePorts) => {
    const origin = new FakeOrigin();
    const a = await openTab(origin);
    const b = await openTab(origin);
    const leaderId = (await a.client.status()).leaderId;
    origin.crashBroker(closePorts);
    await until(() => origin.broker.leaderId === leaderId);
    const c = await openTab(origin);
    expect(await c.client.status()).toMatchObject({ role: 'follower', leaderId, connections: 3 });
    await createIds(b, 2);
    expect(await b.client.status()).toMatchObject({ role: 'follower', reconnects: 0 });
  });
});

describe("a follower's events", () => {
  it('are delivered once the commits they come from are saved', async () => {
    const origin = new FakeOrigin();
    const a = await openTab(origin);
    const b = await openTab(origin);
    const seen: BackendEvent[] = [];
    await b.client.subscribe({ channels: ['completion'] }, (event) => seen.push(event));
    origin.store.hold();
    await completeOne(a);
    for (let i = 0; i < 20; i++) await settle();
    expect(seen).toEqual([]);
    origin.store.release();
    await until(() => seen.length === 1);
    expect(seen[0]!.cursor).toBe('completion:1');
  });
});

describe("the leader tab's own writes", () => {
  it('are saved once they pause (SHARED_SAVE_MS) while a follower is connected, and after the debounce otherwise; they never wait for it', async () => {
    const origin = new FakeOrigin();
    const a = await openTab(origin);
    // Alone: the debounce (a ManualTimer nobody advances) decides.
    await createIds(a, 2);
    for (let i = 0; i < 10; i++) await settle();
    const alone = origin.store.saves;
    expect((await a.client.status()).unsavedChanges).toBe(true);
    const b = await openTab(origin);
    await createIds(b, 1);
    const joined = origin.store.saves;
    expect(joined).toBeGreaterThan(alone);
    // With a follower: saved without anyone asking, and the reply did not wait for it.
    origin.store.hold();
    await createIds(a, 1);
    origin.store.release();
    await until(async () => origin.store.saves > joined && !(await a.client.status()).unsavedChanges);
  });
});

describe('handoff', () => {
  it('the leader tab closes: a pending follower call rejects with closed, the follower takes over, and every resolved write is there', async () => {
    const origin = new FakeOrigin();
    const a = await openTab(origin);
    const b = await openTab(origin);
    const resolved = [...(await createIds(b, 5)), ...(await createIds(a, 0))];
    // A follower write whose save never completes: pending when the leader goes.
    origin.store.hold();
    const pending = outcome(b.client.createExecution({ laneId: LANE }));
    for (let i = 0; i < 10; i++) await settle();
    a.close();
    origin.store.release();
    expect(await pending).toEqual({ ok: false, code: 'closed' });
    // The same client object works again, now as the leader, from the saved image.
    await reconnected(b);
    resolved.push(...(await createIds(b, 3)));
    const status = await b.client.status();
    expect(status).toMatchObject({ role: 'leader', reconnects: 1, openedFrom: 'saved-image' });
    expect(b.workers).toHaveLength(1);
    const states = await Promise.all(resolved.map((executionId) => b.client.readExecutionState({ executionId })));
    expect(states.every((s) => s === 'waiting')).toBe(true);
  });

  it("the leader's worker crashes: the leader starts a new one and the follower reconnects to it", async () => {
    const origin = new FakeOrigin();
    const a = await openTab(origin);
    const b = await openTab(origin);
    await createIds(b, 2);
    a.worker!.kill();
    await reconnected(b);
    expect((await b.client.listExecutions({ laneId: LANE })).executions).toHaveLength(2);
    expect(await a.client.status()).toMatchObject({ role: 'leader', reconnects: 1, openedFrom: 'saved-image' });
    expect(await b.client.status()).toMatchObject({ role: 'follower', reconnects: 1 });
    expect(a.workers.filter((w) => w.alive)).toHaveLength(1);
  });

  it('a call made while no engine is up waits for the next one, and rejects with unavailable once connectTimeoutMs passes on the timer', async () => {
    const origin = new FakeOrigin();
    const a = await openTab(origin, {}, 1_000);
    let start!: () => void;
    a.startGate = new Promise((resolve) => (start = resolve));
    a.worker!.kill();
    await until(() => a.workers.every((w) => !w.alive));
    for (let i = 0; i < 10; i++) await settle();
    const waiting = outcome(a.client.now());
    origin.timer.advance(999);
    for (let i = 0; i < 10; i++) await settle();
    let settled = false;
    void waiting.then(() => (settled = true));
    await settle();
    expect(settled).toBe(false);
    origin.timer.advance(1);
    expect(await waiting).toEqual({ ok: false, code: 'unavailable' });
    // Once a worker starts, calls go through again; one made before it is up waits for it.
    const next = outcome(a.client.now());
    start();
    expect((await next).ok).toBe(true);
  });

  it('closing the client releases the lead: the next tab takes over, and later calls reject with closed', async () => {
    const origin = new FakeOrigin();
    const a = await openTab(origin);
    const b = await openTab(origin);
    await createIds(a, 2);
    await a.client.close();
    expect(await outcome(a.client.now())).toEqual({ ok: false, code: 'closed' });
    expect(await a.client.closed).toMatchObject({ code: 'closed' });
    await reconnected(b);
    expect((await b.client.listExecutions({ laneId: LANE })).executions).toHaveLength(2);
    expect(await b.client.status()).toMatchObject({ role: 'leader', reconnects: 1 });
  });
});

describe('subscriptions across a handoff', () => {
  const cursorsOf = (events: BackendEvent[]): string[] => events.map((e) => e.cursor);

  it("a follower's subscription resumes on the new leader from its last cursor: no gap, no duplicate", async () => {
    const origin = new FakeOrigin();
    const a = await openTab(origin);
    const b = await openTab(origin);
    const seen: BackendEvent[] = [];
    await b.client.subscribe({ channels: ['completion'] }, (event) => seen.push(event));
    for (let i = 0; i < 3; i++) await completeOne(a);
    await until(() => seen.length === 3);
    a.close();
    await reconnected(b);
    for (let i = 0; i < 2; i++) await completeOne(b);
    await until(() => seen.length >= 5);
    for (let i = 0; i < 10; i++) await settle();
    expect(cursorsOf(seen)).toEqual(['completion:1', 'completion:2', 'completion:3', 'completion:4', 'completion:5']);
  });

  it('events committed while the follower was reconnecting are caught up', async () => {
    const origin = new FakeOrigin();
    const a = await openTab(origin);
    const b = await openTab(origin);
    const c = await openTab(origin);
    const seen: BackendEvent[] = [];
    await c.client.subscribe({ channels: ['completion'] }, (event) => seen.push(event));
    await completeOne(b);
    await until(() => seen.length === 1);
    a.close();
    // b takes over and completes at once; c resumes from completion:1 whenever it gets there.
    await reconnected(b);
    await completeOne(b);
    await completeOne(b);
    await until(() => seen.length >= 3);
    for (let i = 0; i < 10; i++) await settle();
    expect(cursorsOf(seen)).toEqual(['completion:1', 'completion:2', 'completion:3']);
    expect(await c.client.status()).toMatchObject({ role: 'follower', reconnects: 1 });
  });

  it("after the leader's own worker crashed before saving, its subscription resumes at the saved head instead of skipping new events", async () => {
    const origin = new FakeOrigin();
    const a = await openTab(origin);
    const seen: BackendEvent[] = [];
    await a.client.subscribe({ channels: ['completion'] }, (event) => seen.push(event));
    await completeOne(a);
    await a.client.flush();
    // Seen, never saved: lost with the worker.
    await completeOne(a);
    await until(() => seen.length === 2);
    a.worker!.kill();
    await reconnected(a);
    await completeOne(a);
    await until(() => seen.length === 3);
    expect(cursorsOf(seen)).toEqual(['completion:1', 'completion:2', 'completion:2']);
  });
});
