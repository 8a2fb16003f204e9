/**
 * `npm run bench` — the engine on sql.js against the same engine on
 * better-sqlite3 (DESIGN.md §4). Every scenario gets a fresh engine per
 * driver on a RealClock, warms up, then times each op on its own; the
 * tables report ops/s, p50 and p99, and the sql.js/native ratio against the
 * targets. A miss is reported, never turned into a non-zero exit code (only
 * a scenario that crashes is).
 *
 *   npx tsx bench/run.ts            full run (about 1–2 minutes on 2 cores)
 *   npx tsx bench/run.ts --quick    small counts, a smoke check
 *   npx tsx bench/run.ts --json     also write bench/results.json
 *
 * Progress goes to stderr; the tables go to stdout.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { CreateExecutionInput } from '../src/api/executions.js';
import type { Handle } from '../src/api/handle.js';
import { createBetterSqlite3Driver } from '../src/db/better-sqlite3-driver.js';
import type { Driver } from '../src/db/driver.js';
import { createSqlJsDriver } from '../src/db/sqljs-driver.js';
import { RealClock } from '../src/engine/time/clock.js';
import { createEngine } from '../src/engine/create-engine.js';
import type { Engine } from '../src/engine/engine.js';
import { prng, Samples, summarize, type Summary } from './stats.js';
import { fmtOps, fmtPct, fmtUs, fmtX, renderTable } from './table.js';
import { failedFlowBench, renderFlowBench, runFlowBench } from './flows.js';
import { renderBudgetReset, reportUsageScenario, runBudgetResetTick, type BudgetResetResult } from './budgets.js';
import { failedVirtualTime, renderVirtualTime, runVirtualTime, type VirtualTimeResult } from './virtual-time.js';
import { renderTemplateBench, runTemplateBench } from './template.js';

// ── configuration ──────────────────────────────────────────────────────

const KNOWN_FLAGS = new Set(['--quick', '--json']);
const argv = process.argv.slice(2);
for (const arg of argv) if (!KNOWN_FLAGS.has(arg)) process.stderr.write(`bench: ignoring unknown argument ${arg}\n`);
const QUICK = argv.includes('--quick');
const JSON_OUT = argv.includes('--json');

interface Config {
  /** Measured ops per driver for each hot-op scenario. */
  ops: number;
  /** Untimed ops before measuring. */
  warmup: number;
  /** Executions that random point reads pick from. */
  readPool: number;
  /** Queue sizes for the backlog comparison; the first is the baseline. */
  backlogs: readonly [number, number];
  backlogClaims: number;
  backlogWarmup: number;
  /** Executions per createExecutions call when building backlogs. */
  setupBatch: number;
  bulkSize: number;
  bulkReps: number;
}

const CONFIG: Config = QUICK
  ? { ops: 300, warmup: 50, readPool: 2000, backlogs: [1000, 10_000], backlogClaims: 100, backlogWarmup: 20, setupBatch: 5000, bulkSize: 1000, bulkReps: 2 }
  : { ops: 3000, warmup: 200, readPool: 10_000, backlogs: [1000, 100_000], backlogClaims: 300, backlogWarmup: 50, setupBatch: 5000, bulkSize: 1000, bulkReps: 5 };

/** DESIGN.md §4 targets. */
const TARGET_PAIR = 0.5;
const TARGET_HOT = 0.35;
const TARGET_BACKLOG = 1.5;

const LANE = 'bench';
const CLAIM = {
  laneId: LANE,
  workerId: 'bench-worker',
  workerInstanceId: 'bench-worker-1',
  // Long enough that no lease expires during a run on the real clock.
  leaseTtlMs: 600_000,
} as const;
const RETRY: CreateExecutionInput['retryPolicy'] = { maxRetries: 3, backoff: { type: 'fixed', delayMs: 0 } };

// ── drivers and engines ────────────────────────────────────────────────

const DRIVER_NAMES = ['sql.js', 'better-sqlite3'] as const;
type DriverName = (typeof DRIVER_NAMES)[number];

const DRIVERS: Record<DriverName, () => Promise<Driver>> = {
  'sql.js': () => createSqlJsDriver(),
  'better-sqlite3': () => createBetterSqlite3Driver(),
};

function freshEngine(name: DriverName): Promise<Engine> {
  return DRIVERS[name]().then((driver) => createEngine({ devMode: true, driver, clock: new RealClock(), banner: false, scanners: false }));
}

/** A full GC between scenarios keeps one scenario's garbage out of the next one's samples. */
const gc: () => void = (() => {
  try {
    v8.setFlagsFromString('--expose-gc');
    const fn: unknown = vm.runInNewContext('gc');
    if (typeof fn === 'function') return () => (fn as () => void)();
  } catch {
    // Not available: carry on without.
  }
  return () => {};
})();

function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** Create `count` executions in the bench lane with createExecutions batches; returns their ids. */
function seed(engine: Engine, count: number, extra: Partial<CreateExecutionInput> = {}): string[] {
  const ids: string[] = [];
  for (let done = 0; done < count; ) {
    const size = Math.min(CONFIG.setupBatch, count - done);
    const { results } = engine.createExecutions({ executions: Array.from({ length: size }, () => ({ laneId: LANE, ...extra })) });
    for (const r of results) ids.push(r.executionId);
    done += size;
  }
  return ids;
}

function claimOne(engine: Engine): Handle {
  const handle = engine.claim(CLAIM);
  if (!handle) throw new Error('claim returned null with a non-empty backlog');
  return handle;
}

function claimMany(engine: Engine, count: number): Handle[] {
  return Array.from({ length: count }, () => claimOne(engine));
}

// ── hot-op scenarios ───────────────────────────────────────────────────

interface OpScenario {
  key: string;
  label: string;
  target: number;
  /** Set up, warm up `warmup` ops, then record exactly `n` samples into `s`. */
  run(engine: Engine, n: number, warmup: number, s: Samples): void;
}

const OP_SCENARIOS: OpScenario[] = [
  {
    key: 'create',
    label: 'create (1 per call)',
    target: TARGET_HOT,
    run(engine, n, warmup, s) {
      for (let i = 0; i < warmup; i++) engine.createExecution({ laneId: LANE });
      for (let i = 0; i < n; i++) s.time(() => engine.createExecution({ laneId: LANE }));
    },
  },
  {
    key: 'claim',
    label: 'claim',
    target: TARGET_HOT,
    run(engine, n, warmup, s) {
      seed(engine, warmup + n);
      for (let i = 0; i < warmup; i++) claimOne(engine);
      for (let i = 0; i < n; i++) if (!s.time(() => engine.claim(CLAIM))) throw new Error('claim returned null');
    },
  },
  {
    key: 'complete',
    label: 'complete',
    target: TARGET_HOT,
    run(engine, n, warmup, s) {
      seed(engine, warmup + n);
      const handles = claimMany(engine, warmup + n);
      for (let i = 0; i < warmup; i++) engine.completeExecution({ handle: handles[i]! });
      for (let i = warmup; i < warmup + n; i++) {
        const handle = handles[i]!;
        s.time(() => engine.completeExecution({ handle }));
      }
    },
  },
  {
    key: 'fail_retry',
    label: 'fail (retry scheduled)',
    target: TARGET_HOT,
    run(engine, n, warmup, s) {
      seed(engine, warmup + n, { retryPolicy: RETRY });
      const handles = claimMany(engine, warmup + n);
      for (let i = 0; i < warmup; i++) engine.failExecution({ handle: handles[i]!, reason: 'bench' });
      for (let i = warmup; i < warmup + n; i++) {
        const handle = handles[i]!;
        const result = s.time(() => engine.failExecution({ handle, reason: 'bench' }));
        if (result.kind !== 'retry_scheduled') throw new Error(`failExecution: expected retry_scheduled, got ${result.kind}`);
      }
    },
  },
  {
    key: 'read',
    label: 'point read (info)',
    target: TARGET_HOT,
    run(engine, n, warmup, s) {
      const ids = seed(engine, CONFIG.readPool);
      const random = prng(0x5eed);
      const pick = (): string => ids[Math.floor(random() * ids.length)]!;
      for (let i = 0; i < warmup; i++) engine.readExecutionInfo({ executionId: pick() });
      for (let i = 0; i < n; i++) {
        const executionId = pick();
        if (!s.time(() => engine.readExecutionInfo({ executionId }))) throw new Error(`readExecutionInfo(${executionId}) returned null`);
      }
    },
  },
  {
    key: 'claim_complete',
    label: 'claim+complete pair',
    target: TARGET_PAIR,
    run(engine, n, warmup, s) {
      seed(engine, warmup + n);
      for (let i = 0; i < warmup; i++) engine.completeExecution({ handle: claimOne(engine) });
      for (let i = 0; i < n; i++) s.time(() => engine.completeExecution({ handle: claimOne(engine) }));
    },
  },
  reportUsageScenario(TARGET_HOT),
];

interface OpResult {
  key: string;
  label: string;
  target: number;
  drivers: Partial<Record<DriverName, Summary>>;
  /** sql.js ops/s ÷ better-sqlite3 ops/s. */
  ratio: number;
  /** better-sqlite3 p50 ÷ sql.js p50 (the same ratio, from medians). */
  ratioP50: number;
  pass: boolean;
  error?: string;
}

async function runOpScenario(sc: OpScenario): Promise<OpResult> {
  const drivers: Partial<Record<DriverName, Summary>> = {};
  for (const name of DRIVER_NAMES) {
    gc();
    progress(`  ${sc.label} on ${name} ...`);
    const engine = await freshEngine(name);
    try {
      const s = new Samples(CONFIG.ops);
      sc.run(engine, CONFIG.ops, CONFIG.warmup, s);
      drivers[name] = summarize(s);
    } finally {
      engine.close();
    }
  }
  const js = drivers['sql.js']!;
  const native = drivers['better-sqlite3']!;
  const ratio = js.opsPerSec / native.opsPerSec;
  return { key: sc.key, label: sc.label, target: sc.target, drivers, ratio, ratioP50: native.p50Us / js.p50Us, pass: ratio >= sc.target };
}

// ── claim cost against backlog size ────────────────────────────────────

interface BacklogResult {
  driver: DriverName;
  /** Queue size → claim summary (the queue holds exactly that many at every timed claim). */
  sizes: { queued: number; setupMs: number; claim: Summary }[];
  /** p50 at the large backlog ÷ p50 at the small one. */
  ratio: number;
  pass: boolean;
  error?: string;
}

async function runBacklog(name: DriverName): Promise<BacklogResult> {
  const sizes: BacklogResult['sizes'] = [];
  for (const queued of CONFIG.backlogs) {
    gc();
    progress(`  claim with ${queued.toLocaleString('en-US')} queued on ${name} ...`);
    const engine = await freshEngine(name);
    try {
      const t0 = performance.now();
      seed(engine, queued);
      const setupMs = performance.now() - t0;
      const s = new Samples(CONFIG.backlogClaims);
      // Each claim takes one execution; an untimed create puts one back, so
      // every timed claim sees exactly `queued` claimable executions.
      for (let i = 0; i < CONFIG.backlogWarmup + CONFIG.backlogClaims; i++) {
        const handle = i < CONFIG.backlogWarmup ? engine.claim(CLAIM) : s.time(() => engine.claim(CLAIM));
        if (!handle) throw new Error('claim returned null with a non-empty backlog');
        engine.createExecution({ laneId: LANE });
      }
      sizes.push({ queued, setupMs, claim: summarize(s) });
    } finally {
      engine.close();
    }
  }
  const ratio = sizes[1]!.claim.p50Us / sizes[0]!.claim.p50Us;
  return { driver: name, sizes, ratio, pass: ratio <= TARGET_BACKLOG };
}

// ── bulk create: one batch call vs one call per execution ──────────────

interface BulkResult {
  driver: DriverName;
  single: Summary;
  /** Latencies per execution (batch latency ÷ batch size). */
  batch: Summary;
  speedup: number;
  error?: string;
}

async function runBulk(name: DriverName): Promise<BulkResult> {
  gc();
  progress(`  bulk create ${CONFIG.bulkSize} on ${name} ...`);
  const engine = await freshEngine(name);
  try {
    const size = CONFIG.bulkSize;
    const batchInput = (): { executions: { laneId: string }[] } => ({ executions: Array.from({ length: size }, () => ({ laneId: LANE })) });
    // Warm-up: one batch, one round of single calls.
    engine.createExecutions(batchInput());
    for (let i = 0; i < size; i++) engine.createExecution({ laneId: LANE });
    const single = new Samples(size * CONFIG.bulkReps);
    const batch = new Samples(CONFIG.bulkReps);
    for (let rep = 0; rep < CONFIG.bulkReps; rep++) {
      const input = batchInput(); // built outside the timed call
      batch.time(() => engine.createExecutions(input));
      for (let i = 0; i < size; i++) single.time(() => engine.createExecution({ laneId: LANE }));
    }
    const s = summarize(single);
    const b = summarize(batch, size);
    return { driver: name, single: s, batch: b, speedup: b.opsPerSec / s.opsPerSec };
  } finally {
    engine.close();
  }
}

// ── main ───────────────────────────────────────────────────────────────

/** Run a short mixed workload on every driver so the engine code is JIT-compiled before any scenario. */
async function globalWarmup(): Promise<void> {
  for (const name of DRIVER_NAMES) {
    const engine = await freshEngine(name);
    try {
      const ids = seed(engine, 500, { retryPolicy: RETRY });
      for (let i = 0; i < 200; i++) engine.createExecution({ laneId: LANE });
      for (let i = 0; i < 200; i++) engine.completeExecution({ handle: claimOne(engine) });
      for (let i = 0; i < 100; i++) engine.failExecution({ handle: claimOne(engine), reason: 'warmup' });
      for (let i = 0; i < 200; i++) engine.readExecutionInfo({ executionId: ids[i]! });
    } finally {
      engine.close();
    }
  }
}

function packageVersion(pkg: string): string {
  try {
    const url = new URL(`../node_modules/${pkg}/package.json`, import.meta.url);
    return (JSON.parse(readFileSync(url, 'utf8')) as { version?: string }).version ?? '?';
  } catch {
    return '?';
  }
}

async function sqliteVersion(name: DriverName): Promise<string> {
  const driver = await DRIVERS[name]();
  try {
    return driver.prepare('SELECT sqlite_version() AS v').get<{ v: string }>()?.v ?? '?';
  } finally {
    driver.close();
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

const passText = (pass: boolean): string => (pass ? 'PASS' : 'MISS');
const k = (n: number): string => (n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n));

async function main(): Promise<void> {
  const started = performance.now();
  const env = {
    mode: QUICK ? 'quick' : 'full',
    date: new Date().toISOString(),
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? '?',
    sqljs: `sql.js ${packageVersion('sql.js')} (SQLite ${await sqliteVersion('sql.js')})`,
    native: `better-sqlite3 ${packageVersion('better-sqlite3')} (SQLite ${await sqliteVersion('better-sqlite3')})`,
    config: CONFIG,
  };
  progress(`bench (${env.mode}): warming up ...`);
  await globalWarmup();

  const ops: OpResult[] = [];
  for (const sc of OP_SCENARIOS) {
    try {
      ops.push(await runOpScenario(sc));
    } catch (err) {
      process.exitCode = 1;
      progress(`  ${sc.label}: ERROR ${errorText(err)}`);
      ops.push({ key: sc.key, label: sc.label, target: sc.target, drivers: {}, ratio: Number.NaN, ratioP50: Number.NaN, pass: false, error: errorText(err) });
    }
  }

  const backlog: BacklogResult[] = [];
  for (const name of DRIVER_NAMES) {
    try {
      backlog.push(await runBacklog(name));
    } catch (err) {
      process.exitCode = 1;
      progress(`  backlog on ${name}: ERROR ${errorText(err)}`);
      backlog.push({ driver: name, sizes: [], ratio: Number.NaN, pass: false, error: errorText(err) });
    }
  }

  const bulk: BulkResult[] = [];
  for (const name of DRIVER_NAMES) {
    try {
      bulk.push(await runBulk(name));
    } catch (err) {
      process.exitCode = 1;
      progress(`  bulk on ${name}: ERROR ${errorText(err)}`);
      const empty = summarize(new Samples(0));
      bulk.push({ driver: name, single: empty, batch: empty, speedup: Number.NaN, error: errorText(err) });
    }
  }
  const resetSizes = QUICK ? [100, 1_000] : [1_000, 10_000];
  const budgetReset: BudgetResetResult[] = [];
  for (const name of DRIVER_NAMES) {
    progress(`  budget_reset tick on ${name} ...`);
    try {
      budgetReset.push(await runBudgetResetTick(name, DRIVERS[name], resetSizes, QUICK ? 20 : 100));
    } catch (err) {
      process.exitCode = 1;
      budgetReset.push({ driver: name, sizes: [], ratio: Number.NaN, error: errorText(err) });
    }
  }
  const flows = [];
  for (const name of DRIVER_NAMES) {
    progress(`  flows on ${name} ...`);
    try {
      flows.push(await runFlowBench(name, DRIVERS[name], QUICK));
    } catch (err) {
      process.exitCode = 1;
      flows.push(failedFlowBench(name, errorText(err)));
    }
  }
  const virtualTime: VirtualTimeResult[] = [];
  for (const name of DRIVER_NAMES) {
    progress(`  ten virtual years on ${name} ...`);
    try {
      // The small-step comparison run: hourly steps (daily with --quick).
      virtualTime.push(await runVirtualTime(name, DRIVERS[name], QUICK ? 86_400_000 : 3_600_000));
    } catch (err) {
      process.exitCode = 1;
      virtualTime.push(failedVirtualTime(name, errorText(err)));
    }
  }
  const elapsedS = (performance.now() - started) / 1000;

  // ── report ──
  const out: string[] = [];
  out.push(`ff-backend-browser bench (${env.mode}) — ${env.date}`);
  out.push(`node ${env.node}, ${env.platform}, ${env.cpus} cpus (${env.cpuModel})`);
  out.push(`${env.sqljs} vs ${env.native}; RealClock; fresh engine per scenario and driver`);
  out.push(
    `hot ops: ${CONFIG.ops} measured after ${CONFIG.warmup} warm-up ops per driver; ops/s = n / time inside the measured calls; ratio = sql.js ops/s / native ops/s`,
  );
  out.push('');
  out.push(
    renderTable(
      [
        { header: 'operation', align: 'left' },
        { header: 'sql.js ops/s' },
        { header: 'p50 us' },
        { header: 'p99 us' },
        { header: 'native ops/s' },
        { header: 'p50 us' },
        { header: 'p99 us' },
        { header: 'ratio' },
        { header: 'p50 ratio' },
        { header: 'target' },
        { header: 'result', align: 'left' },
      ],
      ops.map((r) => {
        const js = r.drivers['sql.js'];
        const nat = r.drivers['better-sqlite3'];
        return [
          r.label,
          fmtOps(js?.opsPerSec ?? Number.NaN),
          fmtUs(js?.p50Us ?? Number.NaN),
          fmtUs(js?.p99Us ?? Number.NaN),
          fmtOps(nat?.opsPerSec ?? Number.NaN),
          fmtUs(nat?.p50Us ?? Number.NaN),
          fmtUs(nat?.p99Us ?? Number.NaN),
          fmtPct(r.ratio),
          fmtPct(r.ratioP50),
          `>= ${Math.round(r.target * 100)}%`,
          r.error ? `ERROR ${r.error}` : passText(r.pass),
        ];
      }),
    ),
  );
  out.push('');
  const [small, large] = CONFIG.backlogs;
  out.push(
    `claim vs backlog: ${CONFIG.backlogClaims} timed claims after ${CONFIG.backlogWarmup} warm-up; each claim is followed by an untimed create, so exactly N are queued at every timed claim`,
  );
  out.push(
    renderTable(
      [
        { header: 'driver', align: 'left' },
        { header: `p50 @${k(small)} us` },
        { header: `p99 @${k(small)} us` },
        { header: `p50 @${k(large)} us` },
        { header: `p99 @${k(large)} us` },
        { header: `setup ${k(large)} s` },
        { header: `${k(large)}/${k(small)}` },
        { header: 'target' },
        { header: 'result', align: 'left' },
      ],
      backlog.map((r) => {
        const a = r.sizes[0];
        const b = r.sizes[1];
        return [
          r.driver,
          fmtUs(a?.claim.p50Us ?? Number.NaN),
          fmtUs(a?.claim.p99Us ?? Number.NaN),
          fmtUs(b?.claim.p50Us ?? Number.NaN),
          fmtUs(b?.claim.p99Us ?? Number.NaN),
          b ? (b.setupMs / 1000).toFixed(1) : '-',
          fmtX(r.ratio),
          `<= ${TARGET_BACKLOG.toFixed(1)}x`,
          r.error ? `ERROR ${r.error}` : passText(r.pass),
        ];
      }),
    ),
  );
  out.push('');
  out.push(
    `bulk create preview: ${CONFIG.bulkReps} x (one createExecutions of ${CONFIG.bulkSize}) vs ${CONFIG.bulkReps} x ${CONFIG.bulkSize} createExecution calls; batch latencies are per execution`,
  );
  out.push(
    renderTable(
      [
        { header: 'driver', align: 'left' },
        { header: 'single ops/s' },
        { header: 'p50 us' },
        { header: 'p99 us' },
        { header: 'batch ops/s' },
        { header: 'p50 us/exec' },
        { header: 'batch/single' },
        { header: 'target' },
        { header: 'result', align: 'left' },
      ],
      bulk.map((r) => [
        r.driver,
        fmtOps(r.single.opsPerSec),
        fmtUs(r.single.p50Us),
        fmtUs(r.single.p99Us),
        fmtOps(r.batch.opsPerSec),
        fmtUs(r.batch.p50Us),
        fmtX(r.speedup),
        '> 1x (preview)',
        r.error ? `ERROR ${r.error}` : passText(r.speedup > 1),
      ]),
    ),
  );
  if (bulk.length === 2 && bulk.every((r) => !r.error)) {
    const [js, nat] = bulk as [BulkResult, BulkResult];
    out.push(`bulk batch sql.js/native: ${fmtPct(js.batch.opsPerSec / nat.batch.opsPerSec)}`);
  }
  out.push('');
  out.push(`budget_reset: one tick resetting 20 due budgets, with the rest of the table not due (virtual time, one tick per sample)`);
  out.push(renderBudgetReset(budgetReset, resetSizes));
  out.push('');
  out.push('flows: ten-node linear flows run through claim/completeExecution by one in-process worker (FlowFabric publishes 17.5 ten-node flows/s on Valkey with 16 workers)');
  out.push(renderFlowBench(flows));
  out.push('');
  out.push(
    'virtual time: one advanceTime of 10 years, default scanners; 100 budgets every 30 s + 20 daily (a third with usage), 1,000 executions delayed across a year, 10 workers that stop heartbeating; compared with the same scenario advanced in small steps',
  );
  out.push(renderVirtualTime(virtualTime));
  out.push('');
  out.push('a fresh engine per test: createEngineTemplate().create() (a copy of a migrated image) vs createEngine() migrating an empty database');
  out.push(renderTemplateBench(await runTemplateBench(QUICK ? 20 : 100)));
  out.push('');

  const hot = ops.filter((r) => r.key !== 'claim_complete');
  const pair = ops.find((r) => r.key === 'claim_complete');
  const hotPass = hot.filter((r) => r.pass).length;
  const backlogText = backlog.map((r) => `${r.driver} ${fmtX(r.ratio)} ${passText(r.pass)}`).join(', ');
  const worstHot = hot.reduce<OpResult | undefined>((w, r) => (Number.isFinite(r.ratio) && (!w || r.ratio < w.ratio) ? r : w), undefined);
  out.push(
    `SUMMARY (${env.mode}, ${elapsedS.toFixed(0)} s): claim+complete sql.js/native ${fmtPct(pair?.ratio ?? Number.NaN)} ${passText(pair?.pass ?? false)} (>= 50%); ` +
      `hot ops >= 35%: ${hotPass}/${hot.length} PASS${worstHot ? ` (lowest: ${worstHot.label} ${fmtPct(worstHot.ratio)})` : ''}; ` +
      `claim p50 ${k(large)}/${k(small)} queued: ${backlogText} (<= 1.5x)`,
  );
  process.stdout.write(`${out.join('\n')}\n`);

  if (JSON_OUT) {
    const file = fileURLToPath(new URL('./results.json', import.meta.url));
    writeFileSync(file, `${JSON.stringify({ env, elapsedS, ops, backlog, bulk, budgetReset, flows, virtualTime }, null, 2)}\n`);
    progress(`wrote ${file}`);
  }
}

main().catch((err: unknown) => {
  process.exitCode = 1;
  console.error(err);
});
