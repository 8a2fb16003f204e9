import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createEngine, ManualClock, migrate, migrationFiles } from '../../src/index.js';
import { checksum } from '../../src/db/migrate.js';
import { renderMigrationModule } from '../../scripts/bundle-migrations.mjs';
import { catchError, openDriver } from './helpers.js';

describe('migrations', () => {
  it('the bundled module matches migrations/*.sql (run `node scripts/bundle-migrations.mjs` after editing)', () => {
    expect(readFileSync(new URL('../../src/db/migration-files.ts', import.meta.url), 'utf8')).toBe(renderMigrationModule());
  });

  it('each bundled checksum is the SHA-256 of its text', () => {
    for (const file of migrationFiles) expect(file.checksum).toBe(checksum(file.sql));
  });

  it('apply in order, one ledger row each, and re-running is a no-op', async () => {
    const db = await openDriver();
    const first = migrate(db, migrationFiles, 1);
    expect(first.applied).toEqual(migrationFiles.map((f) => f.name));
    const ledger = db.prepare('SELECT version, name FROM ff_migration_ledger ORDER BY version').all<{ version: number; name: string }>();
    expect(ledger.map((r) => r.name)).toEqual(migrationFiles.map((f) => f.name));
    const before = db.exportImage();
    expect(migrate(db, migrationFiles, 2)).toEqual({ applied: [], schemaVersion: first.schemaVersion });
    expect(Buffer.compare(Buffer.from(db.exportImage()), Buffer.from(before))).toBe(0);
  });

  it('an edited, already-applied migration is an error and nothing is applied', async () => {
    const db = await openDriver();
    migrate(db, migrationFiles.slice(0, 1), 1);
    const edited = [{ name: migrationFiles[0]!.name, sql: migrationFiles[0]!.sql + '\n-- edited' }, ...migrationFiles.slice(1)];
    const err = catchError(() => migrate(db, edited, 2));
    expect(err.code).toBe('validation.corruption');
    expect(err.message).toMatch(/0001_executions\.sql was edited/);
    expect(db.prepare('SELECT COUNT(*) AS n FROM ff_migration_ledger').get()).toEqual({ n: 1 });
  });

  it('a failing migration rolls back completely and is not recorded', async () => {
    const db = await openDriver();
    const broken = [...migrationFiles, { name: '9999_broken.sql', sql: 'CREATE TABLE t_ok (x INTEGER); CREATE TABLE nope (' }];
    expect(() => migrate(db, broken, 1)).toThrow();
    expect(db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 't_ok'").get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM ff_migration_ledger WHERE version = 9999').get()).toEqual({ n: 0 });
  });

  it('the schema matches the committed snapshot', async () => {
    const db = await openDriver();
    migrate(db, migrationFiles, 1);
    const schema = db
      .prepare("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY type, name")
      .all<{ type: string; name: string; sql: string }>()
      .map((r) => `-- ${r.type} ${r.name}\n${r.sql};\n`)
      .join('\n');
    await expect(schema).toMatchFileSnapshot('./__snapshots__/schema.sql');
  });
});

describe('createEngine', () => {
  it('refuses to construct without devMode, with a clear message', async () => {
    await expect(createEngine({} as never)).rejects.toMatchObject({
      code: 'validation.invalid_input',
      message: expect.stringMatching(/dev-only backend: pass \{ devMode: true \}/),
    });
    await expect(createEngine({ devMode: 'yes' } as never)).rejects.toMatchObject({ details: { field: 'devMode' } });
  });

  it('opens an existing image and keeps its data', async () => {
    const clock = new ManualClock();
    const a = await createEngine({ devMode: true, driver: await openDriver(), clock, banner: false });
    const id = a.createExecution({ laneId: 'l' }).executionId;
    const b = await createEngine({ devMode: true, driver: await openDriver(a.exportImage()), clock, banner: false });
    expect(b.readExecutionState({ executionId: id })).toBe('waiting');
  });

  it('a closed engine rejects calls with a typed error', async () => {
    const e = await createEngine({ devMode: true, driver: await openDriver(), banner: false });
    e.close();
    expect(catchError(() => e.listLanes()).code).toBe('closed');
  });
});
