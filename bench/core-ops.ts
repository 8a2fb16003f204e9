/**
 * The core scenarios of `npm run bench`: hot ops one at a time, claim
 * against backlog size, and bulk create, each on a fresh engine per driver
 * (run.ts chooses the counts and prints the tables).
 */
import { readFileSync } from 'node:fs';
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
import { reportUsageScenario } from './budgets.js';
import { TARGET_BACKLOG, type BacklogResult, type BulkResult, type OpResult } from './core-tables.js';
import { prng, Samples, summarize, type Summary } from './stats.js';

export interface CoreConfig {
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

/** DESIGN.md §4 targets. */
export const TARGET_PAIR = 0.5;
export const TARGET_HOT = 0.35;

export const LANE = 'bench';
export const CLAIM = {
  laneId: LANE,
  workerId: 'bench-worker',
  workerInstanceId: 'bench-worker-1',
  // Long enough that no lease expires during a run on the real clock.
  leaseTtlMs: 600_000,
} as const;
export const RETRY: CreateExecutionInput['retryPolicy'] = { maxRetries: 3, backoff: { type: 'fixed', delayMs: 0 } };

// ── drivers and engines ────────────────────────────────────────────────

export const DRIVER_NAMES = ['sql.js', 'better-sqlite3'] as const;
export type DriverName = (typeof DRIVER_NAMES)[number];

export const DRIVERS: Record<DriverName, () => Promise<Driver>> = {
  'sql.js': () => createSqlJsDriver(),
  'better-sqlite3': () => createBetterSqlite3Driver(),
};

export function freshEngine(name: DriverName): Promise<Engine> {
  return DRIVERS[name]().then((driver) => createEngine({ devMode: true, driver, clock: new RealClock(), banner: false, scanners: false }));
}

/** A full GC between scenarios keeps one scenario's garbage out of the next one's samples. */
export const gc: () => void = (() => {
  try {
    v8.setFlagsFromString('--expose-gc');
    const fn: unknown = vm.runInNewContext('gc');
    if (typeof fn === 'function') return () => (fn as () => void)();
  } catch {
    // Not available: carry on without.
  }
  return () => {};
})();

export function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** Create `count` executions in the bench lane with createExecutions batches; returns their ids. */
export function seed(engine: Engine, config: CoreConfig, count: number, extra: Partial<CreateExecutionInput> = {}): string[] {
  const ids: string[] = [];
  for (let done = 0; done < count; ) {
    const size = Math.min(config.setupBatch, count - done);
    const { results } = engine.createExecutions({ executions: Array.from({ length: size }, () => ({ laneId: LANE, ...extra })) });
    for (const r of results) ids.push(r.executionId);
    done += size;
  }
  return ids;
}

export function claimOne(engine: Engine): Handle {
  const handle = engine.claim(CLAIM);
  if (!handle) throw new Error('claim returned null with a non-empty backlog');
  return handle;
}

export function claimMany(engine: Engine, count: number): Handle[] {
  return Array.from({ length: count }, () => claimOne(engine));
}

// ── hot-op scenarios ───────────────────────────────────────────────────

export interface OpScenario {
  key: string;
  label: string;
  target: number;
  /** Set up, warm up `warmup` ops, then record exactly `n` samples into `s`. */
  run(engine: Engine, n: number, warmup: number, s: Samples): void;
}

export function opScenarios(config: CoreConfig): OpScenario[] {
  return [
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
      seed(engine, config, warmup + n);
      for (let i = 0; i < warmup; i++) claimOne(engine);
      for (let i = 0; i < n; i++) if (!s.time(() => engine.claim(CLAIM))) throw new Error('claim returned null');
    },
  },
  {
    key: 'complete',
    label: 'complete',
    target: TARGET_HOT,
    run(engine, n, warmup, s) {
      seed(engine, config, warmup + n);
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
      seed(engine, config, warmup + n, { retryPolicy: RETRY });
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
      const ids = seed(engine, config, config.readPool);
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
      seed(engine, config, warmup + n);
      for (let i = 0; i < warmup; i++) engine.completeExecution({ handle: claimOne(engine) });
      for (let i = 0; i < n; i++) s.time(() => engine.completeExecution({ handle: claimOne(engine) }));
    },
  },
  reportUsageScenario(TARGET_HOT),
  ];
}

export async function runOpScenario(sc: OpScenario, config: CoreConfig): Promise<OpResult> {
  const drivers: Partial<Record<DriverName, Summary>> = {};
  for (const name of DRIVER_NAMES) {
    gc();
    progress(`  ${sc.label} on ${name} ...`);
    const engine = await freshEngine(name);
    try {
      const s = new Samples(config.ops);
      sc.run(engine, config.ops, config.warmup, s);
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

export async function runBacklog(name: DriverName, config: CoreConfig): Promise<BacklogResult> {
  const sizes: BacklogResult['sizes'] = [];
  for (const queued of config.backlogs) {
    gc();
    progress(`  claim with ${queued.toLocaleString('en-US')} queued on ${name} ...`);
    const engine = await freshEngine(name);
    try {
      const t0 = performance.now();
      seed(engine, config, queued);
      const setupMs = performance.now() - t0;
      const s = new Samples(config.backlogClaims);
      // Each claim takes one execution; an untimed create puts one back, so
      // every timed claim sees exactly `queued` claimable executions.
      for (let i = 0; i < config.backlogWarmup + config.backlogClaims; i++) {
        const handle = i < config.backlogWarmup ? engine.claim(CLAIM) : s.time(() => engine.claim(CLAIM));
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

export async function runBulk(name: DriverName, config: CoreConfig): Promise<BulkResult> {
  gc();
  progress(`  bulk create ${config.bulkSize} on ${name} ...`);
  const engine = await freshEngine(name);
  try {
    const size = config.bulkSize;
    const batchInput = (): { executions: { laneId: string }[] } => ({ executions: Array.from({ length: size }, () => ({ laneId: LANE })) });
    // Warm-up: one batch, one round of single calls.
    engine.createExecutions(batchInput());
    for (let i = 0; i < size; i++) engine.createExecution({ laneId: LANE });
    const single = new Samples(size * config.bulkReps);
    const batch = new Samples(config.bulkReps);
    for (let rep = 0; rep < config.bulkReps; rep++) {
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

export function packageVersion(pkg: string): string {
  try {
    const url = new URL(`../node_modules/${pkg}/package.json`, import.meta.url);
    return (JSON.parse(readFileSync(url, 'utf8')) as { version?: string }).version ?? '?';
  } catch {
    return '?';
  }
}

export async function sqliteVersion(name: DriverName): Promise<string> {
  const driver = await DRIVERS[name]();
  try {
    return driver.prepare('SELECT sqlite_version() AS v').get<{ v: string }>()?.v ?? '?';
  } finally {
    driver.close();
  }
}

export function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
