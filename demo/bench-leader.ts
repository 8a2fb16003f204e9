/**
 * Benchmark scenarios for worker: 'leader', run in the page by
 * bench/browser-leader.ts through `window.ffLeaderBench`. One page opens the
 * database first and leads (the engine runs in its dedicated Worker); a
 * second page on the same name follows (its calls reach that worker through
 * a relayed MessagePort). Timings are raw milliseconds from performance.now().
 */
import { createBrowserBackend, type BrowserBackend } from '../src/index.js';

const WORKER = { workerId: 'bench', workerInstanceId: 'bench-1', leaseTtlMs: 60_000 };
let backend: BrowserBackend | null = null;

/** Time `n` sequential calls after `warmup` untimed ones. */
async function sample(n: number, warmup: number, call: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await call();
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await call();
    out.push(performance.now() - t0);
  }
  return out;
}

/** An echoing dedicated Worker: raw postMessage ping-pong, the floor under the leader tab's own calls. */
function echoWorker(): { ping(): Promise<unknown>; terminate(): void } {
  const worker = new Worker(new URL('./bench-echo-dedicated.ts', import.meta.url), { type: 'module' });
  let next: ((data: unknown) => void) | null = null;
  worker.onmessage = (event) => next?.(event.data);
  return {
    ping: () =>
      new Promise((resolve) => {
        next = resolve;
        worker.postMessage({ id: 0, path: ['now'] });
      }),
    terminate: () => worker.terminate(),
  };
}

/** Open the database: the first page to do so leads, later ones follow. Saved to IndexedDB, so a follower's replies wait for saves as they do in use. */
async function open(input: { name: string }): Promise<string> {
  backend = await createBrowserBackend({ devMode: true, name: input.name, worker: 'leader', scanners: false, persistDebounceMs: 60_000 });
  return (await backend.status()).role ?? 'none';
}

async function roundTrip(input: { n: number; warmup: number }): Promise<number[]> {
  const b = backend!;
  return sample(input.n, input.warmup, () => b.now());
}

/**
 * The raw echo and the leader's now(), in alternating blocks of `n / blocks` calls each, so a slow spell of the
 * machine hits both alike: measured one after the other, their medians differed by up to 3x either way between runs.
 */
async function roundTripVsEcho(input: { n: number; warmup: number; blocks: number }): Promise<{ raw: number[]; now: number[] }> {
  const b = backend!;
  const echo = echoWorker();
  const per = Math.ceil(input.n / input.blocks);
  const out = { raw: [] as number[], now: [] as number[] };
  for (let i = 0; i < input.blocks; i++) {
    out.raw.push(...(await sample(per, i === 0 ? input.warmup : 0, echo.ping)));
    out.now.push(...(await sample(per, i === 0 ? input.warmup : 0, () => b.now())));
  }
  echo.terminate();
  return out;
}

/** Timings of one operation: via the client and inside the worker, per round, `ops` each. */
export interface RoundTimings {
  ops: number;
  viaClientMs: number[];
  inWorkerMs: number[];
}

/**
 * `callers` concurrent loops on this page's client vs the same ops in a loop
 * inside the worker, in `rounds` alternating rounds of `total / rounds` ops:
 * a machine busy with other work then slows both sides of a round alike,
 * and the runner takes the median of the per-round ratios.
 */
async function concurrency(input: { lane: string; callers: number; total: number; rounds: number }): Promise<Record<string, RoundTimings>> {
  const b = backend!;
  const perCaller = Math.max(1, Math.floor(input.total / input.rounds / input.callers));
  const ops = perCaller * input.callers;
  const fanOut = async (body: () => Promise<unknown>): Promise<number> => {
    const t0 = performance.now();
    await Promise.all(Array.from({ length: input.callers }, async () => {
      for (let i = 0; i < perCaller; i++) await body();
    }));
    return performance.now() - t0;
  };
  const [a, w] = [`${input.lane}-a`, `${input.lane}-w`];
  await fanOut(() => b.createExecution({ laneId: `${input.lane}-warm` }));
  const create: RoundTimings = { ops, viaClientMs: [], inWorkerMs: [] };
  const pairs: RoundTimings = { ops, viaClientMs: [], inWorkerMs: [] };
  for (let r = 0; r < input.rounds; r++) {
    create.viaClientMs.push(await fanOut(() => b.createExecution({ laneId: a })));
    create.inWorkerMs.push((await b.measureInWorker({ op: 'createExecution', count: ops, laneId: w })).elapsedMs);
  }
  for (let r = 0; r < input.rounds; r++) {
    pairs.viaClientMs.push(
      await fanOut(async () => {
        const handle = await b.claim({ laneId: a, ...WORKER });
        await b.completeExecution({ handle: handle! });
      }),
    );
    pairs.inWorkerMs.push((await b.measureInWorker({ op: 'claimComplete', count: ops, laneId: w })).elapsedMs);
  }
  return { createExecution: create, 'claim+complete': pairs };
}

/**
 * The task lifecycle through the client: `callers` concurrent loops of
 * create → claim → complete, in `rounds` rounds of `total / rounds` tasks,
 * each round followed by the same work in a loop inside the worker.
 */
async function lifecycle(input: { lane: string; callers: number; total: number; rounds: number }): Promise<RoundTimings> {
  const b = backend!;
  const perCaller = Math.max(1, Math.floor(input.total / input.rounds / input.callers));
  const ops = perCaller * input.callers;
  const out: RoundTimings = { ops, viaClientMs: [], inWorkerMs: [] };
  const laneId = `${input.lane}-tasks`;
  const w = `${input.lane}-w`;
  for (let r = 0; r < input.rounds + 1; r++) {
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: input.callers }, async () => {
        for (let i = 0; i < perCaller; i++) {
          await b.createExecution({ laneId });
          // Every caller creates before it claims, so a claim always finds a task (perhaps another caller's).
          const handle = await b.claim({ laneId, ...WORKER });
          await b.completeExecution({ handle: handle! });
        }
      }),
    );
    const via = performance.now() - t0;
    const inWorker = (await b.measureInWorker({ op: 'createExecution', count: ops, laneId: w })).elapsedMs + (await b.measureInWorker({ op: 'claimComplete', count: ops, laneId: w })).elapsedMs;
    if (r === 0) continue; // warm-up round
    out.viaClientMs.push(via);
    out.inWorkerMs.push(inWorker);
  }
  return out;
}

async function close(): Promise<void> {
  await backend?.close();
  backend = null;
}

const ffLeaderBench = { open, roundTrip, roundTripVsEcho, concurrency, lifecycle, close };
export type FfLeaderBench = typeof ffLeaderBench;

declare global {
  interface Window {
    ffLeaderBench: FfLeaderBench;
  }
}
window.ffLeaderBench = ffLeaderBench;
