import { describe, expect, it } from 'vitest';
import type { CommittedEvent, Engine } from '../../src/index.js';
import { nextDedupExpiryAt, sweepExpiredDedup } from '../../src/engine/budgets/budget-dedup-cleanup.js';
import { catchError, inTx, makeEngine, rows, sameImage, WORKER } from './helpers.js';
import { DAY, EXEC_A, withBudget } from './budget-helpers.js';

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

  it('unknown budgets are not_found everywhere (reportUsageAdmin aside: parity.test.ts)', async () => {
    const { engine } = await makeEngine();
    const calls: Array<() => unknown> = [
      () => engine.getBudgetStatus({ budgetId: 'nope' }),
      () => engine.resetBudget({ budgetId: 'nope' }),
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
