/**
 * A batch of reads and writes runs as one group: each write's transaction a
 * savepoint, all committed together (src/db/transaction-runner.ts,
 * Engine.runGrouped). Nothing a caller sees changes: a call that fails rolls
 * back alone, commit listeners hear of each commit after the group, and a
 * group whose transaction is lost keeps nothing and fails every call.
 */
import { MessageChannel } from 'node:worker_threads';
import type { Endpoint } from 'comlink';
import { describe, expect, it } from 'vitest';
import { GroupAbandoned } from '../../src/db/transaction-runner.js';
import type { Driver } from '../../src/db/driver.js';
import { MemoryPersistence } from '../../src/persistence/memory-persistence.js';
import { BackendHost } from '../../src/worker/backend-host.js';
import type { BackendService } from '../../src/worker/backend-service.js';
import { BASE_CONFIG } from './boundary-helpers.js';
import { openDriver } from './helpers.js';

const keys = (db: Driver): string[] => db.prepare('SELECT k FROM t ORDER BY k').all<{ k: string }>().map((r) => r.k);

describe('a group of transactions (driver)', () => {
  it('commits them together; one that throws rolls back alone; export waits for the commit', async () => {
    const db = await openDriver();
    db.exec('CREATE TABLE t (k TEXT PRIMARY KEY)');
    const insert = (k: string): void => void db.prepare('INSERT INTO t (k) VALUES (:k)').run({ k });
    db.group(() => {
      db.transaction(() => insert('a'));
      expect(() =>
        db.transaction(() => {
          insert('b');
          throw new Error('refused');
        }),
      ).toThrow('refused');
      // A constraint error inside a savepoint, too, undoes only that transaction.
      expect(() => db.transaction(() => insert('a'))).toThrow();
      db.transaction(() => insert('c'));
      expect(db.inTransaction).toBe(true);
      expect(() => db.exportImage()).toThrow(/inside a transaction/);
    });
    expect(db.inTransaction).toBe(false);
    expect(keys(db)).toEqual(['a', 'c']);
  });

  it('whose transaction SQLite abandons keeps nothing, refuses the rest, and throws GroupAbandoned', async () => {
    const db = await openDriver();
    db.exec('CREATE TABLE t (k TEXT PRIMARY KEY)');
    const insert = (k: string): void => void db.prepare('INSERT INTO t (k) VALUES (:k)').run({ k });
    let ranAfter = false;
    expect(() =>
      db.group(() => {
        db.transaction(() => insert('a'));
        // What SQLite does on out-of-memory or an I/O error: the whole transaction rolled back.
        expect(() =>
          db.transaction(() => {
            db.exec('ROLLBACK');
            throw new Error('disk I/O error');
          }),
        ).toThrow('disk I/O error');
        expect(() => db.transaction(() => ((ranAfter = true), insert('c')))).toThrow(GroupAbandoned);
      }),
    ).toThrow(GroupAbandoned);
    expect(ranAfter).toBe(false);
    expect(db.inTransaction).toBe(false);
    expect(keys(db)).toEqual([]);
    db.transaction(() => insert('d'));
    expect(keys(db)).toEqual(['d']);
  });
});

/** A connection of a real host and service, called directly: no messaging, so each batch is exactly as given. */
async function openConnection(): Promise<{ invokeBatch: (calls: [string, unknown[]][]) => unknown; service: BackendService; groups: () => number }> {
  const host = new BackendHost({ kind: 'in-process', deps: async () => ({ persistence: new MemoryPersistence(), openDriver, banner: false }) });
  const connection = host.serve(new MessageChannel().port1 as unknown as Endpoint);
  await connection.open(BASE_CONFIG);
  const { service } = await host.acquire(BASE_CONFIG);
  let groups = 0;
  const grouped = service.grouped.bind(service);
  service.grouped = (body) => (groups++, grouped(body));
  return { invokeBatch: (calls) => connection.invokeBatch(calls), service, groups: () => groups };
}

describe('a batch of calls runs as one group', () => {
  it('each call still succeeds or fails alone, and every commit is heard once, after the group', async () => {
    const { invokeBatch, service, groups } = await openConnection();
    const before = service.status().sequence;
    const engine = (service as unknown as { engine: { driver: Driver; onCommit(listener: () => void): () => void } }).engine;
    const heardInTransaction: boolean[] = [];
    engine.onCommit(() => heardInTransaction.push(engine.driver.inTransaction));
    const [e1, e2] = ['{fp:0}:00000000-0000-4000-8000-000000000001', '{fp:0}:00000000-0000-4000-8000-000000000002'];
    const outcome = invokeBatch([
      ['createExecution', [{ laneId: 'grouped', executionId: e1 }]],
      ['createExecution', [{ laneId: 'grouped', priority: 'high' }]],
      ['createExecution', [{ laneId: 'grouped', executionId: e2 }]],
      ['readExecutionState', [{ executionId: e1 }]],
    ]) as { values: unknown[]; errors?: Record<number, { code: string }> };
    expect(groups()).toBe(1);
    expect(Object.keys(outcome.errors ?? {})).toEqual(['1']);
    expect(outcome.errors![1]!.code).toBe('validation.invalid_input');
    expect(outcome.values[0]).toMatchObject({ kind: 'created', executionId: e1 });
    expect(outcome.values[2]).toMatchObject({ kind: 'created', executionId: e2 });
    // A read later in the group sees the earlier writes, as it would one call after another.
    expect(outcome.values[3]).toBe('waiting');
    // Persistence counts commits through a listener: two, heard after the group committed.
    expect(service.status().sequence).toBe(before + 2);
    expect(heardInTransaction).toEqual([false, false]);
    const listed = service.invoke('listExecutions', [{ laneId: 'grouped' }]) as { executions: unknown[] };
    expect(listed.executions).toHaveLength(2);
  });

  it('a batch whose transaction is lost fails every call, the ones that had run included, and keeps none', async () => {
    const { invokeBatch, service } = await openConnection();
    const before = service.status().sequence;
    const driver = (service as unknown as { engine: { driver: Driver } }).engine.driver;
    const grouped = service.grouped.bind(service);
    // The group's transaction rolled back under it after its calls ran: its COMMIT then fails.
    service.grouped = (body) => grouped(() => ((body as () => unknown)(), driver.exec('ROLLBACK')) as never);
    const outcome = invokeBatch([
      ['createExecution', [{ laneId: 'lost' }]],
      ['createExecution', [{ laneId: 'lost' }]],
    ]) as { values: unknown[]; errors?: Record<number, { code: string }> };
    expect(Object.keys(outcome.errors ?? {})).toEqual(['0', '1']);
    expect(outcome.errors![0]!.code).toBe('transport');
    expect(outcome.values).toEqual([undefined, undefined]);
    expect(service.status().sequence).toBe(before);
    expect((service.invoke('listExecutions', [{ laneId: 'lost' }]) as { executions: unknown[] }).executions).toHaveLength(0);
  });

  it('a commit listener that throws after the group committed fails no call, and the others still hear every commit', async () => {
    const { invokeBatch, service } = await openConnection();
    const engine = (service as unknown as { engine: { onCommit(listener: () => void): () => void } }).engine;
    engine.onCommit(() => {
      throw new Error('listener bug');
    });
    const before = service.status().sequence;
    const logged: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void logged.push(args);
    try {
      const outcome = invokeBatch([
        ['createExecution', [{ laneId: 'heard' }]],
        ['createExecution', [{ laneId: 'heard' }]],
      ]) as { values: unknown[]; errors?: Record<number, unknown> };
      expect(outcome.errors).toBeUndefined();
      expect(outcome.values).toHaveLength(2);
    } finally {
      console.error = original;
    }
    expect(logged).toHaveLength(2);
    expect(service.status().sequence).toBe(before + 2);
    expect((service.invoke('listExecutions', [{ laneId: 'heard' }]) as { executions: unknown[] }).executions).toHaveLength(2);
  });

  it('a batch with a control operation, or a single call, runs call by call', async () => {
    const { invokeBatch, groups } = await openConnection();
    invokeBatch([['createExecution', [{ laneId: 'solo' }]]]);
    invokeBatch([
      ['createExecution', [{ laneId: 'solo' }]],
      ['advanceTime', [{ ms: 1_000 }]],
    ]);
    expect(groups()).toBe(0);
  });
});
