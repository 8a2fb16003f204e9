/**
 * Browser benchmark scenarios, run in the page by bench/browser-bench.ts
 * through `window.ffBench`. Each returns raw timings (milliseconds, from
 * performance.now()); the runner summarises and prints them. The engine
 * runs in a SharedWorker, which Playwright does not attach a debugger to;
 * cold starts also run in a dedicated Worker, the leader tab's kind (their
 * `worker` input), whose figures matched the SharedWorker's.
 */
import { createBrowserBackend, type BrowserBackend, type Snapshot, type BackendStatus } from '../src/index.js';
import { CHUNK_SIZE } from '../src/persistence/image-chunks.js';

const WORKER = { workerId: 'bench', workerInstanceId: 'bench-1', leaseTtlMs: 60_000 };

/** `?worker=dedicated` runs the engine in a dedicated Worker instead (to compare; a debugger may attach to it). */
const WORKER_MODE = (new URLSearchParams(location.search).get('worker') ?? 'shared') as 'shared' | 'dedicated';

function open(name: string, persistence: 'memory' | 'indexeddb' = 'memory', worker: 'shared' | 'dedicated' = WORKER_MODE): Promise<BrowserBackend> {
  // Scanners off and a long debounce: nothing but the measured calls runs in the worker.
  return createBrowserBackend({ devMode: true, name, persistence, scanners: false, persistDebounceMs: 60_000, worker });
}

/** Round trip of trivial calls, one at a time: per-call latency samples. */
async function roundTrip(input: { name: string; n: number; warmup: number }): Promise<{ now: number[]; read: number[] }> {
  const backend = await open(input.name);
  const { executionId } = (await backend.createExecution({ laneId: 'rt' })) as { executionId: string };
  const sample = async (call: () => Promise<unknown>): Promise<number[]> => {
    for (let i = 0; i < input.warmup; i++) await call();
    const out: number[] = [];
    for (let i = 0; i < input.n; i++) {
      const t0 = performance.now();
      await call();
      out.push(performance.now() - t0);
    }
    return out;
  };
  const now = await sample(() => backend.now());
  const read = await sample(() => backend.readExecutionState({ executionId }));
  await backend.close();
  return { now, read };
}

/** Raw postMessage ping-pong with an echoing SharedWorker: what any RPC layer adds to. */
async function rawRoundTrip(input: { n: number; warmup: number }): Promise<number[]> {
  const worker = new SharedWorker(new URL('./bench-echo-worker.ts', import.meta.url), { type: 'module', name: 'ff-bench-echo' });
  const port = worker.port;
  port.start();
  const ping = (i: number): Promise<unknown> =>
    new Promise((resolve) => {
      port.onmessage = (e) => resolve(e.data);
      port.postMessage({ id: i, path: ['now'] });
    });
  for (let i = 0; i < input.warmup; i++) await ping(i);
  const out: number[] = [];
  for (let i = 0; i < input.n; i++) {
    const t0 = performance.now();
    await ping(i);
    out.push(performance.now() - t0);
  }
  port.close();
  return out;
}

/** `total` ops split over `callers` concurrent loops through comlink, vs the same ops inside the worker. */
async function concurrency(input: { name: string; callers: number; total: number; warmup: number }): Promise<Record<string, { viaClientMs: number; inWorkerMs: number; ops: number }>> {
  const backend = await open(input.name);
  const perCaller = Math.floor(input.total / input.callers);
  const ops = perCaller * input.callers;
  const fanOut = async (body: () => Promise<unknown>): Promise<number> => {
    const t0 = performance.now();
    await Promise.all(Array.from({ length: input.callers }, async () => {
      for (let i = 0; i < perCaller; i++) await body();
    }));
    return performance.now() - t0;
  };
  await backend.measureInWorker({ op: 'createExecution', count: input.warmup, laneId: 'warm' });
  await fanOut(() => backend.createExecution({ laneId: 'warm' }));
  const out: Record<string, { viaClientMs: number; inWorkerMs: number; ops: number }> = {};
  const created = await fanOut(() => backend.createExecution({ laneId: 'a' }));
  const inWorkerCreate = await backend.measureInWorker({ op: 'createExecution', count: ops, laneId: 'b' });
  out['createExecution'] = { viaClientMs: created, inWorkerMs: inWorkerCreate.elapsedMs, ops };
  // Lanes a and b now hold `ops` executions each: claim + complete them all.
  const pairs = await fanOut(async () => {
    const handle = await backend.claim({ laneId: 'a', ...WORKER });
    await backend.completeExecution({ handle: handle! });
  });
  const inWorkerPairs = await backend.measureInWorker({ op: 'claimComplete', count: ops, laneId: 'b' });
  out['claim+complete'] = { viaClientMs: pairs, inWorkerMs: inWorkerPairs.elapsedMs, ops };
  await backend.close();
  return out;
}

/** One createExecutions call of `size` vs `size` createExecution calls (sequential, and 16 concurrent callers). */
async function bulk(input: { name: string; size: number; reps: number }): Promise<{ batchMs: number[]; singleMs: number[]; concurrentMs: number[] }> {
  const backend = await open(input.name);
  const batchMs: number[] = [];
  const singleMs: number[] = [];
  const concurrentMs: number[] = [];
  const executions = Array.from({ length: input.size }, () => ({ laneId: 'bulk' }));
  for (let r = 0; r < input.reps + 1; r++) {
    let t0 = performance.now();
    await backend.createExecutions({ executions });
    const batch = performance.now() - t0;
    t0 = performance.now();
    for (let i = 0; i < input.size; i++) await backend.createExecution({ laneId: 'bulk' });
    const single = performance.now() - t0;
    t0 = performance.now();
    await Promise.all(Array.from({ length: 16 }, async () => {
      for (let i = 0; i < input.size / 16; i++) await backend.createExecution({ laneId: 'bulk' });
    }));
    const concurrent = performance.now() - t0;
    if (r === 0) continue; // warm-up round
    batchMs.push(batch);
    singleMs.push(single);
    concurrentMs.push(concurrent);
  }
  await backend.close();
  return { batchMs, singleMs, concurrentMs };
}

/**
 * claim+complete pairs in a loop inside the worker, on a fresh in-memory
 * database per rep: `count` executions created, `warmup` pairs untimed, then
 * `count` timed. The runner does the same in Node to compare.
 */
async function pairs(input: { name: string; count: number; warmup: number; reps: number }): Promise<number[]> {
  const ms: number[] = [];
  for (let r = 0; r < input.reps; r++) {
    const backend = await open(`${input.name}-${r}`);
    await backend.measureInWorker({ op: 'createExecution', count: input.count + input.warmup, laneId: 'pairs' });
    await backend.measureInWorker({ op: 'claimComplete', count: input.warmup, laneId: 'pairs' });
    ms.push((await backend.measureInWorker({ op: 'claimComplete', count: input.count, laneId: 'pairs' })).elapsedMs);
    await backend.close();
  }
  return ms;
}

/**
 * Suspend on an approval → deliverSignal with the token → claimResumedExecution
 * → completeExecution, each call awaited through the client: one sample per
 * round trip (the claim before it untimed).
 */
async function suspendRoundTrip(input: { name: string; n: number; warmup: number }): Promise<number[]> {
  const backend = await open(input.name);
  await backend.seedWaitpointHmacSecret({ kid: 'bench', secretHex: 'ab'.repeat(32) });
  const once = async (): Promise<number> => {
    await backend.createExecution({ laneId: 'suspend' });
    const handle = (await backend.claim({ laneId: 'suspend', ...WORKER }))!;
    const t0 = performance.now();
    const { waitpoints } = await backend.suspend({ handle, waitpoints: [{ kind: 'fresh', waitpointKey: 'approval' }], resumeCondition: { kind: 'approval' } });
    const wp = waitpoints[0]!;
    await backend.deliverSignal({ executionId: handle.executionId, waitpointId: wp.waitpointId, waitpointToken: wp.token, signalName: 'approved' });
    const resumed = await backend.claimResumedExecution({ executionId: handle.executionId, ...WORKER });
    await backend.completeExecution({ handle: resumed });
    return performance.now() - t0;
  };
  for (let i = 0; i < input.warmup; i++) await once();
  const ms: number[] = [];
  for (let i = 0; i < input.n; i++) ms.push(await once());
  await backend.close();
  return ms;
}

/** IndexedDB-backed databases of each size, kept open between the steps below so the runner can interleave them. */
const persisted = new Map<string, { backend: BrowserBackend; snapshot?: Snapshot; copy?: BrowserBackend }>();

/** Grow a database to about `mb` MB with payloads; also the export of its whole image in the worker, for scale. */
async function persistGrow(input: { name: string; mb: number }): Promise<{ bytes: number; exportMs: number }> {
  const backend = await open(input.name, 'indexeddb');
  persisted.set(input.name, { backend });
  const payload = 'p'.repeat(64 * 1024);
  let bytes = 0;
  while (bytes < input.mb * 1024 * 1024) {
    const missing = input.mb * 1024 * 1024 - bytes;
    const count = Math.max(1, Math.min(32, Math.ceil(missing / payload.length)));
    await backend.createExecutions({ executions: Array.from({ length: count }, () => ({ laneId: 'grow', payload })) });
    bytes = (await backend.flush()).imageBytes;
  }
  // Nothing to grow (mb 0): the schema alone, saved.
  if (bytes === 0) bytes = (await backend.flush()).imageBytes;
  const exported = await backend.measureInWorker({ op: 'exportImage', count: 3 });
  return { bytes, exportMs: exported.elapsedMs / 3 };
}

/**
 * One small write, then flush() (the written chunks copied and stored with
 * strict durability, plus one round trip), timed by the page; `saveMs` is
 * the worker's own time for the save.
 */
async function persistFlush(input: { name: string }): Promise<{ flushMs: number; saveMs: number; bytesWritten: number; chunksWritten: number }> {
  const { backend } = persisted.get(input.name)!;
  await backend.createExecution({ laneId: 'dirty' });
  const t0 = performance.now();
  await backend.flush();
  const flushMs = performance.now() - t0;
  const save = (await backend.status()).lastSave;
  return { flushMs, saveMs: save?.ms ?? Number.NaN, bytesWritten: save?.bytesWritten ?? Number.NaN, chunksWritten: save?.chunksWritten ?? Number.NaN };
}

/** A full save: the database imported into another one, which saves every chunk; the worker's time for that save. */
async function persistFull(input: { name: string }): Promise<number> {
  const entry = persisted.get(input.name)!;
  entry.snapshot ??= await entry.backend.exportSnapshot();
  entry.copy ??= await open(`${input.name}-full`, 'indexeddb');
  await entry.copy.importSnapshot(entry.snapshot);
  return (await entry.copy.status()).lastSave?.ms ?? Number.NaN;
}

/**
 * A full save on a page of its own, as the cold starts are: the database opened in a new worker, exported, and
 * imported into a copy, which saves every chunk; the worker's time for that save.
 */
async function fullSaveFresh(input: { name: string }): Promise<number> {
  const backend = await open(input.name, 'indexeddb', 'dedicated');
  const copy = await open(`${input.name}-fresh-full`, 'indexeddb', 'dedicated');
  try {
    await copy.importSnapshot(await backend.exportSnapshot());
    return (await copy.status()).lastSave?.ms ?? Number.NaN;
  } finally {
    await copy.close();
    await backend.close();
  }
}

/**
 * The browser's own cost of a full save's bytes: as many chunks as an image
 * of `bytes` has, each copied and put raw into a scratch IndexedDB store in
 * one transaction with strict durability, as a full save puts them; from
 * the transaction's creation to its completion, in ms.
 */
async function indexedDbAlone(input: { bytes: number }): Promise<number> {
  const name = 'ff-bench-indexeddb-alone';
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(name, 1);
    request.onupgradeneeded = () => request.result.createObjectStore('chunks');
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  try {
    const image = new Uint8Array(input.bytes).fill(7);
    const t0 = performance.now();
    const tx = db.transaction('chunks', 'readwrite', { durability: 'strict' });
    const store = tx.objectStore('chunks');
    for (let i = 0, at = 0; at < image.length; i++, at += CHUNK_SIZE) store.put(image.slice(at, at + CHUNK_SIZE), i);
    tx.commit();
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
    return performance.now() - t0;
  } finally {
    db.close();
  }
}

async function persistClose(input: { name: string }): Promise<void> {
  const entry = persisted.get(input.name);
  persisted.delete(input.name);
  await entry?.backend.close();
  await entry?.copy?.close();
}

/** Open an existing database in a fresh worker: the worker's own load/open timings, and the page's wall time. */
async function coldStart(input: { name: string; worker?: 'shared' | 'dedicated' }): Promise<{ wallMs: number; bytes: number; openedFrom: string } & BackendStatus['startup']> {
  const t0 = performance.now();
  const backend = await open(input.name, 'indexeddb', input.worker);
  const wallMs = performance.now() - t0;
  const status = await backend.status();
  await backend.close();
  return { wallMs, ...status.startup, bytes: status.imageBytes, openedFrom: status.openedFrom };
}

const ffBench = { rawRoundTrip, roundTrip, suspendRoundTrip, concurrency, bulk, pairs, persistGrow, persistFlush, persistFull, indexedDbAlone, fullSaveFresh, persistClose, coldStart };
export type FfBench = typeof ffBench;

declare global {
  interface Window {
    ffBench: FfBench;
  }
}
window.ffBench = ffBench;
document.querySelector('#status')!.textContent = 'benchmark page ready';
