import { describe, expect, it } from 'vitest';
import type { Engine } from '../../src/index.js';
import { nextQuotaExpiryAt, sweepQuotaWindows } from '../../src/engine/quotas/quota-cleanup.js';
import { catchError, inTx, makeEngine, rows, sameImage, WORKER } from './helpers.js';

const UNKNOWN_EXEC = '{fp:0}:0b5a3c1e-8a5d-4c7e-9f00-123456789abc';

function executions(engine: Engine, n: number, laneId = 'l'): string[] {
  return Array.from({ length: n }, () => engine.createExecution({ laneId }).executionId);
}

/** The stored counter must always equal the number of slot rows. */
function expectCounterConsistent(engine: Engine, quotaPolicyId: string, expected: number): void {
  const [{ n }] = rows<{ n: number }>(engine, `SELECT COUNT(*) AS n FROM ff_quota_admitted WHERE quota_policy_id = '${quotaPolicyId}'`) as [{ n: number }];
  expect(n).toBe(expected);
  expect(engine.readQuotaPolicy({ quotaPolicyId })!.activeConcurrency).toBe(expected);
}

describe('createQuotaPolicy', () => {
  it('creates once; creating again is already_satisfied and changes nothing', async () => {
    const { engine, clock } = await makeEngine();
    expect(engine.createQuotaPolicy({ quotaPolicyId: 'q', windowSeconds: 10, maxRequestsPerWindow: 5, maxConcurrent: 2 })).toEqual({
      kind: 'created',
      quotaPolicyId: 'q',
    });
    const before = engine.exportImage();
    expect(engine.createQuotaPolicy({ quotaPolicyId: 'q', windowSeconds: 99, maxRequestsPerWindow: 1, maxConcurrent: 1 })).toEqual({
      kind: 'already_satisfied',
      quotaPolicyId: 'q',
    });
    expect(sameImage(engine.exportImage(), before)).toBe(true);
    expect(engine.readQuotaPolicy({ quotaPolicyId: 'q' })).toEqual({
      quotaPolicyId: 'q',
      windowSeconds: 10,
      maxRequestsPerWindow: 5,
      maxConcurrent: 2,
      activeConcurrency: 0,
      admissionsInWindow: 0,
      createdAtMs: clock.now(),
    });
  });

  it('defaults: a 60 s window, no rate limit, no concurrency limit', async () => {
    const { engine } = await makeEngine();
    engine.createQuotaPolicy({ quotaPolicyId: 'q' });
    expect(engine.readQuotaPolicy({ quotaPolicyId: 'q' })).toMatchObject({ windowSeconds: 60, maxRequestsPerWindow: 0, maxConcurrent: 0 });
    expect(engine.readQuotaPolicy({ quotaPolicyId: 'nope' })).toBeNull();
  });

  const cases: Array<[string, (e: Engine) => unknown, string]> = [
    ['zero window', (e) => e.createQuotaPolicy({ quotaPolicyId: 'x', windowSeconds: 0 }), 'windowSeconds'],
    ['fractional window', (e) => e.createQuotaPolicy({ quotaPolicyId: 'x', windowSeconds: 1.5 }), 'windowSeconds'],
    ['negative rate', (e) => e.createQuotaPolicy({ quotaPolicyId: 'x', maxRequestsPerWindow: -1 }), 'maxRequestsPerWindow'],
    ['negative concurrency', (e) => e.createQuotaPolicy({ quotaPolicyId: 'x', maxConcurrent: -1 }), 'maxConcurrent'],
    ['window in ms (unknown key)', (e) => e.createQuotaPolicy({ quotaPolicyId: 'x', windowMs: 1000 } as never), '(input)'],
    ['admission with malformed execution id', (e) => e.checkAdmission({ quotaPolicyId: 'q', executionId: 'x' }), 'executionId'],
    ['admission with zero slot TTL', (e) => e.checkAdmission({ quotaPolicyId: 'q', executionId: UNKNOWN_EXEC, slotTtlMs: 0 }), 'slotTtlMs'],
  ];
  for (const [label, fn, field] of cases) {
    it(`rejects ${label} naming the field, writing nothing`, async () => {
      const { engine } = await makeEngine();
      engine.createQuotaPolicy({ quotaPolicyId: 'q', maxConcurrent: 1 });
      const before = engine.exportImage();
      const err = catchError(() => fn(engine));
      expect(err.code).toBe('validation.invalid_input');
      expect(err.details['field']).toBe(field);
      expect(sameImage(engine.exportImage(), before)).toBe(true);
    });
  }
});

describe('checkAdmission', () => {
  it('an unknown policy is not_found and no stub policy is created (the reference auto-creates one)', async () => {
    const { engine } = await makeEngine();
    const [id] = executions(engine, 1);
    expect(catchError(() => engine.checkAdmission({ quotaPolicyId: 'ghost', executionId: id! }))).toMatchObject({
      code: 'not_found',
      details: { entity: 'quota_policy', id: 'ghost' },
    });
    expect(catchError(() => engine.releaseAdmission({ quotaPolicyId: 'ghost', executionId: id! })).code).toBe('not_found');
    expect(rows(engine, 'SELECT COUNT(*) AS n FROM ff_quota_policy')).toEqual([{ n: 0 }]);
  });

  it('the execution must exist and not have ended', async () => {
    const { engine } = await makeEngine();
    engine.createQuotaPolicy({ quotaPolicyId: 'q' });
    expect(catchError(() => engine.checkAdmission({ quotaPolicyId: 'q', executionId: UNKNOWN_EXEC }))).toMatchObject({
      code: 'not_found',
      details: { entity: 'execution' },
    });
    const [id] = executions(engine, 1);
    engine.completeExecution({ handle: engine.claim({ laneId: 'l', ...WORKER })! });
    expect(catchError(() => engine.checkAdmission({ quotaPolicyId: 'q', executionId: id! })).code).toBe('contention.execution_not_active');
  });

  it('the rate window slides: an admission frees up exactly when the oldest one leaves the window', async () => {
    const { engine, clock } = await makeEngine();
    engine.createQuotaPolicy({ quotaPolicyId: 'q', windowSeconds: 10, maxRequestsPerWindow: 2 });
    const [a, b, c, d] = executions(engine, 4);
    expect(engine.checkAdmission({ quotaPolicyId: 'q', executionId: a! })).toEqual({ kind: 'admitted' });
    clock.advance(3_000);
    expect(engine.checkAdmission({ quotaPolicyId: 'q', executionId: b! })).toEqual({ kind: 'admitted' });
    clock.advance(1_000);
    const before = engine.exportImage();
    expect(engine.checkAdmission({ quotaPolicyId: 'q', executionId: c! })).toEqual({ kind: 'rate_exceeded', retryAfterMs: 6_000 });
    expect(sameImage(engine.exportImage(), before)).toBe(true);
    clock.advance(5_999);
    expect(engine.checkAdmission({ quotaPolicyId: 'q', executionId: c! })).toEqual({ kind: 'rate_exceeded', retryAfterMs: 1 });
    clock.advance(1);
    expect(engine.checkAdmission({ quotaPolicyId: 'q', executionId: c! })).toEqual({ kind: 'admitted' });
    // Now b (at +3 s) is the oldest in the window: it leaves at +13 s.
    expect(engine.checkAdmission({ quotaPolicyId: 'q', executionId: d! })).toEqual({ kind: 'rate_exceeded', retryAfterMs: 3_000 });
    expect(engine.readQuotaPolicy({ quotaPolicyId: 'q' })).toMatchObject({ admissionsInWindow: 2, activeConcurrency: 3 });
  });

  it('rate windows are counted per dimension', async () => {
    const { engine } = await makeEngine();
    engine.createQuotaPolicy({ quotaPolicyId: 'q', windowSeconds: 60, maxRequestsPerWindow: 1 });
    const [a, b, c] = executions(engine, 3);
    expect(engine.checkAdmission({ quotaPolicyId: 'q', executionId: a!, dimension: 'eu' }).kind).toBe('admitted');
    expect(engine.checkAdmission({ quotaPolicyId: 'q', executionId: b!, dimension: 'us' }).kind).toBe('admitted');
    expect(engine.checkAdmission({ quotaPolicyId: 'q', executionId: c!, dimension: 'eu' }).kind).toBe('rate_exceeded');
  });

  it('an execution that already holds a slot is already_admitted, using no rate and no second slot', async () => {
    const { engine } = await makeEngine();
    engine.createQuotaPolicy({ quotaPolicyId: 'q', windowSeconds: 60, maxRequestsPerWindow: 1, maxConcurrent: 1 });
    const [a] = executions(engine, 1);
    engine.checkAdmission({ quotaPolicyId: 'q', executionId: a! });
    const before = engine.exportImage();
    expect(engine.checkAdmission({ quotaPolicyId: 'q', executionId: a! })).toEqual({ kind: 'already_admitted' });
    expect(sameImage(engine.exportImage(), before)).toBe(true);
    expectCounterConsistent(engine, 'q', 1);
  });

  it('0 means unlimited', async () => {
    const { engine } = await makeEngine();
    engine.createQuotaPolicy({ quotaPolicyId: 'q', windowSeconds: 1, maxRequestsPerWindow: 0, maxConcurrent: 0 });
    for (const id of executions(engine, 50)) expect(engine.checkAdmission({ quotaPolicyId: 'q', executionId: id }).kind).toBe('admitted');
    expectCounterConsistent(engine, 'q', 50);
  });
});

describe('concurrency slots', () => {
  it('releaseAdmission frees the slot, idempotently', async () => {
    const { engine } = await makeEngine();
    engine.createQuotaPolicy({ quotaPolicyId: 'q', maxConcurrent: 1 });
    const [a, b] = executions(engine, 2);
    expect(engine.checkAdmission({ quotaPolicyId: 'q', executionId: a! }).kind).toBe('admitted');
    expect(engine.checkAdmission({ quotaPolicyId: 'q', executionId: b! })).toEqual({ kind: 'concurrency_exceeded' });
    expect(engine.releaseAdmission({ quotaPolicyId: 'q', executionId: a! })).toEqual({ kind: 'released', slotFreed: true });
    expect(engine.releaseAdmission({ quotaPolicyId: 'q', executionId: a! })).toEqual({ kind: 'released', slotFreed: false });
    expectCounterConsistent(engine, 'q', 0);
    expect(engine.checkAdmission({ quotaPolicyId: 'q', executionId: b! }).kind).toBe('admitted');
  });

  it('completing the admitted execution releases its slots under every policy', async () => {
    const { engine } = await makeEngine();
    engine.createQuotaPolicy({ quotaPolicyId: 'q1', maxConcurrent: 1 });
    engine.createQuotaPolicy({ quotaPolicyId: 'q2', maxConcurrent: 1 });
    const [a, b] = executions(engine, 2);
    engine.checkAdmission({ quotaPolicyId: 'q1', executionId: a! });
    engine.checkAdmission({ quotaPolicyId: 'q2', executionId: a! });
    const handle = engine.claim({ laneId: 'l', ...WORKER })!;
    expect(handle.executionId).toBe(a);
    expect(engine.checkAdmission({ quotaPolicyId: 'q1', executionId: b! }).kind).toBe('concurrency_exceeded');
    engine.completeExecution({ handle });
    expectCounterConsistent(engine, 'q1', 0);
    expectCounterConsistent(engine, 'q2', 0);
    expect(engine.checkAdmission({ quotaPolicyId: 'q1', executionId: b! }).kind).toBe('admitted');
  });

  it('a final failure releases the slot; a failure that schedules a retry keeps it', async () => {
    const { engine } = await makeEngine();
    engine.createQuotaPolicy({ quotaPolicyId: 'q', maxConcurrent: 1 });
    const a = engine.createExecution({ laneId: 'l', retryPolicy: { maxRetries: 1, backoff: { type: 'fixed', delayMs: 0 } } }).executionId;
    engine.checkAdmission({ quotaPolicyId: 'q', executionId: a });
    expect(engine.failExecution({ handle: engine.claim({ laneId: 'l', ...WORKER })!, reason: 'x' }).kind).toBe('retry_scheduled');
    expectCounterConsistent(engine, 'q', 1);
    expect(engine.failExecution({ handle: engine.claim({ laneId: 'l', ...WORKER })!, reason: 'x' }).kind).toBe('terminal_failed');
    expectCounterConsistent(engine, 'q', 0);
  });

  it('a slot taken with slotTtlMs lapses: it stops holding capacity before any sweep', async () => {
    const { engine, clock } = await makeEngine();
    engine.createQuotaPolicy({ quotaPolicyId: 'q', maxConcurrent: 1 });
    const [a, b] = executions(engine, 2);
    engine.checkAdmission({ quotaPolicyId: 'q', executionId: a!, slotTtlMs: 1_000 });
    clock.advance(999);
    expect(engine.checkAdmission({ quotaPolicyId: 'q', executionId: b! }).kind).toBe('concurrency_exceeded');
    expect(engine.checkAdmission({ quotaPolicyId: 'q', executionId: a! }).kind).toBe('already_admitted');
    clock.advance(1);
    expect(engine.checkAdmission({ quotaPolicyId: 'q', executionId: b! }).kind).toBe('admitted');
    expectCounterConsistent(engine, 'q', 1);
    expect(engine.checkAdmission({ quotaPolicyId: 'q', executionId: a! }).kind).toBe('concurrency_exceeded');
  });

  it('a lapsed slot of the same execution is taken again as a new admission', async () => {
    const { engine, clock } = await makeEngine();
    engine.createQuotaPolicy({ quotaPolicyId: 'q', maxConcurrent: 1 });
    const [a] = executions(engine, 1);
    engine.checkAdmission({ quotaPolicyId: 'q', executionId: a!, slotTtlMs: 1_000 });
    clock.advance(1_000);
    expect(engine.checkAdmission({ quotaPolicyId: 'q', executionId: a! }).kind).toBe('admitted');
    expectCounterConsistent(engine, 'q', 1);
  });

  it('listQuotaPolicies pages by id with current concurrency and window counts', async () => {
    const { engine } = await makeEngine();
    for (const id of ['c', 'a', 'b']) engine.createQuotaPolicy({ quotaPolicyId: id, windowSeconds: 5 });
    const [x] = executions(engine, 1);
    engine.checkAdmission({ quotaPolicyId: 'b', executionId: x! });
    const page = engine.listQuotaPolicies({ limit: 2 });
    expect(page.policies.map((p) => [p.quotaPolicyId, p.activeConcurrency, p.admissionsInWindow])).toEqual([
      ['a', 0, 0],
      ['b', 1, 1],
    ]);
    expect(engine.listQuotaPolicies({ cursor: page.nextCursor! })).toMatchObject({ policies: [{ quotaPolicyId: 'c' }], nextCursor: null });
  });
});

describe('quota cleanup scanner body', () => {
  it('sweepQuotaWindows deletes only expired window rows and lapsed slots, keeping the counter consistent', async () => {
    const { engine, clock } = await makeEngine();
    const t0 = clock.now();
    engine.createQuotaPolicy({ quotaPolicyId: 'short', windowSeconds: 1 });
    engine.createQuotaPolicy({ quotaPolicyId: 'long', windowSeconds: 100 });
    const [a, b, c, d] = executions(engine, 4);
    engine.checkAdmission({ quotaPolicyId: 'short', executionId: a!, slotTtlMs: 500 });
    engine.checkAdmission({ quotaPolicyId: 'short', executionId: b! });
    engine.checkAdmission({ quotaPolicyId: 'long', executionId: c!, slotTtlMs: 5_000 });
    engine.checkAdmission({ quotaPolicyId: 'long', executionId: d! });
    expect(inTx(engine, (ctx) => nextQuotaExpiryAt(ctx))).toBe(t0 + 500);

    clock.advance(499);
    expect(inTx(engine, (ctx) => sweepQuotaWindows(ctx, clock.now(), 100))).toBe(0);
    clock.advance(501); // t0 + 1 s: a's slot lapsed, both 'short' window rows expired
    expect(inTx(engine, (ctx) => sweepQuotaWindows(ctx, clock.now(), 100))).toBe(3);
    expect(rows(engine, 'SELECT quota_policy_id, execution_id FROM ff_quota_window ORDER BY execution_id')).toEqual(
      [c!, d!].sort().map((execution_id) => ({ quota_policy_id: 'long', execution_id })),
    );
    expectCounterConsistent(engine, 'short', 1);
    expectCounterConsistent(engine, 'long', 2);
    expect(inTx(engine, (ctx) => nextQuotaExpiryAt(ctx))).toBe(t0 + 5_000);

    clock.advanceTo(t0 + 100_000);
    // The limit bounds one pass: the lapsed slot goes first, then one window row.
    expect(inTx(engine, (ctx) => sweepQuotaWindows(ctx, clock.now(), 2))).toBe(2);
    expectCounterConsistent(engine, 'long', 1);
    expect(inTx(engine, (ctx) => sweepQuotaWindows(ctx, clock.now(), 2))).toBe(1);
    expect(inTx(engine, (ctx) => nextQuotaExpiryAt(ctx))).toBeNull();
    // Slots without a TTL are never swept: they wait for a release or the execution's end.
    expect(rows(engine, 'SELECT execution_id FROM ff_quota_admitted ORDER BY execution_id')).toEqual(
      [b!, d!].sort().map((execution_id) => ({ execution_id })),
    );
  });
});
