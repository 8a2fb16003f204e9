/**
 * The cold-start tables of `npm run bench:browser`. A start pays the
 * worker's boot (its script, SQLite's WebAssembly) and SQLite's first open
 * whatever the database holds; the image's size adds the read. So besides
 * each start's phases, the target compares what the 10 MB image adds to a
 * start (from the host's start until ready, minus the same for a saved
 * database holding the schema alone, started alternately in the same
 * context) with one full save of the image there.
 */
import type { ColdResult, OnDiskCold } from './browser-cold.js';
import { fmtX, renderTable } from './table.js';

export interface ColdReport {
  coldMb: number;
  /** Full saves of the image in the bench's incognito-like context, each on a fresh page in the cold start's loop (worker-timed). */
  incognitoFullMs: number[];
  cold: ColdResult[];
  coldShared: ColdResult[];
  coldSmall: ColdResult[];
  coldOnDisk?: OnDiskCold | undefined;
}

export const COLD_TARGET = 2;

export function renderCold(r: ColdReport, median: (xs: readonly number[]) => number): string[] {
  const out: string[] = [];
  const first = r.cold[0];
  const small = (r.coldSmall[0]?.bytes ?? 0) / 1048576;
  out.push(
    `cold start: a new page's dedicated Worker (a SharedWorker in the row that says so) opens the saved ${r.coldMb} MB database (${first?.openedFrom ?? '?'}, ${((first?.bytes ?? 0) / 1048576).toFixed(1)} MB), ` +
      `or, alternating with it, one holding the schema alone (${small.toFixed(2)} MB); medians. From the worker's creation: loaded = its script loaded, script = and run, ` +
      `boot = until the host began (SQLite's WebAssembly compiling meanwhile, the page's open message taken). From there: store = IndexedDB opened, load = the image read, ` +
      `wasm = SQLite's WebAssembly instantiated and set up (from the same moment as the read, which it overlaps), open = SQLite opens the chunks, migrate = migrations + engine, ` +
      `host to ready = all of that; page wall = createBrowserBackend() as the page sees it`,
  );
  const col = (runs: readonly ColdResult[], pick: (c: ColdResult) => number): string => (runs.length > 0 ? median(runs.map(pick)).toFixed(1) : '-');
  const row = (label: string, runs: readonly ColdResult[]): string[] => [
    label,
    String(runs.length),
    col(runs, (c) => c.loadedScriptMs),
    col(runs, (c) => c.scriptMs),
    col(runs, (c) => c.bootMs),
    col(runs, (c) => c.storeMs),
    col(runs, (c) => c.loadMs),
    col(runs, (c) => c.readyMs),
    col(runs, (c) => c.openMs),
    col(runs, (c) => c.migrateMs),
    col(runs, (c) => c.totalMs),
    col(runs, (c) => c.wallMs),
  ];
  const disk = r.coldOnDisk;
  const rows = [row(`incognito context (IndexedDB in memory), ${r.coldMb} MB`, r.cold), row('incognito, in a SharedWorker', r.coldShared), row('incognito, schema alone', r.coldSmall)];
  if (disk) {
    rows.push(row(`on-disk profile, ${r.coldMb} MB`, disk.cold), row('on-disk profile, schema alone', disk.coldSmall));
    if (disk.restart.length > 0) rows.push(row(`on-disk profile, ${r.coldMb} MB, after a browser restart`, disk.restart));
  }
  const headers = ['context', 'runs', 'loaded ms', 'script ms', 'boot ms', 'store ms', 'load ms', 'wasm ms', 'open ms', 'migrate ms', 'host to ready ms', 'page wall ms'];
  out.push(renderTable(headers.map((header, i) => ({ header, align: i === 0 ? ('left' as const) : ('right' as const) })), rows));

  // The target: what the image adds to a start, against writing the image whole once. Counted from the host's
  // start (the worker's boot, before it, never depends on the database, but its noise would swamp the difference).
  const target = (label: string, large: readonly ColdResult[], base: readonly ColdResult[], fullMs: readonly number[]): string[] => {
    const at = (runs: readonly ColdResult[], pick: (c: ColdResult) => number): number => median(runs.map(pick));
    const added = at(large, (c) => c.totalMs) - at(base, (c) => c.totalMs);
    const full = median(fullMs);
    const ratio = added / full;
    return [
      label,
      at(large, (c) => c.totalMs).toFixed(1),
      at(base, (c) => c.totalMs).toFixed(1),
      added.toFixed(1),
      full.toFixed(1),
      fmtX(ratio),
      `<= ${COLD_TARGET}x`,
      ratio <= COLD_TARGET ? 'ok' : 'MISS',
      fmtX(at(large, (c) => c.totalMs) / full),
      (at(large, (c) => c.wallMs) - at(base, (c) => c.wallMs)).toFixed(1),
    ];
  };
  const targets = [target('incognito context', r.cold, r.coldSmall, r.incognitoFullMs)];
  if (disk && disk.coldSmall.length > 0) targets.push(target('on-disk profile', disk.cold, disk.coldSmall, disk.freshFullSaveMs));
  out.push(
    '',
    `what the ${r.coldMb} MB image adds to a start: host to ready, minus the schema alone's, against one full save of it in the same context, on a fresh page in the same loop (worker-timed, medians); ` +
      'then host to ready over the full save, and the difference in the page\'s wall time (which carries the boot\'s noise too)',
  );
  const targetHeaders = ['context', `${r.coldMb} MB host to ready`, 'schema host to ready', 'added ms', 'full save ms', 'ratio', 'target', 'result', 'host to ready / full', 'wall added ms'];
  out.push(renderTable(targetHeaders.map((header, i) => ({ header, align: i === 0 || header === 'result' ? ('left' as const) : ('right' as const) })), targets));
  return out;
}
