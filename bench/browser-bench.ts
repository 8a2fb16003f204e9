/**
 * `npm run bench:browser` — the browser backend in real Chromium (DESIGN.md
 * §4): comlink round trips, concurrent callers vs in-worker throughput, the
 * batched create path, the persist cycle at 1, 10 and 50 MB, full saves,
 * cold start (also in an on-disk profile, browser-cold.ts), and claim+complete
 * in the worker vs Node (browser-persist.ts),
 * worker: 'leader' (browser-leader.ts), the task lifecycle (browser-lifecycle.ts)
 * and the suspend → signal → resume round trip through the client.
 *
 * It builds demo/ with Vite, serves it with `vite preview`, and drives
 * demo/bench.html with playwright-core on the system's Chromium (FF_CHROMIUM,
 * else /usr/bin/chromium). The page is served cross-origin isolated (COOP +
 * COEP), so performance.now() is precise. The engine runs in a SharedWorker: Playwright
 * attaches to the page only, never to the worker, so the engine runs without
 * a debugger session (one attached to the worker slowed sql.js 3–5×).
 * Misses are reported, never turned into a failing exit code.
 *
 *   npx tsx bench/browser-bench.ts           full run (about a minute)
 *   npx tsx bench/browser-bench.ts --quick   small counts, a smoke check
 */
import { execSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import { preview } from 'vite';
import { CHROMIUM_ARGS } from '../scripts/chromium-args.mjs';
import { Samples, summarize, type Summary } from './stats.js';
import { fmtOps, fmtPct, fmtUs, fmtX, renderTable } from './table.js';
import type { FfBench } from '../demo/bench.js';
import { renderLeader, runLeaderBench } from './browser-leader.js';
import { nodePairs, renderPersist, type PersistReport } from './browser-persist.js';
import { renderLifecycle, runLifecycleBench } from './browser-lifecycle.js';
import { runColdOnDisk, type OnDiskCold } from './browser-cold.js';

const QUICK = process.argv.includes('--quick');
/** FF_BENCH_PORT lets two checkouts bench side by side. */
const PORT = Number(process.env['FF_BENCH_PORT'] ?? 4179);
/** `--only=persist,cold` runs just those parts: rt, suspend, conc, leader, lifecycle, bulk, pairs, persist, cold. */
const ONLY = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
const want = (part: string): boolean => !ONLY || ONLY.includes(part);
const CONFIG = QUICK
  ? { rt: 300, rtWarmup: 50, total: 1_600, callers: 16, bulkSize: 400, bulkReps: 2, persistMb: [1, 10], persistReps: 3, fullReps: 3, coldMb: 10, coldReps: 3, restarts: 1, pairs: 2_000, pairReps: 3, lifecycle: 1_600, lifecycleRounds: 3, suspend: 200, suspendWarmup: 50 }
  : { rt: 3_000, rtWarmup: 300, total: 8_000, callers: 16, bulkSize: 1_000, bulkReps: 5, persistMb: [1, 10, 50], persistReps: 7, fullReps: 5, coldMb: 10, coldReps: 9, restarts: 3, pairs: 8_000, pairReps: 5, lifecycle: 8_000, lifecycleRounds: 5, suspend: 1_000, suspendWarmup: 100 };

/** DESIGN.md §4 targets (the persistence ones are in browser-persist.ts). */
const TARGET = { concurrency: 0.6 };

const progress = (line: string): void => void process.stderr.write(`${line}\n`);
const pass = (ok: boolean): string => (ok ? 'ok' : 'MISS');

function summaryOfMs(ms: readonly number[]): Summary {
  const samples = new Samples(ms.length);
  for (const v of ms) samples.add(v * 1e6);
  return summarize(samples);
}
const median = (xs: readonly number[]): number => summaryOfMs(xs).p50Us / 1000;

async function main(): Promise<void> {
  progress('building demo/ (vite build) ...');
  execSync('npx vite build --config vite.config.ts --logLevel error', { stdio: 'inherit' });
  // Cross-origin isolation makes performance.now() precise to 5 us (otherwise Chromium coarsens it to 100 us).
  const headers = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
  const server = await preview({ configFile: 'vite.config.ts', logLevel: 'error', preview: { port: PORT, strictPort: true, host: '127.0.0.1', headers } });
  const launch = { executablePath: process.env['FF_CHROMIUM'] ?? '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true };
  const browser = await chromium.launch(launch);
  const version = browser.version();
  const context = await browser.newContext();
  const workerFlag = process.argv.find((a) => a.startsWith('--worker='));
  const url = `http://127.0.0.1:${PORT}/bench.html${workerFlag ? `?worker=${workerFlag.slice('--worker='.length)}` : ''}`;
  const newPage = async () => {
    const page = await context.newPage();
    page.on('pageerror', (err) => progress(`[page error] ${err.message}`));
    await page.goto(url);
    await page.waitForFunction(() => 'ffBench' in window);
    return page;
  };
  // Scenario calls go in as strings: no bundler helper of this file leaks into the page.
  const run = <K extends keyof FfBench>(page: Awaited<ReturnType<typeof newPage>>, scenario: K, input: Parameters<FfBench[K]>[0]) =>
    page.evaluate(`window.ffBench.${scenario}(${JSON.stringify(input)})`) as Promise<Awaited<ReturnType<FfBench[K]>>>;

  try {
    const page = await newPage();
    const stamp = Date.now().toString(36);
    const out: string[] = [];
    out.push(`ff-backend-browser browser bench (${QUICK ? 'quick' : 'full'}${ONLY ? `, only ${ONLY.join(',')}` : ''}) — ${new Date().toISOString()}`);
    out.push(`Chromium ${version} headless, engine in a SharedWorker (no debugger attached to it), SQLite WASM on the page VFS, Node ${process.version}`);
    if (want('rt')) {
      progress('round trips ...');
      const raw = await run(page, 'rawRoundTrip', { n: CONFIG.rt, warmup: CONFIG.rtWarmup });
      const rt = await run(page, 'roundTrip', { name: `rt-${stamp}`, n: CONFIG.rt, warmup: CONFIG.rtWarmup });
      out.push('', ...renderRoundTrip(raw, rt));
    }
    if (want('suspend')) {
      progress('suspend → signal → resume through the client ...');
      const suspension = await run(page, 'suspendRoundTrip', { name: `suspend-${stamp}`, n: CONFIG.suspend, warmup: CONFIG.suspendWarmup });
      out.push('', ...renderSuspension(suspension));
    }
    if (want('conc')) {
      progress('concurrent callers vs in-worker ...');
      const conc = await run(page, 'concurrency', { name: `conc-${stamp}`, callers: CONFIG.callers, total: CONFIG.total, warmup: 500 });
      out.push('', ...renderConcurrency(conc));
    }
    const leaderConfig = { rt: CONFIG.rt, rtWarmup: CONFIG.rtWarmup, total: CONFIG.total, callers: CONFIG.callers };
    if (want('leader')) out.push('', ...renderLeader(await runLeaderBench(newPage, leaderConfig, progress), leaderConfig));
    if (want('lifecycle')) out.push('', ...renderLifecycle(await runLifecycleBench(newPage, { callers: CONFIG.callers, total: CONFIG.lifecycle, rounds: CONFIG.lifecycleRounds }, progress)));
    if (want('bulk')) {
      progress('bulk create ...');
      const bulk = await run(page, 'bulk', { name: `bulk-${stamp}`, size: CONFIG.bulkSize, reps: CONFIG.bulkReps });
      out.push('', ...renderBulk(bulk));
    }
    const pairs = { count: CONFIG.pairs, worker: [] as number[], nodeSqlJs: [] as number[], nodeSqliteWasm: [] as number[] };
    if (want('pairs')) {
      progress('claim+complete in the worker and in Node ...');
      for (let r = 0; r < CONFIG.pairReps; r++) {
        // Interleaved, so a slow spell of the machine hits both sides alike.
        pairs.worker.push(...(await run(page, 'pairs', { name: `pairs-${r}-${stamp}`, count: CONFIG.pairs, warmup: 500, reps: 1 })));
        pairs.nodeSqlJs.push(await nodePairs('sql.js', CONFIG.pairs, 500));
        pairs.nodeSqliteWasm.push(await nodePairs('sqlite-wasm', CONFIG.pairs, 500));
      }
    }
    const persist: PersistReport['persist'] = [];
    if (want('persist') || want('cold')) {
      // The cold start needs the database grown here, and a full save of it to compare with.
      for (const mb of want('persist') ? CONFIG.persistMb : [CONFIG.coldMb]) {
        progress(`growing a ${mb} MB database ...`);
        const grown = await run(page, 'persistGrow', { name: `persist-${mb}-${stamp}`, mb });
        persist.push({ mb, ...grown, flushes: [], fullSaveMs: [], indexedDbMs: [] });
      }
      // Sizes interleaved, rep by rep, so a slow spell of the machine hits every size alike.
      progress('flush after one small write, and full saves ...');
      for (let r = 0; r < CONFIG.persistReps; r++) {
        for (const p of persist) p.flushes.push(await run(page, 'persistFlush', { name: `persist-${p.mb}-${stamp}` }));
      }
      for (let r = 0; r < CONFIG.fullReps; r++) {
        for (const p of persist) {
          p.fullSaveMs.push(await run(page, 'persistFull', { name: `persist-${p.mb}-${stamp}` }));
          p.indexedDbMs.push(await run(page, 'indexedDbAlone', { bytes: p.bytes }));
        }
      }
      for (const p of persist) await run(page, 'persistClose', { name: `persist-${p.mb}-${stamp}` });
    }
    const cold: PersistReport['cold'] = [];
    const coldShared: PersistReport['cold'] = [];
    const coldSmall: PersistReport['cold'] = [];
    const coldFullMs: number[] = [];
    let current = page;
    if (want('cold')) {
      // A saved database of the schema alone, to tell what the image's size adds to a start from what every start costs.
      await run(page, 'persistGrow', { name: `persist-0-${stamp}`, mb: 0 });
      await run(page, 'persistClose', { name: `persist-0-${stamp}` });
      for (let r = 0; r < CONFIG.coldReps; r++) {
        // In a dedicated Worker (the kind the leader tab runs, the default), then in a SharedWorker, then the small
        // database, in turn, so a slow spell of the machine hits all alike. Every worker of the previous page is closed first.
        for (const [worker, mb, into] of [['dedicated', CONFIG.coldMb, cold], ['shared', CONFIG.coldMb, coldShared], ['dedicated', 0, coldSmall]] as const) {
          await current.close();
          await new Promise((resolve) => setTimeout(resolve, 500));
          progress(`cold start of the ${mb} MB image in a ${worker} worker (${r + 1}/${CONFIG.coldReps}) ...`);
          current = await newPage();
          into.push(await run(current, 'coldStart', { name: `persist-${mb}-${stamp}`, worker }));
        }
        // A full save on a fresh page too, in the same turn, for the cold start to be compared with.
        await current.close();
        current = await newPage();
        coldFullMs.push(await run(current, 'fullSaveFresh', { name: `persist-${CONFIG.coldMb}-${stamp}` }));
      }
    }
    let coldOnDisk: OnDiskCold | undefined;
    if (want('cold')) {
      // Again in a profile on disk, as a user's browser keeps it (this context keeps IndexedDB in memory).
      coldOnDisk = await runColdOnDisk({ launch, url, mb: CONFIG.coldMb, coldReps: CONFIG.coldReps, restarts: CONFIG.restarts }, progress);
    }
    if (persist.length > 0 || pairs.worker.length > 0) out.push('', ...renderPersist({ persist, cold, coldShared, coldSmall, coldFullMs, coldOnDisk, coldMb: CONFIG.coldMb, pairs }));
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    await browser.close();
    await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
  }
}

type Run<K extends keyof FfBench> = Awaited<ReturnType<FfBench[K]>>;

function renderRoundTrip(raw: number[], rt: Run<'roundTrip'>): string[] {
  return [
    `comlink round trip: ${CONFIG.rt} sequential calls after ${CONFIG.rtWarmup} warm-up, page → worker → page`,
    renderTable(
      [{ header: 'call', align: 'left' }, { header: 'calls/s' }, { header: 'p50 us' }, { header: 'p99 us' }],
      (
        [
          ['raw postMessage echo (the floor)', raw],
          ['now()', rt.now],
          ['readExecutionState()', rt.read],
        ] as const
      ).map(([label, ms]) => {
        const s = summaryOfMs(ms);
        return [label, fmtOps(s.opsPerSec), fmtUs(s.p50Us), fmtUs(s.p99Us)];
      }),
    ),
  ];
}

function renderSuspension(suspension: number[]): string[] {
  const sus = summaryOfMs(suspension);
  return [
    `suspension through the client: suspend → deliverSignal → claimResumedExecution → completeExecution, ${CONFIG.suspend} sequential round trips of 4 awaited calls (goal p50 < 3 ms; FlowFabric publishes 9.11 ms on Valkey)`,
    renderTable(
      [{ header: 'round trip', align: 'left' }, { header: 'per s' }, { header: 'p50 ms' }, { header: 'p99 ms' }, { header: 'goal', align: 'left' }],
      [['suspend → signal → resume → complete', fmtOps(sus.opsPerSec), fmtUs(sus.p50Us / 1000), fmtUs(sus.p99Us / 1000), pass(sus.p50Us < 3_000)]],
    ),
  ];
}

function renderConcurrency(conc: Run<'concurrency'>): string[] {
  return [
    `throughput: ${CONFIG.callers} concurrent callers through comlink vs the same ops in a loop inside the worker (${CONFIG.total} ops each)`,
    renderTable(
      [{ header: 'operation', align: 'left' }, { header: 'via client ops/s' }, { header: 'in-worker ops/s' }, { header: 'ratio' }, { header: 'target' }, { header: 'result', align: 'left' }],
      Object.entries(conc).map(([op, r]) => {
        const via = r.ops / (r.viaClientMs / 1000);
        const inWorker = r.ops / (r.inWorkerMs / 1000);
        return [op, fmtOps(via), fmtOps(inWorker), fmtPct(via / inWorker), `>= ${TARGET.concurrency * 100}%`, pass(via / inWorker >= TARGET.concurrency)];
      }),
    ),
  ];
}

function renderBulk(bulk: Run<'bulk'>): string[] {
  const per = (ms: readonly number[]): number => (median(ms) * 1000) / CONFIG.bulkSize;
  return [
    `bulk create: ${CONFIG.bulkReps} reps of ${CONFIG.bulkSize} executions; us per execution (median rep)`,
    renderTable(
      [{ header: 'path', align: 'left' }, { header: 'us/exec' }, { header: 'execs/s' }, { header: 'vs batch' }],
      [
        ['createExecutions (one call)', per(bulk.batchMs)],
        ['createExecution x N, sequential', per(bulk.singleMs)],
        ['createExecution x N, 16 callers', per(bulk.concurrentMs)],
      ].map(([label, us]) => [label as string, fmtUs(us as number), fmtOps(1e6 / (us as number)), fmtX((us as number) / per(bulk.batchMs))]),
    ),
  ];
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
