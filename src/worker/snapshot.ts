/**
 * Snapshots: a database image with its schema version, sequence and SHA-256.
 * Import checks everything before the current database is touched: the
 * shape, the checksum, the schema version (never newer than this build's),
 * that the image opens as SQLite, passes `PRAGMA quick_check` and is an
 * ff-backend-browser database. Migrations then run on it as on any load.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { z } from 'zod';
import { EngineError, errors } from '../api/errors.js';
import { parseInput } from '../api/validate.js';
import type { Driver } from '../db/driver.js';
import { migrationFiles } from '../db/migration-files.js';
import type { Snapshot } from './protocol.js';

export const SNAPSHOT_FORMAT = 'ff-backend-browser/sqlite';

/** The newest schema this build knows (the highest migration number). */
const LATEST_SCHEMA_VERSION = Math.max(0, ...migrationFiles.map((f) => Number(f.name.slice(0, 4))));

const snapshotInput = z.strictObject({
  format: z.literal(SNAPSHOT_FORMAT),
  image: z.custom<Uint8Array>((v) => v instanceof Uint8Array && v.byteLength > 0, 'expected a non-empty Uint8Array'),
  schemaVersion: z.number().int().min(0),
  sequence: z.number().int().min(0),
  checksum: z.string().regex(/^[0-9a-f]{64}$/, 'expected a lowercase hex SHA-256'),
  createdAtMs: z.number(),
});

export function checksumOf(image: Uint8Array): string {
  return bytesToHex(sha256(image));
}

export function makeSnapshot(exported: Uint8Array, schemaVersion: number, sequence: number): Snapshot {
  // The image's buffer is transferred to the page: it must own exactly its bytes (a Node Buffer may be a slice of a pool).
  const image = exported.byteOffset === 0 && exported.byteLength === exported.buffer.byteLength ? exported : exported.slice();
  return { format: SNAPSHOT_FORMAT, image, schemaVersion, sequence, checksum: checksumOf(image), createdAtMs: Date.now() };
}

/** The snapshot's image, once its shape, checksum and schema version check out. */
export function validateSnapshot(snapshot: unknown, currentSchemaVersion: number): Uint8Array {
  const parsed = parseInput('importSnapshot', snapshotInput, snapshot);
  const actual = checksumOf(parsed.image);
  if (actual !== parsed.checksum) {
    throw new EngineError('validation.corruption', `importSnapshot: checksum mismatch: the snapshot says ${parsed.checksum.slice(0, 12)}…, the image hashes to ${actual.slice(0, 12)}…`, {
      field: 'checksum',
      expected: parsed.checksum,
      actual,
    });
  }
  if (parsed.schemaVersion > currentSchemaVersion) {
    throw errors.invalid('schemaVersion', `the snapshot has schema v${parsed.schemaVersion}, newer than this backend's v${currentSchemaVersion}; upgrade ff-backend-browser to import it`);
  }
  return parsed.image;
}

/**
 * Open a saved or imported database (`open` builds the driver from its image
 * or stored chunks) and check it is an ff-backend-browser database (and, for
 * imports, that SQLite finds it sound); migrations run later, in createEngine.
 * Any failure closes the driver and is a `validation.corruption` error.
 */
export async function openSnapshotDriver(open: () => Promise<Driver>, what: string, options: { quickCheck: boolean }): Promise<Driver> {
  let driver: Driver | undefined;
  try {
    driver = await open();
    // Reads every page: worth it for a snapshot from elsewhere, too slow for every start-up (~20 ms per MB).
    if (options.quickCheck) {
      const check = driver.prepare('PRAGMA quick_check').get<{ quick_check: string }>();
      if (check?.quick_check !== 'ok') throw new Error(`quick_check: ${check?.quick_check ?? 'no answer'}`);
    }
    const ledger = driver.prepare("SELECT 1 AS ok FROM sqlite_master WHERE type = 'table' AND name = 'ff_migration_ledger'").get();
    if (!ledger) throw new Error('it has no ff_migration_ledger table: not an ff-backend-browser database');
    const top = driver.prepare('SELECT MAX(version) AS v FROM ff_migration_ledger').get<{ v: number | null }>()?.v ?? 0;
    if (top > LATEST_SCHEMA_VERSION) throw new Error(`its schema v${top} is newer than this backend's v${LATEST_SCHEMA_VERSION}`);
    return driver;
  } catch (err) {
    driver?.close();
    const message = err instanceof Error ? err.message : String(err);
    throw new EngineError('validation.corruption', `${what} is not a usable database: ${message}`, { field: 'image', cause: message });
  }
}
