/**
 * The persistence half of `npm run bench:browser`, and the engine's speed in
 * the worker: flush() after one small write at each size (a save should
 * cost what changed, not the database size), a full save per MB, a cold
 * start against one full save, and claim+complete pairs in the worker
 * against the same loop in Node on sql.js, measured in the same run.
 */
import { createSqlJsDriver } from '../src/db/sqljs-driver.js';
import { createSqliteWasmDriver } from '../src/db/sqlite-wasm-driver.js';
import { CHUNK_SIZE } from '../src/persistence/image-chunks.js';
import { createEngine } from '../src/engine/create-engine.js';
import { RealClock } from '../src/engine/time/clock.js';
import { Samples, summarize } from './stats.js';
import { fmtOps, fmtPct, fmtX, renderTable } from './table.js';
import type { FfBench } from '../demo/bench.js';
import type { ColdResult, OnDiskCold } from './browser-cold.js';
import { renderCold } from './browser-cold-report.js';

export const PERSIST_TARGET = { flushVsSmallest: 1.5, fullMsPerMb: 4, pairsVsNode: 0.8 };

type Flush = Awaited<ReturnType<FfBench['persistFlush']>>;

const pass = (ok: boolean): string => (ok ? 'ok' : 'MISS');
export function median(xs: readonly number[]): number {
  const samples = new Samples(xs.length);
  for (const v of xs) samples.add(v * 1e6);
  return summarize(samples).p50Us / 1000;
}

/** The worker's pairs scenario, in this process: ms for `count` timed pairs on a fresh engine. */
export async function nodePairs(driver: 'sql.js' | 'sqlite-wasm', count: number, warmup: number): Promise<number> {
  const db = driver === 'sql.js' ? await createSqlJsDriver() : await createSqliteWasmDriver();
  const engine = await createEngine({ devMode: true, driver: db, clock: new RealClock(), banner: false, scanners: false });
  const worker = { laneId: 'pairs', workerId: 'bench', workerInstanceId: 'bench-1', leaseTtlMs: 60_000 };
  const pair = (): void => void engine.completeExecution({ handle: engine.claim(worker)! });
  for (let i = 0; i < count + warmup; i++) engine.createExecution({ laneId: 'pairs' });
  for (let i = 0; i < warmup; i++) pair();
  const t0 = performance.now();
  for (let i = 0; i < count; i++) pair();
  const ms = performance.now() - t0;
  engine.close();
  return ms;
}

export interface PersistReport {
  persist: {
    mb: number;
    bytes: number;
    exportMs: number;
    flushes: Flush[];
    fullSaveMs: number[];
    /** The same bytes written raw to IndexedDB, as a full save writes them: the browser's own cost (demo/bench.ts indexedDbAlone). */
    indexedDbMs: number[];
  }[];
  /** Cold starts in a dedicated Worker, and in a SharedWorker, in the bench's incognito context. */
  cold: ColdResult[];
  coldShared: ColdResult[];
  /** Cold starts of a saved database holding the schema alone, alternating with the others. */
  coldSmall: ColdResult[];
  /** Full saves of the cold start's image, each on a fresh page in the cold start's loop. */
  coldFullMs: number[];
  /** The cold start again in an on-disk profile, against a full save there. */
  coldOnDisk?: OnDiskCold | undefined;
  coldMb: number;
  pairs: { count: number; worker: number[]; nodeSqlJs: number[]; nodeSqliteWasm: number[] };
}

export function renderPersist(r: PersistReport): string[] {
  const out: string[] = [];
  if (r.persist.length === 0) return renderPairs(r);
  const reps = r.persist[0]?.flushes.length ?? 0;
  const fullReps = r.persist[0]?.fullSaveMs.length ?? 0;
  const flushMs = (p: PersistReport['persist'][number]): number => median(p.flushes.map((f) => f.flushMs));
  const base = r.persist[0] ? flushMs(r.persist[0]) : Number.NaN;
  out.push(
    `persist cycle: flush() after one small write = copy of the pages it wrote + IndexedDB write of them as one delta (strict durability) + one round trip, median of ${reps}; ` +
      `save = the worker's part of it; full save = every chunk (an import), worker-timed, median of ${fullReps}; sizes interleaved rep by rep`,
  );
  out.push(
    renderTable(
      ['size', 'image MB', 'flush ms', `vs ${r.persist[0]?.mb ?? '?'} MB`, 'target', 'result', 'save ms', 'chunks', 'KB written', 'export ms', 'full save ms', 'full ms/MB', 'target', 'result', 'IndexedDB alone ms', 'its ms/MB', 'full vs it'].map((header, i) => ({
        header,
        align: i === 0 || header === 'result' ? ('left' as const) : ('right' as const),
      })),
      r.persist.map((p) => {
        const imageMb = p.bytes / (1024 * 1024);
        const flush = flushMs(p);
        const full = median(p.fullSaveMs);
        const raw = median(p.indexedDbMs);
        const vs = flush / base;
        return [
          `${p.mb} MB`,
          imageMb.toFixed(1),
          flush.toFixed(2),
          fmtX(vs),
          `<= ${PERSIST_TARGET.flushVsSmallest}x`,
          pass(vs <= PERSIST_TARGET.flushVsSmallest),
          median(p.flushes.map((f) => f.saveMs)).toFixed(2),
          String(median(p.flushes.map((f) => f.chunksWritten))),
          (median(p.flushes.map((f) => f.bytesWritten)) / 1024).toFixed(0),
          p.exportMs.toFixed(1),
          full.toFixed(1),
          (full / imageMb).toFixed(2),
          `<= ${PERSIST_TARGET.fullMsPerMb}`,
          pass(full / imageMb <= PERSIST_TARGET.fullMsPerMb),
          raw.toFixed(1),
          (raw / imageMb).toFixed(2),
          fmtX(full / raw),
        ];
      }),
    ),
  );
  out.push('export ms = the whole image exported in the worker, for scale: no save does it any more.');
  out.push(
    `IndexedDB alone = the same bytes as ${CHUNK_SIZE / 1024} KiB records put raw in one transaction (strict durability) from the page, alternating with the full saves: what the browser itself takes to store them, the floor under a full save`,
  );
  if (r.cold.length > 0) {
    out.push('', ...renderCold({ coldMb: r.coldMb, incognitoFullMs: r.coldFullMs, cold: r.cold, coldShared: r.coldShared, coldSmall: r.coldSmall, coldOnDisk: r.coldOnDisk }, median));
  }
  if (r.pairs.worker.length > 0) out.push('', ...renderPairs(r));
  return out;
}

function renderPairs(r: PersistReport): string[] {
  const out: string[] = [];
  const rate = (ms: readonly number[]): number => r.pairs.count / (median(ms) / 1000);
  const node = rate(r.pairs.nodeSqlJs);
  out.push(`claim+complete: ${r.pairs.count} pairs in a loop on a fresh database, median of ${r.pairs.worker.length} interleaved runs; the worker against Node on sql.js (the in-process default)`);
  out.push(
    renderTable(
      ['where', 'pairs/s', 'vs Node sql.js', 'target', 'result'].map((header, i) => ({ header, align: i === 0 || header === 'result' ? ('left' as const) : ('right' as const) })),
      [
        ['Chromium worker, SQLite WASM (page VFS)', fmtOps(rate(r.pairs.worker)), fmtPct(rate(r.pairs.worker) / node), `>= ${PERSIST_TARGET.pairsVsNode * 100}%`, pass(rate(r.pairs.worker) / node >= PERSIST_TARGET.pairsVsNode)],
        ['Node, sql.js', fmtOps(node), fmtPct(1), '', ''],
        ['Node, SQLite WASM (page VFS)', fmtOps(rate(r.pairs.nodeSqliteWasm)), fmtPct(rate(r.pairs.nodeSqliteWasm) / node), '', ''],
      ],
    ),
  );
  return out;
}
