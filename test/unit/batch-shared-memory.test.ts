/**
 * Batches of engine calls through shared memory (src/worker/batch-channel.ts,
 * batch-server.ts): the page side and the worker side joined by a channel
 * whose messages this test delivers by hand, so every interleaving is
 * chosen, not timed; then the same over a real worker thread.
 */
import { MessageChannel } from 'node:worker_threads';
import type { Endpoint } from 'comlink';
import { afterEach, describe, expect, it } from 'vitest';
import { CallBatcher } from '../../src/client/call-batcher.js';
import type { EngineError } from '../../src/api/errors.js';
import { MemoryPersistence } from '../../src/persistence/memory-persistence.js';
import { BackendHost } from '../../src/worker/backend-host.js';
import { BatchSender, type BatchEndpoint } from '../../src/worker/batch-channel.js';
import { serveBatches } from '../../src/worker/batch-server.js';
import { RingReader, RingWriter } from '../../src/worker/shared-ring.js';
import { BASE_CONFIG, rejection, threadBackend } from './boundary-helpers.js';
import { openDriver } from './helpers.js';

/** One side of a channel whose messages wait in `inbox` until deliver(). */
class HandPort implements BatchEndpoint {
  readonly inbox: unknown[] = [];
  other!: HandPort;
  private readonly listeners = new Set<(event: MessageEvent) => void>();
  postMessage(message: unknown): void {
    this.other.inbox.push(message);
  }
  addEventListener(_type: 'message', listener: (event: MessageEvent) => void): void {
    this.listeners.add(listener);
  }
  removeEventListener(_type: 'message', listener: (event: MessageEvent) => void): void {
    this.listeners.delete(listener);
  }
  /** Deliver the first `n` waiting messages (all by default), in order. */
  deliver(n = this.inbox.length): void {
    for (const data of this.inbox.splice(0, n)) for (const listener of this.listeners) listener({ data } as MessageEvent);
  }
}

const microtasks = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The page's sender and the worker's server of one real connection, joined by hand; the ring taken up. */
async function joined(oneBatchATask = false) {
  const [page, worker] = [new HandPort(), new HandPort()];
  page.other = worker;
  worker.other = page;
  const host = new BackendHost({ kind: 'in-process', deps: async () => ({ persistence: new MemoryPersistence(), openDriver, banner: false }) });
  // Comlink needs a port of its own; the batches go over the hand-delivered pair.
  const connection = host.serve(new MessageChannel().port1 as unknown as Endpoint);
  await connection.open(BASE_CONFIG);
  // One batch a task: the drain stops after each, as it does when a batch outlasts its slice, and its next task waits here.
  const later: (() => void)[] = [];
  serveBatches(connection, worker, oneBatchATask ? { drainSliceMs: 0, later: (drain) => void later.push(drain) } : {});
  const sender = new BatchSender(page, { sharedMemory: true });
  expect(sender.channel).toBe('messages');
  const memory = (worker.inbox[0] as { ffBatchRing: SharedArrayBuffer }).ffBatchRing;
  worker.deliver();
  page.deliver();
  expect(sender.channel).toBe('shared-memory');
  const batcher = new CallBatcher((calls) => sender.send(calls));
  const call = <T>(method: string, ...args: unknown[]): Promise<T> => batcher.call(method, args) as Promise<T>;
  /** Run the drain's next task, if one is due. */
  const nextTask = (): boolean => {
    const drain = later.shift();
    drain?.();
    return drain !== undefined;
  };
  /** What the worker does as it starts on a batch (the page's sends from then on see it at work). */
  const workerStarts = (): void => new RingReader(memory).busy();
  return { page, worker, sender, memory, call, nextTask, workerStarts };
}

const ID = (n: number): string => `{fp:0}:00000000-0000-4000-8000-${n.toString().padStart(12, '0')}`;

const kinds = (inbox: unknown[]): string[] => inbox.map((m) => Object.keys(m as object)[0]!);

describe('batches through shared memory', () => {
  it('an idle worker gets a batch as a message; what callers send while it works goes into the ring, and runs before it idles', async () => {
    const { page, worker, call, nextTask, workerStarts } = await joined(true);
    const first = call<{ kind: string }>('createExecution', { laneId: 'ring', executionId: ID(1) });
    await microtasks();
    expect(kinds(worker.inbox)).toEqual(['ffBatch']);
    workerStarts();
    const more = [call<{ kind: string }>('createExecution', { laneId: 'ring', executionId: ID(2) })];
    await microtasks();
    more.push(call('createExecution', { laneId: 'ring', priority: 'high' }));
    await microtasks();
    // In shared memory, and the worker is at work: no message, not even a wake-up.
    expect(worker.inbox).toHaveLength(1);
    worker.deliver();
    // One batch a task here: the message's batch, then the first from the ring; a later task runs the other.
    expect(page.inbox).toHaveLength(2);
    while (nextTask());
    expect(page.inbox).toHaveLength(3);
    page.deliver();
    expect(await first).toMatchObject({ kind: 'created', executionId: ID(1) });
    expect(await more[0]).toMatchObject({ kind: 'created', executionId: ID(2) });
    // A typed error comes back from the ring as from a message.
    expect((await rejection(more[1]!)).code).toBe('validation.invalid_input');
    // Idle again: the next batch is a message.
    const next = call('readExecutionState', { executionId: ID(2) });
    await microtasks();
    expect(kinds(worker.inbox)).toEqual(['ffBatch']);
    worker.deliver();
    page.deliver();
    expect(await next).toBe('waiting');
  });

  it('a batch JSON would change goes as a message, and runs after the ring batches sent before it', async () => {
    const { page, worker, call, workerStarts, nextTask } = await joined(true);
    const outcomes = [call('createExecution', { laneId: 'order', executionId: ID(10) })];
    await microtasks();
    workerStarts();
    for (let i = 1; i < 5; i++) {
      outcomes.push(call('createExecution', { laneId: 'order', executionId: ID(10 + i) }));
      await microtasks();
    }
    // The last ring batch's id again, with bytes for payload: not JSON, so a message. It must run after that batch.
    const again = call<{ kind: string }>('createExecution', { laneId: 'order', executionId: ID(14), payload: new Uint8Array([1, 2]) });
    await microtasks();
    expect(worker.inbox).toMatchObject([{ ffBatch: 1 }, { ffBatch: 6 }]);
    // The first message's batch, then one from the ring; the second message comes before the drain's next task,
    // so the ring batches ahead of it run first.
    worker.deliver();
    page.deliver();
    expect(await Promise.all(outcomes)).toMatchObject(Array.from({ length: 5 }, (_, i) => ({ kind: 'created', executionId: ID(10 + i) })));
    expect(await again).toMatchObject({ kind: 'duplicate' });
    // The drain's next task finds the ring empty.
    while (nextTask());
    expect(page.inbox).toEqual([]);
  });

  it('a wake-up message makes an idle worker run what waits in the ring', async () => {
    const { page, worker, memory } = await joined();
    // The page wrote while the worker was at work, and the worker went idle before it looked: the writer is told to wake it.
    const calls = [['createExecution', [{ laneId: 'woken', executionId: ID(20) }]]];
    expect(new RingWriter(memory).write(77, new TextEncoder().encode(JSON.stringify(calls)))).toBe('wake');
    expect(worker.inbox).toEqual([]);
    page.postMessage({ ffBatchRingWake: true });
    worker.deliver();
    expect(page.inbox).toMatchObject([{ ffBatchReply: 77, values: [{ kind: 'created', executionId: ID(20) }] }]);
  });

  it('a batch the worker cannot read from the ring fails every call of it, with a typed error, and the next works', async () => {
    const { page, worker, memory, call, workerStarts } = await joined();
    const first = call('createExecution', { laneId: 'torn' });
    await microtasks();
    workerStarts();
    const lost = [call('createExecution', { laneId: 'torn' }), call('createExecution', { laneId: 'torn' })];
    await microtasks();
    // Tear the entry's bytes (the ring's header is 16 bytes, an entry's own 8).
    new Uint8Array(memory, 16 + 8, 4).set([0x7b, 0x7b, 0x7b, 0x7b]);
    worker.deliver();
    page.deliver();
    expect(await first).toMatchObject({ kind: 'created' });
    for (const outcome of lost) expect((await rejection(outcome)).message).toMatch(/could not be read/);
    const fine = call<{ kind: string }>('createExecution', { laneId: 'torn' });
    await microtasks();
    worker.deliver();
    page.deliver();
    expect(await fine).toMatchObject({ kind: 'created' });
  });
});

describe('batches through shared memory, over a worker thread', () => {
  let stop: (() => Promise<unknown>) | undefined;
  afterEach(async () => {
    await stop?.();
    stop = undefined;
  });

  it('many concurrent callers: every call answered once, in each caller its own order; status() names the channel', async () => {
    const { client, worker } = await threadBackend({}, { sharedMemory: true });
    stop = () => worker.terminate();
    expect((await client.status()).callChannel).toBe('shared-memory');
    const callers = await Promise.all(
      Array.from({ length: 16 }, async (_, c) => {
        const ids: string[] = [];
        for (let i = 0; i < 40; i++) {
          // Every fifth call carries bytes, so it goes as a message between ring batches.
          const payload = i % 5 === 0 ? new Uint8Array([c, i]) : `${c}:${i}`;
          ids.push((await client.createExecution({ laneId: `thread-${c}`, payload })).executionId);
        }
        return ids;
      }),
    );
    expect(new Set(callers.flat()).size).toBe(16 * 40);
    for (let c = 0; c < 16; c++) {
      const listed = await client.listExecutions({ laneId: `thread-${c}`, limit: 100 });
      expect(listed.executions).toHaveLength(40);
    }
    const error = (await rejection(client.createExecution({ laneId: '' }))) as EngineError;
    expect(error.code).toBe('validation.invalid_input');
    await client.close();
  });

  it('a caller that sends its next call as the last returns finds the worker spinning on the ring: one message, then none', async () => {
    const sent: unknown[] = [];
    // The worker spins until an entry comes, for as long as a test may last, so no timing decides the path.
    const { client, worker } = await threadBackend({ batches: { spinMs: 60_000, drainSliceMs: 60_000 } }, { sharedMemory: true, sent });
    stop = () => worker.terminate();
    expect((await client.status()).callChannel).toBe('shared-memory');
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push((await client.createExecution({ laneId: 'spin', payload: `${i}` })).executionId);
    expect(new Set(ids).size).toBe(20);
    const batches = sent.filter((m) => typeof m === 'object' && m !== null && ('ffBatch' in m || 'ffBatchRingWake' in m));
    expect(batches).toHaveLength(1);
    expect((await client.listExecutions({ laneId: 'spin', limit: 100 })).executions).toHaveLength(20);
    // The worker spins until the slice ends, so its event loop (close, comlink) is not served: the test stops the thread instead.
  });

  it('after a batch of several calls the worker does not spin: its event loop answers next', async () => {
    // Were it to spin after this batch, it would spin for a minute and status() (a comlink message) would time the test out.
    const { client, worker } = await threadBackend({ batches: { spinMs: 60_000, drainSliceMs: 60_000 } }, { sharedMemory: true });
    stop = () => worker.terminate();
    expect((await client.status()).callChannel).toBe('shared-memory');
    const created = await Promise.all([client.createExecution({ laneId: 'pair' }), client.createExecution({ laneId: 'pair' })]);
    expect(created.map((c) => c.kind)).toEqual(['created', 'created']);
    expect((await client.status()).callChannel).toBe('shared-memory');
    await client.close();
  });

  it('without shared memory, batches go as messages', async () => {
    const { client, worker } = await threadBackend();
    stop = () => worker.terminate();
    expect((await client.status()).callChannel).toBe('messages');
    await client.close();
  });
});
