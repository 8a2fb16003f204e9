import { describe, expect, it } from 'vitest';
import type { CommittedEvent, Engine } from '../../src/index.js';
import { seededIds } from '../../src/index.js';
import { applyScheduledReset, nextBudgetResetAt, selectDueBudgets } from '../../src/engine/budgets/budget-reset-scan.js';
import { nextDedupExpiryAt, sweepExpiredDedup } from '../../src/engine/budgets/budget-dedup-cleanup.js';
import { DEFAULT_LIMITS, type EngineContext } from '../../src/engine/core/context.js';
import { catchError, makeEngine, rows, sameImage, WORKER } from './helpers.js';

const DAY = 86_400_000;
const EXEC_A = '{fp:0}:0b5a3c1e-8a5d-4c7e-9f00-123456789abc';
const EXEC_B = '{fp:0}:1c6b4d2f-9b6e-4d8f-8a11-23456789abcd';

/** Run a scanner body the way the supervisor will: inside one transaction of its own. */
function inTx<T>(engine: Engine, fn: (ctx: EngineContext) => T): T {
  const ctx: EngineContext = { db: engine.driver, clock: engine.clock, ids: seededIds(1), limits: DEFAULT_LIMITS, emit: () => {} };
  return engine.driver.transaction(() => fn(ctx));
}

async function withBudget(resetIntervalMs = 0) {
  const t = await makeEngine();
  t.engine.createBudget({
    budgetId: 'b1',
    dimensions: [
      { name: 'tokens', hardLimit: 100, softLimit: 80 },
      { name: 'requests', hardLimit: 10 },
      { name: 'cost', softLimit: 5 },
    ],
    resetIntervalMs,
  });
  return t;
}

describe('createBudget and getBudgetStatus', () => {
  it('creates a budget whose status reports limits, zero usage, schedule and scope', async () => {
    const { engine, clock } = await makeEngine();
    const created = engine.createBudget({
      budgetId: 'b1',
      scopeType: 'lane',
      scopeId: 'emails',
      enforcementMode: 'strict',
      dimensions: [
        { name: 'tokens', hardLimit: 100, softLimit: 80 },
        { name: 'unlimited', hardLimit: 0 },
        { name: 'bare' },
      ],
      resetIntervalMs: DAY,
    });
    expect(created).toEqual({ kind: 'created', budgetId: 'b1', nextResetAtMs: clock.now() + DAY });
    expect(engine.getBudgetStatus({ budgetId: 'b1' })).toEqual({
      budgetId: 'b1',
      scopeType: 'lane',
      scopeId: 'emails',
      enforcementMode: 'strict',
      onHardLimit: '',
      onSoftLimit: '',
      usage: { bare: 0, tokens: 0, unlimited: 0 },
      hardLimits: { tokens: 100, unlimited: 0 },
      softLimits: { tokens: 80 },
      breachCount: 0,
      softBreachCount: 0,
      lastBreachAtMs: null,
      lastBreachDimension: null,
      resetIntervalMs: DAY,
      nextResetAtMs: clock.now() + DAY,
      resetCount: 0,
      lastResetAtMs: null,
      createdAtMs: clock.now(),
    });
  });

  it('creating it again is already_satisfied and changes nothing, even with other limits', async () => {
    const { engine, clock } = await withBudget();
    const before = engine.exportImage();
    clock.advance(5);
    expect(engine.createBudget({ budgetId: 'b1', dimensions: [{ name: 'tokens', hardLimit: 1 }], resetIntervalMs: 1_000 })).toEqual({
      kind: 'already_satisfied',
      budgetId: 'b1',
    });
    expect(sameImage(engine.exportImage(), before)).toBe(true);
  });

  it('a budget that never resets has no next reset', async () => {
    const { engine } = await withBudget(0);
    expect(engine.getBudgetStatus({ budgetId: 'b1' }).nextResetAtMs).toBeNull();
  });

  it('unknown budgets are not_found everywhere', async () => {
    const { engine } = await makeEngine();
    const calls: Array<() => unknown> = [
      () => engine.getBudgetStatus({ budgetId: 'nope' }),
      () => engine.resetBudget({ budgetId: 'nope' }),
      () => engine.reportUsageAdmin({ budgetId: 'nope', usage: { x: 1 } }),
      () => engine.recordSpend({ budgetId: 'nope', executionId: EXEC_A, usage: { x: 1 }, idempotencyKey: 'k' }),
      () => engine.releaseBudget({ budgetId: 'nope', executionId: EXEC_A }),
      () => engine.listBudgetEvents({ budgetId: 'nope' }),
    ];
    for (const call of calls) expect(catchError(call)).toMatchObject({ code: 'not_found', details: { entity: 'budget', id: 'nope' } });
    expect(rows(engine, 'SELECT COUNT(*) AS n FROM ff_budget_usage')).toEqual([{ n: 0 }]);
  });

  it('listBudgets pages by budget id', async () => {
    const { engine } = await makeEngine();
    for (const id of ['c', 'a', 'e', 'b', 'd']) engine.createBudget({ budgetId: id, dimensions: [] });
    const first = engine.listBudgets({ limit: 2 });
    expect(first.budgets.map((b) => b.budgetId)).toEqual(['a', 'b']);
    const second = engine.listBudgets({ limit: 2, cursor: first.nextCursor! });
    expect(second.budgets.map((b) => b.budgetId)).toEqual(['c', 'd']);
    const third = engine.listBudgets({ limit: 2, cursor: second.nextCursor! });
    expect(third).toMatchObject({ budgets: [{ budgetId: 'e' }], nextCursor: null });
  });
});

describe('bad budget input: validation names the field and writes nothing', () => {
  const MAX = Number.MAX_SAFE_INTEGER;
  const cases: Array<[string, (e: Engine) => unknown, string]> = [
    ['soft above hard', (e) => e.createBudget({ budgetId: 'x', dimensions: [{ name: 'a', hardLimit: 5, softLimit: 6 }] }), 'dimensions.0.softLimit'],
    ['duplicate dimension', (e) => e.createBudget({ budgetId: 'x', dimensions: [{ name: 'a' }, { name: 'a' }] }), 'dimensions.1.name'],
    ['negative hard limit', (e) => e.createBudget({ budgetId: 'x', dimensions: [{ name: 'a', hardLimit: -1 }] }), 'dimensions.0.hardLimit'],
    ['fractional soft limit', (e) => e.createBudget({ budgetId: 'x', dimensions: [{ name: 'a', softLimit: 1.5 }] }), 'dimensions.0.softLimit'],
    ['limit above MAX_SAFE_INTEGER', (e) => e.createBudget({ budgetId: 'x', dimensions: [{ name: 'a', hardLimit: MAX + 1 }] }), 'dimensions.0.hardLimit'],
    ['negative reset interval', (e) => e.createBudget({ budgetId: 'x', dimensions: [], resetIntervalMs: -1 }), 'resetIntervalMs'],
    ['empty budget id', (e) => e.createBudget({ budgetId: '', dimensions: [] }), 'budgetId'],
    ['missing dimensions', (e) => e.createBudget({ budgetId: 'x' } as never), 'dimensions'],
    ['negative delta', (e) => e.reportUsageAdmin({ budgetId: 'b1', usage: { tokens: -1 } }), 'usage.tokens'],
    ['fractional delta', (e) => e.reportUsageAdmin({ budgetId: 'b1', usage: { tokens: 0.5 } }), 'usage.tokens'],
    ['delta above MAX_SAFE_INTEGER', (e) => e.reportUsageAdmin({ budgetId: 'b1', usage: { tokens: MAX + 1 } }), 'usage.tokens'],
    ['no dimensions reported', (e) => e.reportUsageAdmin({ budgetId: 'b1', usage: {} }), 'usage'],
    ['zero dedup TTL', (e) => e.reportUsageAdmin({ budgetId: 'b1', usage: { tokens: 1 }, dedupKey: 'k', dedupTtlMs: 0 }), 'dedupTtlMs'],
    ['unknown key', (e) => e.reportUsageAdmin({ budgetId: 'b1', usage: { tokens: 1 }, dedup: 'k' } as never), '(input)'],
    ['spend without idempotency key', (e) => e.recordSpend({ budgetId: 'b1', executionId: EXEC_A, usage: { tokens: 1 } } as never), 'idempotencyKey'],
    ['spend with malformed execution id', (e) => e.recordSpend({ budgetId: 'b1', executionId: 'x', usage: { tokens: 1 }, idempotencyKey: 'k' }), 'executionId'],
    ['__proto__ as a dimension', (e) => e.createBudget({ budgetId: 'x', dimensions: [{ name: '__proto__' }] }), 'dimensions.0.name'],
    ['__proto__ as a reported dimension', (e) => e.reportUsageAdmin({ budgetId: 'b1', usage: JSON.parse('{"__proto__": 1}') as Record<string, number> }), 'usage'],
    ['unknown event type', (e) => e.listBudgetEvents({ budgetId: 'b1', eventType: 'other' as never }), 'eventType'],
  ];
  for (const [label, fn, field] of cases) {
    it(label, async () => {
      const { engine } = await withBudget();
      engine.reportUsageAdmin({ budgetId: 'b1', usage: { tokens: 1 } });
      const before = engine.exportImage();
      const err = catchError(() => fn(engine));
      expect(err.code).toBe('validation.invalid_input');
      expect(err.details['field']).toBe(field);
      expect(sameImage(engine.exportImage(), before)).toBe(true);
    });
  }

  it('a report whose sum would pass MAX_SAFE_INTEGER is rejected, never rounded, and writes nothing', async () => {
    const { engine } = await withBudget();
    engine.reportUsageAdmin({ budgetId: 'b1', usage: { big: Number.MAX_SAFE_INTEGER - 1 } });
    const before = engine.exportImage();
    const err = catchError(() => engine.reportUsageAdmin({ budgetId: 'b1', usage: { big: 2, tokens: 1 }, dedupKey: 'k' }));
    expect(err).toMatchObject({ code: 'validation.invalid_input', details: { field: 'usage.big', currentUsage: Number.MAX_SAFE_INTEGER - 1, delta: 2 } });
    expect(sameImage(engine.exportImage(), before)).toBe(true);
    expect(engine.reportUsageAdmin({ budgetId: 'b1', usage: { big: 1 } })).toEqual({ kind: 'ok' });
    expect(engine.getBudgetStatus({ budgetId: 'b1' }).usage['big']).toBe(Number.MAX_SAFE_INTEGER);
  });
});

describe('reporting usage', () => {
  it('applies every dimension of a report together; undeclared dimensions are tracked with no limits', async () => {
    const { engine } = await withBudget();
    expect(engine.reportUsageAdmin({ budgetId: 'b1', usage: { tokens: 30, requests: 2, novel: 1_000_000 } })).toEqual({ kind: 'ok' });
    const status = engine.getBudgetStatus({ budgetId: 'b1' });
    expect(status.usage).toEqual({ cost: 0, novel: 1_000_000, requests: 2, tokens: 30 });
    expect(status.hardLimits).toEqual({ requests: 10, tokens: 100 });
  });

  it('reaching a hard limit exactly is allowed; a limit of 0 means no limit', async () => {
    const { engine } = await makeEngine();
    engine.createBudget({ budgetId: 'b', dimensions: [{ name: 'a', hardLimit: 5 }, { name: 'z', hardLimit: 0, softLimit: 0 }] });
    expect(engine.reportUsageAdmin({ budgetId: 'b', usage: { a: 5, z: 10 ** 12 } })).toEqual({ kind: 'ok' });
  });

  it('a hard breach on any dimension refuses the whole report and reports the usage it would have produced', async () => {
    const { engine, clock } = await withBudget();
    engine.reportUsageAdmin({ budgetId: 'b1', usage: { tokens: 50, requests: 8 } });
    clock.advance(7);
    const result = engine.reportUsageAdmin({ budgetId: 'b1', usage: { tokens: 10, requests: 5, fresh: 3 } });
    // Consistent numbers (the reference reports the pre-report usage here): 8 + 5 = 13 > 10.
    expect(result).toEqual({ kind: 'hard_breach', dimension: 'requests', currentUsage: 13, hardLimit: 10 });
    const status = engine.getBudgetStatus({ budgetId: 'b1' });
    expect(status.usage).toEqual({ cost: 0, requests: 8, tokens: 50 });
    expect(status).toMatchObject({ breachCount: 1, softBreachCount: 0, lastBreachAtMs: clock.now(), lastBreachDimension: 'requests' });
    expect(engine.listBudgetEvents({ budgetId: 'b1' }).events).toEqual([
      {
        eventId: expect.any(Number),
        budgetId: 'b1',
        eventType: 'breach',
        dimension: 'requests',
        details: { usageBefore: 8, delta: 5, usageAfter: 13, hardLimit: 10 },
        occurredAtMs: clock.now(),
      },
    ]);
  });

  it('with several breaching dimensions the first by name is reported, and the breach counts once', async () => {
    const { engine } = await withBudget();
    expect(engine.reportUsageAdmin({ budgetId: 'b1', usage: { tokens: 101, requests: 11 } })).toMatchObject({ kind: 'hard_breach', dimension: 'requests' });
    expect(engine.getBudgetStatus({ budgetId: 'b1' }).breachCount).toBe(1);
  });

  it('a soft breach is applied, counted once per report, and written as an event', async () => {
    const { engine } = await withBudget();
    expect(engine.reportUsageAdmin({ budgetId: 'b1', usage: { tokens: 85, cost: 6 } })).toEqual({
      kind: 'soft_breach',
      dimension: 'cost',
      currentUsage: 6,
      softLimit: 5,
    });
    const status = engine.getBudgetStatus({ budgetId: 'b1' });
    expect(status.usage).toMatchObject({ tokens: 85, cost: 6 });
    expect(status).toMatchObject({ softBreachCount: 1, breachCount: 0, lastBreachAtMs: null });
    expect(engine.reportUsageAdmin({ budgetId: 'b1', usage: { tokens: 1 } })).toMatchObject({ kind: 'soft_breach', dimension: 'tokens', currentUsage: 86 });
    expect(engine.getBudgetStatus({ budgetId: 'b1' }).softBreachCount).toBe(2);
    expect(engine.listBudgetEvents({ budgetId: 'b1', eventType: 'soft_breach' }).events.map((e) => [e.dimension, e.details])).toEqual([
      ['cost', { usageBefore: 0, delta: 6, usageAfter: 6, softLimit: 5 }],
      ['tokens', { usageBefore: 85, delta: 1, usageAfter: 86, softLimit: 80 }],
    ]);
  });

  it('budget events reach commit listeners on the budget channel', async () => {
    const { engine } = await withBudget();
    const seen: CommittedEvent[] = [];
    engine.onCommit((events) => seen.push(...events));
    engine.reportUsageAdmin({ budgetId: 'b1', usage: { tokens: 1 } });
    engine.reportUsageAdmin({ budgetId: 'b1', usage: { requests: 11 } });
    engine.resetBudget({ budgetId: 'b1' });
    const ids = engine.listBudgetEvents({ budgetId: 'b1' }).events.map((e) => e.eventId);
    expect(seen).toEqual(ids.map((eventId) => ({ channel: 'budget', eventId })));
    expect(ids).toHaveLength(2);
  });

  it('listBudgetEvents filters by type and pages after an event id', async () => {
    const { engine } = await withBudget();
    engine.reportUsageAdmin({ budgetId: 'b1', usage: { requests: 11 } });
    engine.resetBudget({ budgetId: 'b1' });
    engine.resetBudget({ budgetId: 'b1' });
    const resets = engine.listBudgetEvents({ budgetId: 'b1', eventType: 'reset' }).events;
    expect(resets.map((e) => e.eventType)).toEqual(['reset', 'reset']);
    expect(engine.listBudgetEvents({ budgetId: 'b1', afterEventId: resets[0]!.eventId }).events.map((e) => e.eventId)).toEqual([resets[1]!.eventId]);
    expect(engine.listBudgetEvents({ budgetId: 'b1', limit: 1 }).events.map((e) => e.eventType)).toEqual(['breach']);
  });
});

describe('the worker path is fenced', () => {
  async function claimed() {
    const t = await withBudget();
    t.engine.createExecution({ laneId: 'l', retryPolicy: { maxRetries: 1, backoff: { type: 'fixed', delayMs: 0 } } });
    const handle = t.engine.claim({ laneId: 'l', ...WORKER })!;
    return { ...t, handle };
  }

  it('a live handle reports usage', async () => {
    const { engine, handle } = await claimed();
    expect(engine.reportUsage({ handle, budgetId: 'b1', usage: { tokens: 3 } })).toEqual({ kind: 'ok' });
    expect(engine.getBudgetStatus({ budgetId: 'b1' }).usage['tokens']).toBe(3);
  });

  it('a stale handle (a newer attempt exists) is rejected and nothing is written', async () => {
    const { engine, handle } = await claimed();
    engine.failExecution({ handle, reason: 'x' });
    engine.claim({ laneId: 'l', ...WORKER });
    const before = engine.exportImage();
    expect(catchError(() => engine.reportUsage({ handle, budgetId: 'b1', usage: { tokens: 3 } })).code).toBe('state.stale_lease');
    expect(sameImage(engine.exportImage(), before)).toBe(true);
  });

  it('an expired lease is rejected and nothing is written', async () => {
    const { engine, clock, handle } = await claimed();
    clock.advance(WORKER.leaseTtlMs);
    const before = engine.exportImage();
    expect(catchError(() => engine.reportUsage({ handle, budgetId: 'b1', usage: { tokens: 3 }, dedupKey: 'k' })).code).toBe('state.lease_expired');
    expect(sameImage(engine.exportImage(), before)).toBe(true);
  });

  it("another worker instance's handle is rejected", async () => {
    const { engine, handle } = await claimed();
    const err = catchError(() => engine.reportUsage({ handle: { ...handle, workerInstanceId: 'intruder' }, budgetId: 'b1', usage: { tokens: 3 } }));
    expect(err.code).toBe('contention.lease_conflict');
    expect(engine.getBudgetStatus({ budgetId: 'b1' }).usage['tokens']).toBe(0);
  });

  it('a handle from another backend is rejected', async () => {
    const { engine, handle } = await claimed();
    expect(catchError(() => engine.reportUsage({ handle: { ...handle, backend: 'valkey' }, budgetId: 'b1', usage: { tokens: 3 } })).code).toBe(
      'validation.handle_from_other_backend',
    );
  });
});

describe('usage dedup', () => {
  it('a replay returns the first outcome and changes nothing', async () => {
    const { engine } = await withBudget();
    const first = engine.reportUsageAdmin({ budgetId: 'b1', usage: { tokens: 90 }, dedupKey: 'k1' });
    expect(first).toMatchObject({ kind: 'soft_breach', currentUsage: 90 });
    const before = engine.exportImage();
    expect(engine.reportUsageAdmin({ budgetId: 'b1', usage: { tokens: 90 }, dedupKey: 'k1' })).toEqual({ kind: 'already_applied', original: first });
    expect(sameImage(engine.exportImage(), before)).toBe(true);
  });

  it('a replayed hard breach is not counted again', async () => {
    const { engine } = await withBudget();
    const first = engine.reportUsageAdmin({ budgetId: 'b1', usage: { requests: 20 }, dedupKey: 'k' });
    expect(engine.reportUsageAdmin({ budgetId: 'b1', usage: { requests: 20 }, dedupKey: 'k' })).toEqual({ kind: 'already_applied', original: first });
    expect(engine.getBudgetStatus({ budgetId: 'b1' }).breachCount).toBe(1);
  });

  it('keys are scoped per budget: the same key on two budgets applies to both (the reference shares one key space)', async () => {
    const { engine } = await withBudget();
    engine.createBudget({ budgetId: 'b2', dimensions: [] });
    expect(engine.reportUsageAdmin({ budgetId: 'b1', usage: { tokens: 1 }, dedupKey: 'same' })).toEqual({ kind: 'ok' });
    expect(engine.reportUsageAdmin({ budgetId: 'b2', usage: { tokens: 1 }, dedupKey: 'same' })).toEqual({ kind: 'ok' });
    expect(engine.getBudgetStatus({ budgetId: 'b1' }).usage['tokens']).toBe(1);
    expect(engine.getBudgetStatus({ budgetId: 'b2' }).usage['tokens']).toBe(1);
  });

  it('a key is new again once its TTL has passed, before any sweep (the reference never expires keys)', async () => {
    const { engine, clock } = await withBudget();
    engine.reportUsageAdmin({ budgetId: 'b1', usage: { tokens: 1 }, dedupKey: 'k', dedupTtlMs: 1_000 });
    clock.advance(999);
    expect(engine.reportUsageAdmin({ budgetId: 'b1', usage: { tokens: 1 }, dedupKey: 'k', dedupTtlMs: 1_000 }).kind).toBe('already_applied');
    clock.advance(1);
    expect(engine.reportUsageAdmin({ budgetId: 'b1', usage: { tokens: 1 }, dedupKey: 'k', dedupTtlMs: 1_000 })).toEqual({ kind: 'ok' });
    expect(engine.getBudgetStatus({ budgetId: 'b1' }).usage['tokens']).toBe(2);
    expect(rows(engine, 'SELECT applied_at_ms, expires_at_ms FROM ff_budget_usage_dedup')).toEqual([
      { applied_at_ms: clock.now(), expires_at_ms: clock.now() + 1_000 },
    ]);
  });

  it('the default TTL is 24 hours', async () => {
    const { engine, clock } = await withBudget();
    engine.reportUsageAdmin({ budgetId: 'b1', usage: { tokens: 1 }, dedupKey: 'k' });
    clock.advance(DAY - 1);
    expect(engine.reportUsageAdmin({ budgetId: 'b1', usage: { tokens: 1 }, dedupKey: 'k' }).kind).toBe('already_applied');
    clock.advance(1);
    expect(engine.reportUsageAdmin({ budgetId: 'b1', usage: { tokens: 1 }, dedupKey: 'k' }).kind).toBe('ok');
  });

  it('sweepExpiredDedup deletes only expired keys, oldest first, up to the limit', async () => {
    const { engine, clock } = await withBudget();
    const t0 = clock.now();
    for (const [key, ttl] of [['a', 300], ['b', 100], ['c', 200], ['d', 5_000]] as const) {
      engine.reportUsageAdmin({ budgetId: 'b1', usage: { tokens: 1 }, dedupKey: key, dedupTtlMs: ttl });
    }
    expect(inTx(engine, (ctx) => nextDedupExpiryAt(ctx))).toBe(t0 + 100);
    clock.advance(300);
    expect(inTx(engine, (ctx) => sweepExpiredDedup(ctx, clock.now(), 2))).toBe(2);
    expect(rows(engine, 'SELECT dedup_key FROM ff_budget_usage_dedup ORDER BY dedup_key')).toEqual([{ dedup_key: 'a' }, { dedup_key: 'd' }]);
    expect(inTx(engine, (ctx) => sweepExpiredDedup(ctx, clock.now(), 100))).toBe(1);
    expect(inTx(engine, (ctx) => sweepExpiredDedup(ctx, clock.now(), 100))).toBe(0);
    expect(inTx(engine, (ctx) => nextDedupExpiryAt(ctx))).toBe(t0 + 5_000);
  });
});

describe('recordSpend and releaseBudget', () => {
  it('round trip: each execution gets back exactly what it spent, once', async () => {
    const { engine } = await withBudget();
    expect(engine.recordSpend({ budgetId: 'b1', executionId: EXEC_A, usage: { tokens: 30, requests: 2 }, idempotencyKey: 'a1' })).toEqual({ kind: 'ok' });
    engine.recordSpend({ budgetId: 'b1', executionId: EXEC_A, usage: { tokens: 5 }, idempotencyKey: 'a2' });
    engine.recordSpend({ budgetId: 'b1', executionId: EXEC_B, usage: { tokens: 20 }, idempotencyKey: 'b1' });
    engine.reportUsageAdmin({ budgetId: 'b1', usage: { tokens: 1 } });
    expect(engine.getBudgetStatus({ budgetId: 'b1' }).usage).toMatchObject({ tokens: 56, requests: 2 });

    expect(engine.releaseBudget({ budgetId: 'b1', executionId: EXEC_A })).toEqual({
      kind: 'released',
      budgetId: 'b1',
      executionId: EXEC_A,
      released: { requests: 2, tokens: 35 },
    });
    expect(engine.getBudgetStatus({ budgetId: 'b1' }).usage).toMatchObject({ tokens: 21, requests: 0 });
    expect(rows(engine, 'SELECT execution_id FROM ff_budget_usage_by_exec')).toEqual([{ execution_id: EXEC_B }]);

    const before = engine.exportImage();
    expect(engine.releaseBudget({ budgetId: 'b1', executionId: EXEC_A })).toEqual({ kind: 'nothing_to_release', budgetId: 'b1', executionId: EXEC_A });
    expect(sameImage(engine.exportImage(), before)).toBe(true);
  });

  it('a replayed spend returns the first outcome and is not booked twice', async () => {
    const { engine } = await withBudget();
    engine.recordSpend({ budgetId: 'b1', executionId: EXEC_A, usage: { tokens: 10 }, idempotencyKey: 'k' });
    expect(engine.recordSpend({ budgetId: 'b1', executionId: EXEC_A, usage: { tokens: 10 }, idempotencyKey: 'k' })).toEqual({
      kind: 'already_applied',
      original: { kind: 'ok' },
    });
    expect(rows(engine, 'SELECT delta_total FROM ff_budget_usage_by_exec')).toEqual([{ delta_total: 10 }]);
  });

  it('a refused spend books nothing', async () => {
    const { engine } = await withBudget();
    expect(engine.recordSpend({ budgetId: 'b1', executionId: EXEC_A, usage: { tokens: 101 }, idempotencyKey: 'k' }).kind).toBe('hard_breach');
    expect(engine.releaseBudget({ budgetId: 'b1', executionId: EXEC_A }).kind).toBe('nothing_to_release');
  });

  it('a reset ends the period: spend booked before it is not given back after it', async () => {
    const { engine } = await withBudget();
    engine.recordSpend({ budgetId: 'b1', executionId: EXEC_A, usage: { tokens: 40 }, idempotencyKey: 'k' });
    engine.resetBudget({ budgetId: 'b1' });
    engine.reportUsageAdmin({ budgetId: 'b1', usage: { tokens: 25 } });
    expect(engine.releaseBudget({ budgetId: 'b1', executionId: EXEC_A }).kind).toBe('nothing_to_release');
    expect(engine.getBudgetStatus({ budgetId: 'b1' }).usage['tokens']).toBe(25);
  });
});

describe('resets', () => {
  it('resetBudget zeroes usage, keeps lifetime breach counts, and restarts the schedule from now', async () => {
    const { engine, clock } = await withBudget(DAY);
    engine.reportUsageAdmin({ budgetId: 'b1', usage: { tokens: 90, requests: 3 } });
    engine.reportUsageAdmin({ budgetId: 'b1', usage: { requests: 30 } });
    clock.advance(1_234);
    expect(engine.resetBudget({ budgetId: 'b1' })).toEqual({ kind: 'reset', budgetId: 'b1', nextResetAtMs: clock.now() + DAY });
    const status = engine.getBudgetStatus({ budgetId: 'b1' });
    expect(status.usage).toEqual({ cost: 0, requests: 0, tokens: 0 });
    expect(status).toMatchObject({
      breachCount: 1,
      softBreachCount: 1,
      lastBreachAtMs: null,
      lastBreachDimension: null,
      resetCount: 1,
      lastResetAtMs: clock.now(),
      nextResetAtMs: clock.now() + DAY,
    });
    expect(engine.listBudgetEvents({ budgetId: 'b1', eventType: 'reset' }).events).toEqual([
      {
        eventId: expect.any(Number),
        budgetId: 'b1',
        eventType: 'reset',
        dimension: null,
        details: { trigger: 'admin', usageBefore: { cost: 0, requests: 3, tokens: 90 }, nextResetAtMs: clock.now() + DAY },
        occurredAtMs: clock.now(),
      },
    ]);
  });

  it('a budget without an interval resets on demand and stays unscheduled', async () => {
    const { engine } = await withBudget(0);
    expect(engine.resetBudget({ budgetId: 'b1' }).nextResetAtMs).toBeNull();
    expect(engine.getBudgetStatus({ budgetId: 'b1' }).resetCount).toBe(1);
  });

  it('dedup keys survive a reset: a replay after it is still a replay', async () => {
    const { engine } = await withBudget();
    engine.reportUsageAdmin({ budgetId: 'b1', usage: { tokens: 5 }, dedupKey: 'k' });
    engine.resetBudget({ budgetId: 'b1' });
    expect(engine.reportUsageAdmin({ budgetId: 'b1', usage: { tokens: 5 }, dedupKey: 'k' }).kind).toBe('already_applied');
    expect(engine.getBudgetStatus({ budgetId: 'b1' }).usage['tokens']).toBe(0);
  });
});

describe('budget_reset scanner bodies', () => {
  it('selectDueBudgets returns due budgets earliest first, at most 20 by default', async () => {
    const { engine, clock } = await makeEngine();
    const t0 = clock.now();
    // Budget i falls due at t0 + (30 - i) s, so the ids come back in reverse.
    const withUsage = (budgetId: string, resetIntervalMs?: number): void => {
      engine.createBudget({ budgetId, dimensions: [], ...(resetIntervalMs === undefined ? {} : { resetIntervalMs }) });
      engine.reportUsageAdmin({ budgetId, usage: { x: 1 } });
    };
    for (let i = 0; i < 25; i++) withUsage(`b${String(i).padStart(2, '0')}`, (30 - i) * 1_000);
    withUsage('never');
    withUsage('later', 60_000);
    // Idle budgets are nobody's work, however early they fall due.
    engine.createBudget({ budgetId: 'idle', dimensions: [], resetIntervalMs: 1_000 });
    expect(inTx(engine, (ctx) => nextBudgetResetAt(ctx))).toBe(t0 + 6_000);
    expect(inTx(engine, (ctx) => selectDueBudgets(ctx, t0 + 5_999))).toEqual([]);
    clock.advance(40_000);
    const due = inTx(engine, (ctx) => selectDueBudgets(ctx, clock.now()));
    expect(due).toHaveLength(20);
    expect(due).toEqual(Array.from({ length: 20 }, (_, k) => `b${String(24 - k).padStart(2, '0')}`));
    expect(inTx(engine, (ctx) => selectDueBudgets(ctx, clock.now(), 3))).toEqual(['b24', 'b23', 'b22']);
  });

  it('applyScheduledReset resets a due budget and keeps the schedule on its phase', async () => {
    const { engine, clock } = await withBudget(DAY);
    const t0 = clock.now();
    engine.reportUsageAdmin({ budgetId: 'b1', usage: { tokens: 90, requests: 30 } });
    clock.advance(DAY + 5_000); // the tick runs 5 s late
    expect(inTx(engine, (ctx) => applyScheduledReset(ctx, 'b1', clock.now()))).toBe(true);
    const status = engine.getBudgetStatus({ budgetId: 'b1' });
    expect(status).toMatchObject({ resetCount: 1, nextResetAtMs: t0 + 2 * DAY, breachCount: 1, lastResetAtMs: clock.now() });
    expect(status.usage['tokens']).toBe(0);
    const reset = engine.listBudgetEvents({ budgetId: 'b1', eventType: 'reset' }).events[0]!;
    expect(reset.details).toMatchObject({ trigger: 'scheduled', dueAtMs: t0 + DAY, nextResetAtMs: t0 + 2 * DAY });
  });

  it('missed periods collapse into one reset, and the next one stays on the time of day', async () => {
    const { engine, clock } = await withBudget(DAY);
    const t0 = clock.now();
    engine.reportUsageAdmin({ budgetId: 'b1', usage: { tokens: 10 } });
    clock.advance(3.5 * DAY);
    expect(inTx(engine, (ctx) => selectDueBudgets(ctx, clock.now()))).toEqual(['b1']);
    expect(inTx(engine, (ctx) => applyScheduledReset(ctx, 'b1', clock.now()))).toBe(true);
    expect(inTx(engine, (ctx) => applyScheduledReset(ctx, 'b1', clock.now()))).toBe(false);
    // One reset, counting the three periods it covers.
    expect(engine.getBudgetStatus({ budgetId: 'b1' })).toMatchObject({ resetCount: 3, nextResetAtMs: t0 + 4 * DAY });
    const resets = engine.listBudgetEvents({ budgetId: 'b1', eventType: 'reset' }).events;
    expect(resets.map((e) => e.details)).toEqual([
      { trigger: 'scheduled', dueAtMs: t0 + DAY, periods: 3, usageBefore: { cost: 0, requests: 0, tokens: 10 }, nextResetAtMs: t0 + 4 * DAY },
    ]);
    // Exactly on a slot boundary, the next slot is one full interval later.
    engine.reportUsageAdmin({ budgetId: 'b1', usage: { tokens: 1 } });
    clock.advanceTo(t0 + 4 * DAY);
    expect(inTx(engine, (ctx) => applyScheduledReset(ctx, 'b1', clock.now()))).toBe(true);
    expect(engine.getBudgetStatus({ budgetId: 'b1' })).toMatchObject({ resetCount: 4, nextResetAtMs: t0 + 5 * DAY });
    // With nothing left to reset, a due budget is not the scanner's to apply.
    clock.advanceTo(t0 + 5 * DAY);
    expect(inTx(engine, (ctx) => applyScheduledReset(ctx, 'b1', clock.now()))).toBe(false);
  });

  it('an admin reset racing the scanner resets once: the scheduled apply sees the advanced schedule and skips', async () => {
    const { engine, clock } = await withBudget(DAY);
    engine.reportUsageAdmin({ budgetId: 'b1', usage: { tokens: 10 } });
    clock.advance(DAY);
    const due = inTx(engine, (ctx) => selectDueBudgets(ctx, clock.now()));
    expect(due).toEqual(['b1']);
    engine.resetBudget({ budgetId: 'b1' }); // lands between the scan and the apply
    engine.reportUsageAdmin({ budgetId: 'b1', usage: { tokens: 7 } });
    const before = engine.exportImage();
    expect(inTx(engine, (ctx) => applyScheduledReset(ctx, due[0]!, clock.now()))).toBe(false);
    expect(sameImage(engine.exportImage(), before)).toBe(true);
    expect(engine.getBudgetStatus({ budgetId: 'b1' })).toMatchObject({ resetCount: 1, usage: { tokens: 7 } });
  });

  it('applyScheduledReset does nothing for a budget that never resets or does not exist', async () => {
    const { engine, clock } = await withBudget(0);
    clock.advance(DAY);
    expect(inTx(engine, (ctx) => applyScheduledReset(ctx, 'b1', clock.now()))).toBe(false);
    expect(inTx(engine, (ctx) => applyScheduledReset(ctx, 'ghost', clock.now()))).toBe(false);
    expect(inTx(engine, (ctx) => nextBudgetResetAt(ctx))).toBeNull();
  });

  it('breach counters survive scheduled resets', async () => {
    const { engine, clock } = await withBudget(1_000);
    for (let i = 0; i < 3; i++) {
      engine.reportUsageAdmin({ budgetId: 'b1', usage: { requests: 11 } });
      engine.reportUsageAdmin({ budgetId: 'b1', usage: { cost: 6 } });
      clock.advance(1_000);
      for (const id of inTx(engine, (ctx) => selectDueBudgets(ctx, clock.now()))) inTx(engine, (ctx) => applyScheduledReset(ctx, id, clock.now()));
    }
    expect(engine.getBudgetStatus({ budgetId: 'b1' })).toMatchObject({ breachCount: 3, softBreachCount: 3, resetCount: 3, usage: { cost: 0 } });
  });
});
