/**
 * Test harness: a fresh engine per test on a real database, cloned from an
 * image migrated once per file. FF_TEST_DRIVER=better-sqlite3 runs the same
 * suite on the native driver, FF_TEST_DRIVER=sqlite-wasm on the official
 * SQLite WASM build with the page VFS.
 */
import { createEngine, ManualClock, seededIds, type Driver, type Engine } from '../../src/index.js';
import { createSqlJsDriver } from '../../src/db/sqljs-driver.js';
import { createBetterSqlite3Driver } from '../../src/node.js';
import { createSqliteWasmDriver } from '../../src/db/sqlite-wasm-driver.js';
import type { ScannerOptions } from '../../src/scanners/build-scanners.js';
import { DEFAULT_LIMITS, type EngineContext, type EngineHooks } from '../../src/engine/core/context.js';

const REQUESTED = process.env['FF_TEST_DRIVER'];
/** Every test engine starts at this instant, so runs (and two engines of one test) are reproducible. */
export const TEST_START_MS = 1_700_000_000_000;

export const DRIVER = REQUESTED === 'better-sqlite3' || REQUESTED === 'sqlite-wasm' ? REQUESTED : 'sql.js';

let migrated: Promise<Uint8Array> | undefined;

export async function openDriver(image?: Uint8Array): Promise<Driver> {
  if (DRIVER === 'better-sqlite3') return createBetterSqlite3Driver(image ? { image } : {});
  if (DRIVER === 'sqlite-wasm') return createSqliteWasmDriver(image ? { image } : {});
  return createSqlJsDriver(image ? { image } : {});
}

async function migratedImage(): Promise<Uint8Array> {
  migrated ??= (async () => {
    const engine = await createEngine({ devMode: true, driver: await openDriver(), clock: new ManualClock(TEST_START_MS), banner: false });
    const image = engine.exportImage();
    engine.close();
    return image;
  })();
  return migrated;
}

export interface TestEngine {
  engine: Engine;
  clock: ManualClock;
}

/**
 * Scanners are off unless asked for, so a test that advances the clock sees
 * exactly the transitions it triggers itself.
 */
export async function makeEngine(
  options: { seed?: number; maxPayloadBytes?: number; scanners?: ScannerOptions | false; hooks?: EngineHooks } = {},
): Promise<TestEngine> {
  const clock = new ManualClock(TEST_START_MS);
  const engine = await createEngine({
    devMode: true,
    driver: await openDriver(await migratedImage()),
    clock,
    ids: seededIds(options.seed ?? 42),
    banner: false,
    scanners: options.scanners ?? false,
    ...(options.maxPayloadBytes ? { limits: { maxPayloadBytes: options.maxPayloadBytes } } : {}),
    ...(options.hooks ? { hooks: options.hooks } : {}),
  });
  return { engine, clock };
}

export const WORKER = { workerId: 'w1', workerInstanceId: 'w1-i1', leaseTtlMs: 30_000 } as const;

/** Run `fn` and return the EngineError it throws (fails the test if it does not throw). */
export function catchError(fn: () => unknown): { code: string; details: Record<string, unknown>; message: string } {
  try {
    fn();
  } catch (err) {
    return err as { code: string; details: Record<string, unknown>; message: string };
  }
  throw new Error('expected the call to throw');
}

/** Rows of a table, for asserting on outboxes. */
export function rows<T = Record<string, unknown>>(engine: Engine, sql: string): T[] {
  return engine.driver.prepare(sql).all<T>();
}

/** Byte-for-byte equality of two database images (vitest's deep equality is far too slow for this). */
export function sameImage(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;
}

/** The context a scanner body gets: it runs inside the caller's transaction, and nothing listens to its events. */
export function scannerContext(engine: Engine): EngineContext {
  return { db: engine.driver, clock: engine.clock, ids: seededIds(1), limits: DEFAULT_LIMITS, emit: () => {} };
}

/** Run a scanner body the way the supervisor does: inside one transaction of its own. */
export function inTx<T>(engine: Engine, fn: (ctx: EngineContext) => T): T {
  const ctx = scannerContext(engine);
  return engine.driver.transaction(() => fn(ctx));
}
