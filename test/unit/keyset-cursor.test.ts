import { describe, expect, expectTypeOf, it } from 'vitest';
import { EngineError, type Engine } from '../../src/index.js';
import { decodeCursor, encodeCursor } from '../../src/engine/core/keyset-cursor.js';
import { catchError, makeEngine, WORKER } from './helpers.js';

/** Base64url (no padding) of UTF-8 text, spelled independently of the module under test. */
function b64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

function rejection(fn: () => unknown): EngineError {
  const err = catchError(fn);
  expect(err).toBeInstanceOf(EngineError);
  return err as EngineError;
}

function expectRejected(scope: string, cursor: string, shape: readonly ('string' | 'number')[]): void {
  const err = rejection(() => decodeCursor(scope, cursor, shape));
  expect(err.code).toBe('validation.invalid_input');
  expect(err.details['field']).toBe('cursor');
  expect(err.message).toBe(`cursor: not a cursor returned by ${scope}`);
}

describe('keyset cursor codec', () => {
  it('round-trips any Unicode, including "|", quotes, astral and lone surrogates', () => {
    const keys: Array<readonly [number, string]> = [
      [0, ''],
      [1_700_000_000_000, '{fp:7}:0f8fad5b-d9cb-469f-a165-70867728950e'],
      [Number.MAX_SAFE_INTEGER, 'a|b||c|'],
      [Number.MIN_SAFE_INTEGER, 'ünïcode|pipe'],
      [-1, '名前|имя|اسم|🚀👩‍👩‍👧'],
      [42, 'quote " backslash \\ slash / percent % plus + equals ='],
      [7, '\ud800 lone high, lone low \udc00'],
      [8, '\u2028\u2029\ufeff\uffff'],
    ];
    for (const key of keys) {
      const cursor = encodeCursor('listThings', key);
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/); // URL-safe, unpadded
      expect(decodeCursor('listThings', cursor, ['number', 'string'])).toEqual([...key]);
    }
  });

  it('is base64url of the UTF-8 JSON [version, scope, ...key]', () => {
    expect(encodeCursor('listWorkers', ['ns|ü', '名'])).toBe(b64url(JSON.stringify([1, 'listWorkers', 'ns|ü', '名'])));
    expect(decodeCursor('s', b64url('[1,"s",5,"x"]'), ['number', 'string'])).toEqual([5, 'x']);
  });

  it('handles any arity and mix of fields, with precise types', () => {
    const cursor = encodeCursor('s', ['a', 1, 'b', 2]);
    const key = decodeCursor('s', cursor, ['string', 'number', 'string', 'number']);
    expect(key).toEqual(['a', 1, 'b', 2]);
    expectTypeOf(key).toEqualTypeOf<[string, number, string, number]>();
    expect(decodeCursor('s', encodeCursor('s', []), [])).toEqual([]);
  });

  it('rejects a cursor minted for another scope', () => {
    const cursor = encodeCursor('listWorkers', ['ns', 'w-1']);
    expectRejected('listFlows', cursor, ['string', 'string']);
    expectRejected('listworkers', cursor, ['string', 'string']); // scopes are case-sensitive
    expectRejected('listBudgets', encodeCursor('listQuotaPolicies', ['a']), ['string']);
  });

  it('rejects garbage', () => {
    const shape = ['number', 'string'] as const;
    const garbage = [
      '',
      '!!!',
      '%%%',
      'a', // impossible base64 length
      'aGVsbG8', // "hello"
      ' ' + encodeCursor('s', [1, 'x']),
      encodeCursor('s', [1, 'x']) + '\n',
      btoa('c1|5|{fp:0}:x'), // the old '|'-separated formats
      btoa(JSON.stringify(['w1', 'a', 'b'])), // the old listWorkers format
      Buffer.from(JSON.stringify([1, 's', 1, 'x'])).toString('base64') + '=', // padded / standard alphabet
      b64url('[1,"s",1,"x"'), // truncated JSON
      b64url('{"0":1,"1":"s","2":1,"3":"x"}'), // not an array
      b64url('null'),
      b64url('[2,"s",1,"x"]'), // unknown version
      b64url('["1","s",1,"x"]'),
      b64url('[1,"s",1]'), // too short
      b64url('[1,"s",1,"x","y"]'), // too long
      b64url('[1, "s", 1, "x"]'), // not the canonical spelling
      Buffer.from([0x5b, 0x31, 0x2c, 0x22, 0xff, 0x22, 0x5d]).toString('base64url'), // not UTF-8
    ];
    for (const cursor of garbage) expectRejected('s', cursor, shape);
  });

  it('rejects fields of the wrong type', () => {
    const shape = ['number', 'string'] as const;
    for (const json of [
      '[1,"s","5","x"]', // numeric string for a number
      '[1,"s",5,6]', // number for a string
      '[1,"s",null,"x"]',
      '[1,"s",5,null]',
      '[1,"s",true,"x"]',
      '[1,"s",[5],"x"]',
      '[1,"s",5,["x"]]',
      '[1,"s",5,{"x":1}]',
    ]) {
      expectRejected('s', b64url(json), shape);
    }
  });

  it('rejects numbers that are not safe integers', () => {
    const shape = ['number'] as const;
    for (const json of ['[1,"s",9007199254740992]', '[1,"s",-9007199254740992]', '[1,"s",1.5]', '[1,"s",1e300]', '[1,"s",1e999]', '[1,"s",-0]', '[1,"s",1.0]']) {
      expectRejected('s', b64url(json), shape);
    }
    expect(decodeCursor('s', b64url('[1,"s",9007199254740991]'), shape)).toEqual([Number.MAX_SAFE_INTEGER]);
  });
});

describe('list operations share the codec and refuse each other\'s cursors', () => {
  /** Two rows of every paged list, so each returns a nextCursor at limit 1. */
  async function populated(): Promise<Engine> {
    const { engine, clock } = await makeEngine();
    for (const n of [1, 2]) {
      engine.createExecution({ laneId: 'l' });
      engine.claim({ laneId: 'l', ...WORKER, leaseTtlMs: 1_000 });
      engine.createFlow({});
      engine.registerWorker({ workerId: 'w', workerInstanceId: `w-${n}|名`, lanes: ['l'], capabilities: [], livenessTtlMs: 10_000 });
      engine.createBudget({ budgetId: `b-${n}|名`, dimensions: [] });
      engine.createQuotaPolicy({ quotaPolicyId: `q-${n}|名`, windowSeconds: 5 });
    }
    clock.advance(1_000);
    return engine;
  }

  const lists: Record<string, (engine: Engine, cursor?: string) => { nextCursor: string | null }> = {
    listExecutions: (e, cursor) => e.listExecutions({ limit: 1, ...(cursor === undefined ? {} : { cursor }) }),
    listFlows: (e, cursor) => e.listFlows({ limit: 1, ...(cursor === undefined ? {} : { cursor }) }),
    listWorkers: (e, cursor) => e.listWorkers({ limit: 1, ...(cursor === undefined ? {} : { cursor }) }),
    listExpiredLeases: (e, cursor) => e.listExpiredLeases({ limit: 1, ...(cursor === undefined ? {} : { cursor }) }),
    listBudgets: (e, cursor) => e.listBudgets({ limit: 1, ...(cursor === undefined ? {} : { cursor }) }),
    listQuotaPolicies: (e, cursor) => e.listQuotaPolicies({ limit: 1, ...(cursor === undefined ? {} : { cursor }) }),
  };

  it('each list accepts its own cursor and rejects every other list\'s', async () => {
    const engine = await populated();
    const cursors = Object.fromEntries(Object.entries(lists).map(([scope, list]) => [scope, list(engine).nextCursor]));
    for (const [scope, list] of Object.entries(lists)) {
      const own = cursors[scope];
      expect(own, scope).toEqual(expect.any(String));
      const second = list(engine, own!).nextCursor; // the page of the second row is full too
      expect(second, scope).toEqual(expect.any(String));
      expect(second, scope).not.toBe(own);
      expect(list(engine, second!).nextCursor, scope).toBeNull(); // nothing after the second row
      for (const [other, cursor] of Object.entries(cursors)) {
        if (other === scope) continue;
        const err = rejection(() => list(engine, cursor!));
        expect([err.code, err.details['field'], err.message], `${other} cursor to ${scope}`).toEqual([
          'validation.invalid_input',
          'cursor',
          `cursor: not a cursor returned by ${scope}`,
        ]);
      }
    }
  });

  it('listBudgets and listQuotaPolicies take only their own cursors, not raw ids', async () => {
    const engine = await populated();
    expect(catchError(() => engine.listBudgets({ cursor: 'b-1|名' })).details['field']).toBe('cursor');
    expect(catchError(() => engine.listQuotaPolicies({ cursor: 'q-1|名' })).details['field']).toBe('cursor');
  });

  it('pages through the longest non-Latin-1 ids within the cursor length limits', async () => {
    const { engine } = await makeEngine();
    const long = (c: string) => '名'.repeat(254) + '|' + c; // 256 characters, 764 UTF-8 bytes
    for (const c of ['a', 'b']) {
      engine.createBudget({ budgetId: long(c), dimensions: [] });
      engine.createQuotaPolicy({ quotaPolicyId: long(c), windowSeconds: 5 });
      engine.registerWorker({ namespace: long(c), workerId: 'w', workerInstanceId: long(c), lanes: ['l'], capabilities: [], livenessTtlMs: 10_000 });
    }
    const budgets = engine.listBudgets({ limit: 1 });
    expect(engine.listBudgets({ limit: 1, cursor: budgets.nextCursor! }).budgets.map((b) => b.budgetId)).toEqual([long('b')]);
    const policies = engine.listQuotaPolicies({ limit: 1 });
    expect(engine.listQuotaPolicies({ limit: 1, cursor: policies.nextCursor! }).policies.map((p) => p.quotaPolicyId)).toEqual([long('b')]);
    const workers = engine.listWorkers({ limit: 1 });
    expect(engine.listWorkers({ limit: 1, cursor: workers.nextCursor! }).workers.map((w) => w.namespace)).toEqual([long('b')]);
  });
});
