/**
 * A template for test suites: migrate one database once, then give each test
 * a fresh engine opened from a copy of that image. Opening an image skips
 * building the schema, which is most of what a new engine costs, so a suite
 * can afford a clean engine per test (see `npm run bench` for the figure).
 *
 *   const template = await createEngineTemplate({ devMode: true });
 *   beforeEach(async () => { engine = await template.create({ clock: new ManualClock() }); });
 */
import type { Driver } from '../db/driver.js';
import { createSqlJsDriver, loadSqlJs } from '../db/sqljs-driver.js';
import { createEngine, type EngineOptions } from './create-engine.js';
import type { Engine } from './engine.js';
import { ManualClock } from './time/clock.js';

export interface EngineTemplateOptions {
  /** Must be `true`, as for createEngine. */
  devMode: true;
  /**
   * Opens a database from an image (or an empty one). @default sql.js;
   * pass `(image) => createBetterSqlite3Driver({ image })` for native SQLite.
   */
  openDriver?: (image?: Uint8Array) => Promise<Driver>;
}

export interface EngineTemplate {
  /** The migrated, empty database every engine starts from. */
  readonly image: Uint8Array;
  /**
   * A fresh engine on its own copy of the image. Defaults differ from
   * createEngine's for tests: no banner, and no scanners unless asked for.
   */
  create(options?: Omit<EngineOptions, 'devMode' | 'driver'>): Promise<Engine>;
}

export async function createEngineTemplate(options: EngineTemplateOptions): Promise<EngineTemplate> {
  const openDriver = options.openDriver ?? (async (image?: Uint8Array) => createSqlJsDriver({ sqlJs: await loadSqlJs(), ...(image ? { image } : {}) }));
  const first = await createEngine({ devMode: options.devMode, driver: await openDriver(), clock: new ManualClock(0), banner: false, scanners: false });
  const image = first.exportImage();
  first.close();
  return {
    image,
    async create(engineOptions = {}) {
      return createEngine({ banner: false, scanners: false, ...engineOptions, devMode: options.devMode, driver: await openDriver(image) });
    },
  };
}
