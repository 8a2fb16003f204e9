/**
 * Migration runner. Migrations are numbered `.sql` files (`NNNN_name.sql`),
 * applied in order, one transaction each, and recorded in a ledger with a
 * SHA-256 checksum of their text. Re-running is a no-op; an applied
 * migration whose text changed is reported as an error, never re-applied.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { EngineError } from '../api/errors.js';
import type { Driver } from './driver.js';

export interface MigrationFile {
  /** File name, e.g. `0001_executions.sql`; the leading number is the version. */
  name: string;
  sql: string;
  /** SHA-256 of `sql` (hex), when known ahead (the bundled files carry it); computed otherwise. */
  checksum?: string;
}

export interface MigrationReport {
  applied: string[];
  /** Version of the newest migration in the ledger after the run. */
  schemaVersion: number;
}

const LEDGER = `CREATE TABLE IF NOT EXISTS ff_migration_ledger (
  version        INTEGER NOT NULL PRIMARY KEY,
  name           TEXT    NOT NULL,
  checksum       TEXT    NOT NULL,
  applied_at_ms  INTEGER NOT NULL
)`;

export function checksum(sql: string): string {
  return bytesToHex(sha256(utf8ToBytes(sql)));
}

function versionOf(name: string): number {
  const match = /^(\d{4})_[a-z0-9_]+\.sql$/.exec(name);
  if (!match) throw new EngineError('validation.invalid_input', `bad migration file name: ${name}`, { field: 'migration' });
  return Number(match[1]);
}

export function migrate(db: Driver, files: readonly MigrationFile[], nowMs: number): MigrationReport {
  db.exec(LEDGER);
  const ledger = new Map(
    db
      .prepare('SELECT version, name, checksum FROM ff_migration_ledger')
      .all<{ version: number; name: string; checksum: string }>()
      .map((row) => [row.version, row]),
  );
  const ordered = [...files].sort((a, b) => versionOf(a.name) - versionOf(b.name));
  const applied: string[] = [];
  for (const file of ordered) {
    const version = versionOf(file.name);
    const sum = file.checksum ?? checksum(file.sql);
    const done = ledger.get(version);
    if (done) {
      if (done.checksum !== sum || done.name !== file.name) {
        throw new EngineError(
          'validation.corruption',
          `migration ${file.name} was edited after it was applied (ledger has ${done.name} ${done.checksum.slice(0, 12)}…, file is ${sum.slice(0, 12)}…); add a new migration instead`,
          { migration: file.name, version },
        );
      }
      continue;
    }
    db.transaction(() => {
      db.exec(file.sql);
      db.prepare(
        'INSERT INTO ff_migration_ledger (version, name, checksum, applied_at_ms) VALUES (:version, :name, :checksum, :now)',
      ).run({ version, name: file.name, checksum: sum, now: nowMs });
    });
    applied.push(file.name);
  }
  const top = db.prepare('SELECT MAX(version) AS v FROM ff_migration_ledger').get<{ v: number | null }>();
  return { applied, schemaVersion: top?.v ?? 0 };
}
