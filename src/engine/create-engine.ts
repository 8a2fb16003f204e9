/**
 * createEngine: open (or create) the database, migrate it, and start the
 * scanners. The engine refuses to start unless the caller acknowledges it
 * is a dev-only backend.
 */
import { EngineError } from '../api/errors.js';
import type { Driver } from '../db/driver.js';
import { migrate } from '../db/migrate.js';
import { migrationFiles } from '../db/migration-files.js';
import { createSqlJsDriver } from '../db/sqljs-driver.js';
import type { ScannerOptions } from '../scanners/build-scanners.js';
import { DEFAULT_LIMITS, type EngineHooks, type EngineLimits } from './core/context.js';
import { randomIds, type IdGenerator } from './core/ids.js';
import { Engine } from './engine.js';
import { RealClock, type Clock } from './time/clock.js';
import type { WallTimer } from '../worker-runtime/worker-runtime-timer.js';

export interface EngineOptions {
  /** Must be `true`: this is a dev-only backend (the analogue of FF_DEV_MODE=1). */
  devMode: true;
  /** @default a fresh in-memory sql.js database */
  driver?: Driver;
  /** @default RealClock */
  clock?: Clock;
  /** @default random UUIDv4s */
  ids?: IdGenerator;
  limits?: Partial<EngineLimits>;
  /** Log the one-line dev-mode banner. @default true */
  banner?: boolean;
  /** Named in the banner. @default 'memory' */
  persistence?: string;
  /**
   * Periodic scanners (budget resets, lease expiry, delayed promotion, …),
   * run on the engine clock: timers with a real clock, `clock.advance()`
   * with a ManualClock. `false` runs none. @default {} (all, default intervals)
   */
  scanners?: ScannerOptions | false;
  /**
   * Fault-injection hooks, for tests only: `beforeDispatch(eventId)` runs
   * inside each completion-event dispatch, and a throw there rolls that
   * dispatch back (the event waits for the dependency reconciler).
   * @default none
   */
  hooks?: EngineHooks;
  /**
   * Real time for clock playback (`playClock`) and, on a real clock, the
   * scanners' timers: tests pass a ManualTimer and advance it instead of
   * waiting. @default the platform's timers
   */
  timer?: WallTimer;
}

export async function createEngine(options: EngineOptions): Promise<Engine> {
  if ((options as { devMode?: unknown } | undefined)?.devMode !== true) {
    throw new EngineError(
      'validation.invalid_input',
      'ff-backend-browser is a dev-only backend: pass { devMode: true } to createEngine to acknowledge it (the analogue of FF_DEV_MODE=1). Never use it in production.',
      { field: 'devMode' },
    );
  }
  const driver = options.driver ?? (await createSqlJsDriver());
  const clock = options.clock ?? new RealClock();
  const report = migrate(driver, migrationFiles, clock.now());
  if (options.banner !== false) {
    console.info(
      `[ff-backend-browser] dev-only FlowFabric backend on ${driver.kind}, persistence: ${options.persistence ?? 'memory'}, schema v${report.schemaVersion}`,
    );
  }
  const engine = new Engine(driver, clock, options.ids ?? randomIds, { ...DEFAULT_LIMITS, ...options.limits }, report.schemaVersion, options.scanners ?? {}, options.hooks, options.timer);
  engine.startScanners();
  return engine;
}
