/**
 * `npm run bench` — the engine on sql.js against the same engine on
 * better-sqlite3 (DESIGN.md §4). Every scenario gets a fresh engine per
 * driver on a RealClock, warms up, then times each op on its own; the
 * tables report ops/s, p50 and p99, and the sql.js/native ratio against the
 * targets. A miss is reported, never turned into a non-zero exit code (only
 * a scenario that crashes is).
 *
 *   npx tsx bench/run.ts            full run (about 2–3 minutes on 2 cores)
 *   npx tsx bench/run.ts --quick    small counts, a smoke check
 *   npx tsx bench/run.ts --json     also write bench/results.json
 *   npx tsx bench/run.ts --soak     only the soak, at its target size: 1,000,000 scanner
 *                                   ticks with default retention (10–15 minutes)
 *
 * Progress goes to stderr; the tables go to stdout.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Samples, summarize } from './stats.js';
import { fmtPct, fmtX } from './table.js';
import {
  claimOne,
  DRIVER_NAMES,
  DRIVERS,
  errorText,
  freshEngine,
  LANE,
  opScenarios,
  packageVersion,
  progress,
  RETRY,
  runBacklog,
  runBulk,
  runOpScenario,
  seed,
  sqliteVersion,
  type CoreConfig,
} from './core-ops.js';
import { failedFlowBench, renderFlowBench, runFlowBench } from './flows.js';
import { failedSuspensionBench, renderSuspensionBench, runSuspensionBench, type SuspensionBenchResult } from './suspension.js';
import { renderBudgetReset, runBudgetResetTick, type BudgetResetResult } from './budgets.js';
import { k, passText, renderBacklog, renderBulk, renderOps, type BacklogResult, type BulkResult, type OpResult } from './core-tables.js';
import { failedVirtualTime, renderVirtualTime, runVirtualTime, type VirtualTimeResult } from './virtual-time.js';
import { renderTemplateBench, runTemplateBench } from './template.js';
import { failedSoak, renderSoak, runSoak, type SoakResult } from './soak.js';
import { renderFlowFabricScenarios, runFlowFabricScenarios } from './flowfabric-scenarios.js';

// ── configuration ──────────────────────────────────────────────────────

const KNOWN_FLAGS = new Set(['--quick', '--json', '--soak']);
const argv = process.argv.slice(2);
for (const arg of argv) if (!KNOWN_FLAGS.has(arg)) process.stderr.write(`bench: ignoring unknown argument ${arg}\n`);
const QUICK = argv.includes('--quick');
const JSON_OUT = argv.includes('--json');
const SOAK_ONLY = argv.includes('--soak');
/** Soak runs: [label, ticks, retention]. The default bench runs a short one; --soak the target size. */
const SOAKS: [string, number, { maxAgeMs?: number }][] = SOAK_ONLY
  ? [
      ['default retention', 1_000_000, {}],
      ['retention off', 100_000, { maxAgeMs: 0 }],
    ]
  : [
      ['default retention', QUICK ? 10_000 : 50_000, {}],
      ['retention off', QUICK ? 10_000 : 50_000, { maxAgeMs: 0 }],
    ];

async function runSoaks(): Promise<SoakResult[]> {
  const results: SoakResult[] = [];
  for (const [label, ticks, retention] of SOAKS) {
    const name = `sql.js, ${label}`;
    progress(`  soak: ${name}, ${ticks.toLocaleString('en-US')} ticks ...`);
    try {
      results.push(await runSoak(name, await DRIVERS['sql.js'](), ticks, retention));
    } catch (err) {
      process.exitCode = 1;
      results.push(failedSoak(name, errorText(err)));
    }
  }
  return results;
}

const SOAK_TITLE =
  'soak: virtual time, default scanners; 12 budgets reset every 2–13 s with usage, an execution every 3 min (a fifth fail 30 times), 4 workers claiming, renewing, completing, failing, vanishing (reclaimed), heartbeating; image = page_count × page_size, heap = V8 used heap after a full GC (baseline after 3 h of warm-up)';

const CONFIG: CoreConfig = QUICK
  ? { ops: 300, warmup: 50, readPool: 2000, backlogs: [1000, 10_000], backlogClaims: 100, backlogWarmup: 20, setupBatch: 5000, bulkSize: 1000, bulkReps: 2 }
  : { ops: 3000, warmup: 200, readPool: 10_000, backlogs: [1000, 100_000], backlogClaims: 300, backlogWarmup: 50, setupBatch: 5000, bulkSize: 1000, bulkReps: 5 };

// ── main ───────────────────────────────────────────────────────────────

/** Run a short mixed workload on every driver so the engine code is JIT-compiled before any scenario. */
async function globalWarmup(): Promise<void> {
  for (const name of DRIVER_NAMES) {
    const engine = await freshEngine(name);
    try {
      const ids = seed(engine, CONFIG, 500, { retryPolicy: RETRY });
      for (let i = 0; i < 200; i++) engine.createExecution({ laneId: LANE });
      for (let i = 0; i < 200; i++) engine.completeExecution({ handle: claimOne(engine) });
      for (let i = 0; i < 100; i++) engine.failExecution({ handle: claimOne(engine), reason: 'warmup' });
      for (let i = 0; i < 200; i++) engine.readExecutionInfo({ executionId: ids[i]! });
    } finally {
      engine.close();
    }
  }
}

async function soakOnly(): Promise<void> {
  const started = performance.now();
  const soak = await runSoaks();
  const out = [`ff-backend-browser soak — ${new Date().toISOString()}, node ${process.version}, ${os.platform()} ${os.arch()}`, SOAK_TITLE, renderSoak(soak)];
  out.push(`(${((performance.now() - started) / 1000).toFixed(0)} s)`);
  process.stdout.write(`${out.join('\n')}\n`);
  // The same (git-ignored) file as a full run, holding only the soak.
  if (JSON_OUT) writeFileSync(fileURLToPath(new URL('./results.json', import.meta.url)), `${JSON.stringify({ soak }, null, 2)}\n`);
}

async function main(): Promise<void> {
  if (SOAK_ONLY) return soakOnly();
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
  for (const sc of opScenarios(CONFIG)) {
    try {
      ops.push(await runOpScenario(sc, CONFIG));
    } catch (err) {
      process.exitCode = 1;
      progress(`  ${sc.label}: ERROR ${errorText(err)}`);
      ops.push({ key: sc.key, label: sc.label, target: sc.target, drivers: {}, ratio: Number.NaN, ratioP50: Number.NaN, pass: false, error: errorText(err) });
    }
  }

  const backlog: BacklogResult[] = [];
  for (const name of DRIVER_NAMES) {
    try {
      backlog.push(await runBacklog(name, CONFIG));
    } catch (err) {
      process.exitCode = 1;
      progress(`  backlog on ${name}: ERROR ${errorText(err)}`);
      backlog.push({ driver: name, sizes: [], ratio: Number.NaN, pass: false, error: errorText(err) });
    }
  }

  const bulk: BulkResult[] = [];
  for (const name of DRIVER_NAMES) {
    try {
      bulk.push(await runBulk(name, CONFIG));
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
  const suspension: SuspensionBenchResult[] = [];
  for (const name of DRIVER_NAMES) {
    progress(`  suspend → signal → resume on ${name} ...`);
    try {
      suspension.push(await runSuspensionBench(name, DRIVERS[name], QUICK));
    } catch (err) {
      process.exitCode = 1;
      suspension.push(failedSuspensionBench(name, errorText(err)));
    }
  }
  const scenarios = await runFlowFabricScenarios(DRIVERS, QUICK, progress, errorText);
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
  const soak = await runSoaks();
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
  out.push(renderOps(ops));
  out.push('');
  const [small, large] = CONFIG.backlogs;
  out.push(
    `claim vs backlog: ${CONFIG.backlogClaims} timed claims after ${CONFIG.backlogWarmup} warm-up; each claim is followed by an untimed create, so exactly N are queued at every timed claim`,
  );
  out.push(renderBacklog(backlog, small, large));
  out.push('');
  out.push(
    `bulk create preview: ${CONFIG.bulkReps} x (one createExecutions of ${CONFIG.bulkSize}) vs ${CONFIG.bulkReps} x ${CONFIG.bulkSize} createExecution calls; batch latencies are per execution`,
  );
  out.push(renderBulk(bulk));
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
  out.push('suspension: suspend on an approval waitpoint → deliverSignal with its token → claimResumedExecution → completeExecution, in-process, one sample per round trip (the claim before it untimed); FlowFabric publishes 9.11 ms p50 on Valkey');
  out.push(renderSuspensionBench(suspension));
  out.push('');
  out.push(...renderFlowFabricScenarios(scenarios));
  out.push('');
  out.push(
    'virtual time: one advanceTime of 10 years, default scanners; 100 budgets every 30 s + 20 daily (a third with usage), 1,000 executions delayed across a year, 10 workers that stop heartbeating; compared with the same scenario advanced in small steps',
  );
  out.push(renderVirtualTime(virtualTime));
  out.push('');
  out.push('a fresh engine per test: createEngineTemplate().create() (a copy of a migrated image) vs createEngine() migrating an empty database');
  out.push(renderTemplateBench(await runTemplateBench(QUICK ? 20 : 100)));
  out.push('');
  out.push(`${SOAK_TITLE}; the 1,000,000-tick target run is --soak`);
  out.push(renderSoak(soak));
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
    writeFileSync(file, `${JSON.stringify({ env, elapsedS, ops, backlog, bulk, budgetReset, flows, suspension, ...scenarios, virtualTime, soak }, null, 2)}\n`);
    progress(`wrote ${file}`);
  }
}

main().catch((err: unknown) => {
  process.exitCode = 1;
  console.error(err);
});
