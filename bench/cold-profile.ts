/**
 * Where a cold start's time goes: grows a 10 MB IndexedDB database with the
 * bench page, then opens it in fresh workers while Chromium records a trace
 * with V8's sampling profiler (a trace category, so no debugger session is
 * attached to the worker, which would slow it). The worker marks its phases
 * (src/worker/startup-mark.ts); for each phase this prints its length, how
 * much of it the worker's thread was busy, the longest trace slices and the
 * functions that took the samples, then the IndexedDB work of the start in
 * every process.
 *
 *   npx tsx bench/cold-profile.ts [--reps=3] [--mb=10] [--no-build] [--no-trace]
 *       [--persistent] [--immutable] [--worker=shared|dedicated] [--keep=/tmp/trace] [--analyze=/tmp/trace-0.json]
 *
 * --persistent runs in a profile on disk (else an incognito-like context,
 * whose IndexedDB lives in memory), --immutable serves the assets cacheable
 * for a year, --keep writes each trace, --analyze reports on a kept one.
 */
import { execSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { preview } from 'vite';
import { CHROMIUM_ARGS } from '../scripts/chromium-args.mjs';

const arg = (name: string, fallback: string): string => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const PORT = Number(process.env['FF_BENCH_PORT'] ?? 4179);
const REPS = Number(arg('reps', '3'));
const MB = Number(arg('mb', '10'));
const KEEP = arg('keep', '');
const WORKER = arg('worker', 'shared');
const PERSISTENT = process.argv.includes('--persistent');
const TRACE = !process.argv.includes('--no-trace');
const CATEGORIES = ['disabled-by-default-v8.cpu_profiler', 'blink.user_timing', 'v8.wasm', 'disabled-by-default-v8.wasm.detailed', 'IndexedDB', 'Blob', 'storage', 'v8.execute'];

interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  id?: string;
  args?: { data?: { cpuProfile?: { nodes?: ProfileNode[]; samples?: number[] }; timeDeltas?: number[]; startTime?: number }; name?: string };
}
interface ProfileNode {
  id: number;
  parent?: number;
  callFrame: { functionName: string; url: string; lineNumber: number; codeType?: string };
}

async function main(): Promise<void> {
  const analyze = arg('analyze', '');
  if (analyze) {
    report((JSON.parse(readFileSync(analyze, 'utf8')) as { traceEvents: TraceEvent[] }).traceEvents);
    return;
  }
  if (!process.argv.includes('--no-build')) execSync('npx vite build --config vite.config.ts --logLevel error', { stdio: 'inherit' });
  const headers: Record<string, string> = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
  // --immutable: hashed assets served as a production host serves them, cacheable for a year (Vite's preview says no-cache).
  if (process.argv.includes('--immutable')) headers['Cache-Control'] = 'public, max-age=31536000, immutable';
  const server = await preview({ configFile: 'vite.config.ts', logLevel: 'error', preview: { port: PORT, strictPort: true, host: '127.0.0.1', headers } });
  const launch = { executablePath: process.env['FF_CHROMIUM'] ?? '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true };
  // --persistent: a profile on disk, as a user's browser has (HTTP and code caches kept between loads); else an incognito-like context.
  const context = PERSISTENT ? await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'ff-cold-')), launch) : await (await chromium.launch(launch)).newContext();
  const browser = context.browser() ?? (await chromium.launch(launch));
  const url = `http://127.0.0.1:${PORT}/bench.html?worker=${WORKER}`;
  const newPage = async (): Promise<Page> => {
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForFunction(() => 'ffBench' in window);
    return page;
  };
  const name = `profile-${Date.now().toString(36)}`;
  const results: Record<string, number>[] = [];
  try {
    let page = await newPage();
    await page.evaluate(`window.ffBench.persistGrow(${JSON.stringify({ name, mb: MB })})`);
    await page.evaluate(`window.ffBench.persistClose(${JSON.stringify({ name })})`);
    for (let r = 0; r < REPS; r++) {
      // Closing the page ends its worker: each start gets a new one.
      await page.close();
      await new Promise((resolve) => setTimeout(resolve, 500));
      page = await newPage();
      if (TRACE) await browser.startTracing(undefined, { categories: CATEGORIES });
      const result = (await page.evaluate(`window.ffBench.coldStart(${JSON.stringify({ name })})`)) as Record<string, number>;
      results.push(result);
      console.log(`\n=== cold start ${r + 1}: ${JSON.stringify(result)}`);
      if (!TRACE) continue;
      const trace = JSON.parse((await browser.stopTracing()).toString('utf8')) as { traceEvents: TraceEvent[] };
      if (KEEP) writeFileSync(`${KEEP}-${r}.json`, JSON.stringify(trace));
      report(trace.traceEvents);
    }
    const med = (k: string): string => {
      const xs = results.map((x) => x[k]!).sort((a, b) => a - b);
      return (xs[Math.floor(xs.length / 2)] ?? Number.NaN).toFixed(1);
    };
    console.log(`\nmedian of ${results.length}: total ${med('totalMs')} = store ${med('storeMs')} + load ${med('loadMs')} (ready ${med('readyMs')}) + open ${med('openMs')} + migrate ${med('migrateMs')}; page wall ${med('wallMs')}`);
  } finally {
    await context.close();
    await browser.close();
    await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
  }
}

function report(events: TraceEvent[]): void {
  const threadNames = new Map<string, string>();
  for (const e of events) if (e.name === 'thread_name' && e.args?.name) threadNames.set(`${e.pid}:${e.tid}`, e.args.name);
  // The worker thread is the one that marked ff:script (worker-entry.ts).
  const marks = events.filter((e) => e.name.startsWith('ff:') && e.cat.includes('user_timing')).sort((a, b) => a.ts - b.ts);
  const first = marks.find((m) => m.name === 'ff:host');
  if (!first) {
    console.log('no ff:host mark in the trace');
    return;
  }
  const thread = `${first.pid}:${first.tid}`;
  const origin = marks.find((m) => m.name === 'ff:script')?.ts ?? first.ts;
  const rel = (ts: number): string => ((ts - origin) / 1000).toFixed(1).padStart(7);
  console.log(`-- worker thread ${threadNames.get(thread) ?? thread}; marks (ms from ff:script):`);
  for (const m of marks) if (`${m.pid}:${m.tid}` === thread) console.log(`   ${rel(m.ts)}  ${m.name}`);
  const windows = marks.filter((m) => `${m.pid}:${m.tid}` === thread);
  const samples = profileSamples(events, first.pid, first.tid);
  // The start-up windows: between consecutive marks, what the thread sampled.
  for (let i = 0; i + 1 < windows.length; i++) {
    const [from, to] = [windows[i]!.ts, windows[i + 1]!.ts];
    const self = new Map<string, number>();
    let busy = 0;
    for (const s of samples) {
      if (s.ts < from || s.ts >= to || s.key.startsWith('(idle)')) continue;
      self.set(s.key, (self.get(s.key) ?? 0) + s.dt);
      busy += s.dt;
    }
    const slices = events
      .filter((e) => `${e.pid}:${e.tid}` === thread && e.ph === 'X' && (e.dur ?? 0) >= 1000 && e.ts >= from && e.ts < to && !/StackGuard|Interrupt|Profiling|AsyncTask|RunMicrotasks|callFunction|FunctionCall/.test(e.name))
      .map((e) => `${e.name} ${((e.dur ?? 0) / 1000).toFixed(1)}`);
    console.log(`   [${windows[i]!.name} -> ${windows[i + 1]!.name}] ${((to - from) / 1000).toFixed(1)} ms, ${(busy / 1000).toFixed(1)} busy; slices: ${slices.slice(0, 12).join(', ')}`);
    for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 12)) if (v >= 300) console.log(`        ${(v / 1000).toFixed(1).padStart(6)}  ${k}`);
  }
  // The store's side: IndexedDB work in the browser process during the start.
  const end = windows[windows.length - 1]!.ts;
  const idb = new Map<string, { n: number; dur: number }>();
  for (const e of events) {
    if (e.ph !== 'X' || e.ts < origin || e.ts > end || !/IndexedDB|Transaction|Database::|Backing|Blob|LevelDB|Sql/i.test(`${e.cat} ${e.name}`)) continue;
    const key = `${threadNames.get(`${e.pid}:${e.tid}`) ?? e.tid} | ${e.name}`;
    const s = idb.get(key) ?? { n: 0, dur: 0 };
    s.n++;
    s.dur += e.dur ?? 0;
    idb.set(key, s);
  }
  console.log('-- IndexedDB and blob work during the start (all processes):');
  for (const [k, s] of [...idb].sort((a, b) => b[1].dur - a[1].dur).slice(0, 15)) console.log(`   ${(s.dur / 1000).toFixed(1).padStart(7)} ms  x${s.n}  ${k}`);
}

/** The sampled stacks of one thread: each sample's leaf function and how long it stood for. */
function profileSamples(events: TraceEvent[], pid: number, tid: number): { ts: number; dt: number; key: string }[] {
  const out: { ts: number; dt: number; key: string }[] = [];
  for (const profile of events.filter((e) => e.name === 'Profile' && e.pid === pid && e.tid === tid)) {
    const nodes = new Map<number, ProfileNode>();
    const ids: number[] = [];
    const deltas: number[] = [];
    for (const e of events) {
      if (e.name !== 'ProfileChunk' || e.pid !== pid || e.id !== profile.id) continue;
      for (const n of e.args?.data?.cpuProfile?.nodes ?? []) nodes.set(n.id, n);
      ids.push(...(e.args?.data?.cpuProfile?.samples ?? []));
      deltas.push(...(e.args?.data?.timeDeltas ?? []));
    }
    let t = profile.args?.data?.startTime ?? profile.ts;
    const times = deltas.map((d) => (t += d));
    for (let i = 0; i + 1 < ids.length; i++) {
      const f = nodes.get(ids[i]!)?.callFrame;
      if (!f) continue;
      out.push({ ts: times[i]!, dt: times[i + 1]! - times[i]!, key: `${f.functionName || '(anonymous)'} ${shortUrl(f.url)}:${f.lineNumber}` });
    }
  }
  return out;
}

function shortUrl(url: string | undefined): string {
  return (url ?? '').replace(/^https?:\/\/[^/]+/, '').replace(/-[A-Za-z0-9_]{8}\.(js|wasm)/, '.$1');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
