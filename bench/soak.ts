/**
 * Soak: a busy engine (soak-workload.ts) on virtual time with every default
 * scanner, run for a number of scanner ticks. What it checks is that history
 * does not grow without bound: with default retention the database levels
 * off (target: under 20 MB after 1,000,000 ticks), and the JS heap stays
 * flat. The same run with retention off (`maxAgeMs: 0`) shows what it saves.
 *
 * Sizes are the database image (page_count × page_size: what export and
 * IndexedDB hold); sql.js keeps freed pages and reuses them, so the image
 * is the high-water mark of the live data. The heap is V8's used heap after
 * a full GC (sql.js's own memory is a WASM ArrayBuffer, reported apart).
 */
import { createEngine } from '../src/engine/create-engine.js';
import { seededIds } from '../src/engine/core/ids.js';
import type { Engine } from '../src/engine/engine.js';
import type { RetentionOptions } from '../src/engine/retention/retention-options.js';
import { ManualClock } from '../src/engine/time/clock.js';
import type { Driver } from '../src/db/driver.js';
import { gc } from './core-ops.js';
import { SoakWorkload, type WorkloadCounts } from './soak-workload.js';
import { renderTable } from './table.js';

export const SOAK_TARGET_BYTES = 20 * 1024 * 1024;
/**
 * One new execution every three minutes (a fifth of them failing 30 times
 * before giving up) on top of the retries, reclaims and budget traffic:
 * about 7,000 over a million ticks. Terminal executions keep their row and
 * attempts (about 1.5 KB each in this workload); retention bounds their
 * history, not their number.
 */
const CREATE_EVERY_S = 180;
/** Three hours of virtual time: past the default age, so the trimmer has run before the heap baseline. */
const WARM_UP_S = 3 * 3_600;
const TABLES = ['ff_exec_core', 'ff_attempt', 'ff_attempt_fold', 'ff_lease_event', 'ff_completion_event', 'ff_budget_event', 'ff_worker_registry_event', 'ff_operator_event'];

export interface SoakSample {
  ticks: number;
  virtualHours: number;
  imageBytes: number;
  heapBytes: number;
}

export interface SoakResult {
  label: string;
  ticks: number;
  virtualHours: number;
  wallMs: number;
  samples: SoakSample[];
  heapBeforeBytes: number;
  heapAfterBytes: number;
  wasmBytes: number;
  imageBytes: number;
  freePages: number;
  rows: Record<string, number>;
  counts: WorkloadCounts;
  error?: string;
}

function imageBytes(engine: Engine): { bytes: number; free: number } {
  const one = (sql: string): number => Object.values(engine.driver.prepare(sql).get<Record<string, number>>()!)[0]!;
  return { bytes: one('PRAGMA page_count') * one('PRAGMA page_size'), free: one('PRAGMA freelist_count') };
}

function heap(): { used: number; buffers: number } {
  gc();
  const m = process.memoryUsage();
  return { used: m.heapUsed, buffers: m.arrayBuffers };
}

/** Run the workload until `ticks` scanner ticks have run; `samples` evenly spaced size readings. */
export async function runSoak(label: string, driver: Driver, ticks: number, retention: RetentionOptions = {}, samples = 10): Promise<SoakResult> {
  const clock = new ManualClock(1_700_000_000_000);
  const start = clock.now();
  const engine = await createEngine({ devMode: true, driver, clock, banner: false, ids: seededIds(11), scanners: { retention } });
  try {
    const workload = new SoakWorkload(engine, CREATE_EVERY_S);
    // The heap baseline is taken once every code path has run, the trimmer's
    // included: after WARM_UP_S of virtual time (longer than the default age).
    let warmTicks = 0;
    for (let i = 0; i < WARM_UP_S; i++) {
      workload.step();
      warmTicks += engine.advanceTime({ ms: 1_000 }).ticks;
    }
    const before = heap();
    const result: SoakResult = {
      label,
      ticks: warmTicks,
      virtualHours: 0,
      wallMs: 0,
      samples: [],
      heapBeforeBytes: before.used,
      heapAfterBytes: 0,
      wasmBytes: 0,
      imageBytes: 0,
      freePages: 0,
      rows: {},
      counts: workload.counts,
    };
    const every = Math.max(1, Math.floor(ticks / samples));
    let nextSample = Math.max(every, warmTicks);
    const t0 = performance.now();
    while (result.ticks < ticks) {
      workload.step();
      result.ticks += engine.advanceTime({ ms: 1_000 }).ticks;
      if (result.ticks >= nextSample) {
        nextSample += every;
        const hours = (clock.now() - start) / 3_600_000;
        result.samples.push({ ticks: result.ticks, virtualHours: hours, imageBytes: imageBytes(engine).bytes, heapBytes: heap().used });
      }
    }
    result.wallMs = performance.now() - t0;
    result.virtualHours = (clock.now() - start) / 3_600_000;
    const after = heap();
    result.heapAfterBytes = after.used;
    result.wasmBytes = after.buffers;
    const size = imageBytes(engine);
    result.imageBytes = size.bytes;
    result.freePages = size.free;
    for (const table of TABLES) result.rows[table] = engine.driver.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get<{ n: number }>()!.n;
    return result;
  } finally {
    engine.close();
  }
}

const mb = (b: number): string => (Number.isFinite(b) ? `${(b / 1024 / 1024).toFixed(1)} MB` : '-');
const n = (v: number): string => v.toLocaleString('en-US');

export function renderSoak(results: SoakResult[]): string {
  const summary = renderTable(
    [
      { header: 'run', align: 'left' },
      { header: 'ticks' },
      { header: 'virtual' },
      { header: 'wall s' },
      { header: 'image' },
      { header: 'heap before → after' },
      { header: 'wasm' },
      { header: 'executions' },
      { header: 'target' },
      { header: 'result', align: 'left' },
    ],
    results.map((r) => [
      r.label,
      n(r.ticks),
      `${(r.virtualHours / 24).toFixed(1)} d`,
      (r.wallMs / 1000).toFixed(0),
      mb(r.imageBytes),
      `${mb(r.heapBeforeBytes)} → ${mb(r.heapAfterBytes)}`,
      mb(r.wasmBytes),
      n(r.counts.created),
      r.label.includes('off') ? '(baseline)' : '< 20 MB',
      r.error ? `ERROR ${r.error}` : r.label.includes('off') ? '' : r.imageBytes < SOAK_TARGET_BYTES ? 'PASS' : 'MISS',
    ]),
  );
  const growth = results
    .filter((r) => r.samples.length > 0)
    .map((r) => `${r.label}: image / heap by ticks: ${r.samples.map((s) => `${n(s.ticks)} ${mb(s.imageBytes)} / ${mb(s.heapBytes)}`).join(', ')}`);
  const rows = results.map((r) => `${r.label}: rows ${Object.entries(r.rows).map(([t, v]) => `${t.replace(/^ff_/, '')} ${n(v)}`).join(', ')}; free pages ${n(r.freePages)}`);
  const work = results.map((r) => {
    const c = r.counts;
    return `${r.label}: ${n(c.created)} created, ${n(c.completed)} completed, ${n(c.retried)} retried, ${n(c.failed)} failed, ${n(c.vanished)} vanished, ${n(c.reclaimed)} reclaimed, ${n(c.usageReports)} usage reports`;
  });
  return [summary, ...growth, ...rows, ...work].join('\n');
}

export function failedSoak(label: string, error: string): SoakResult {
  const counts: WorkloadCounts = { created: 0, completed: 0, failed: 0, retried: 0, reclaimed: 0, vanished: 0, usageReports: 0 };
  return { label, ticks: 0, virtualHours: 0, wallMs: Number.NaN, samples: [], heapBeforeBytes: Number.NaN, heapAfterBytes: Number.NaN, wasmBytes: Number.NaN, imageBytes: Number.NaN, freePages: 0, rows: {}, counts, error };
}
