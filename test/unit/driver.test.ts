import { describe, expect, it } from 'vitest';
import { parameterNames, shieldParameters } from '../../src/db/named-params.js';
import { openDriver } from './helpers.js';

describe('named parameters', () => {
  it('lists distinct names in order of first appearance, ignoring string literals', () => {
    expect(parameterNames("SELECT :b, :a, :b, ':c', 'it''s :d' FROM t WHERE x = :e")).toEqual(['b', 'a', 'e']);
  });

  it('shields parameters with a unary plus, leaving string literals alone', () => {
    expect(shieldParameters("UPDATE t SET a = :a, b = json_set(b, '$.x:y', :b) WHERE k = :k")).toBe(
      "UPDATE t SET a = +:a, b = json_set(b, '$.x:y', +:b) WHERE k = +:k",
    );
  });
});

describe('driver contract', () => {
  it('binds by name, returns rows and change counts, keeps value types', async () => {
    const db = await openDriver();
    db.exec('CREATE TABLE t (k TEXT PRIMARY KEY, n INTEGER, b BLOB, f REAL)');
    const insert = db.prepare('INSERT INTO t (k, n, b, f) VALUES (:k, :n, :b, :f)');
    expect(insert.run({ k: 'a', n: 1, b: new Uint8Array([1, 2]), f: 1.5 })).toBe(1);
    expect(insert.run({ k: 'b', n: 2, b: null, f: undefined })).toBe(1);
    const rows = db.prepare('SELECT k, n, b, f, typeof(n) AS tn FROM t WHERE n >= :min ORDER BY k').all<Record<string, unknown>>({ min: 1 });
    expect(rows.map((r) => [r['k'], r['n'], r['f'], r['tn']])).toEqual([
      ['a', 1, 1.5, 'integer'],
      ['b', 2, null, 'integer'],
    ]);
    expect([...(rows[0]!['b'] as Uint8Array)]).toEqual([1, 2]);
    expect(db.prepare('UPDATE t SET n = n + 1 WHERE n > :x').run({ x: 0 })).toBe(2);
    expect(db.prepare('SELECT k FROM t WHERE k = :k').get({ k: 'zzz' })).toBeUndefined();
  });

  it('a missing parameter is an error, not a silent NULL', async () => {
    const db = await openDriver();
    db.exec('CREATE TABLE t (k TEXT)');
    expect(() => db.prepare('INSERT INTO t (k) VALUES (:k)').run({})).toThrow(/k/);
  });

  it('rolls a failed transaction back completely and refuses to nest or export inside one', async () => {
    const db = await openDriver();
    db.exec('CREATE TABLE t (k TEXT PRIMARY KEY)');
    expect(() =>
      db.transaction(() => {
        db.prepare('INSERT INTO t (k) VALUES (:k)').run({ k: 'a' });
        db.prepare('INSERT INTO t (k) VALUES (:k)').run({ k: 'a' });
      }),
    ).toThrow();
    expect(db.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 0 });
    db.transaction(() => {
      expect(db.inTransaction).toBe(true);
      expect(() => db.transaction(() => 1)).toThrow(/nest/);
      expect(() => db.exportImage()).toThrow();
    });
    expect(db.inTransaction).toBe(false);
  });

  it('an exported image reopens with the same data', async () => {
    const db = await openDriver();
    db.exec("CREATE TABLE t (k TEXT); INSERT INTO t VALUES ('x')");
    const copy = await openDriver(db.exportImage());
    expect(copy.prepare('SELECT k FROM t').all()).toEqual([{ k: 'x' }]);
    // The source keeps working after an export (statements stay valid).
    expect(db.prepare('SELECT k FROM t').all()).toEqual([{ k: 'x' }]);
  });
});
