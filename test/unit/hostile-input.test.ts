/**
 * Inputs a hostile caller sent that slipped past validation: each case is
 * now a typed error (or an exact round trip), and nothing is written.
 */
import { describe, expect, it } from 'vitest';
import { decodeHandle, encodeHandle, type Handle } from '../../src/index.js';
import { backoffMs } from '../../src/engine/executions/retry-policy.js';
import type { Engine } from '../../src/index.js';
import { catchError, makeEngine, rows, sameImage, WORKER } from './helpers.js';

type Call = (e: Engine) => unknown;

const DAY = 86_400_000;

async function claimed() {
  const made = await makeEngine();
  const { executionId } = made.engine.createExecution({ laneId: 'l' });
  const handle = made.engine.claim({ laneId: 'l', ...WORKER })!;
  return { ...made, executionId, handle };
}

/** The call throws a typed validation error naming `field`, and the database is unchanged. */
async function refused(call: Call, field: string) {
  const { engine } = await makeEngine();
  engine.createExecution({ laneId: 'l' });
  const before = engine.exportImage();
  let thrown: unknown;
  try {
    await call(engine);
  } catch (err) {
    thrown = err;
  }
  expect(thrown, 'expected a throw').toBeDefined();
  const err = thrown as { name: string; code: string; details: Record<string, unknown> };
  expect(err.name).toBe('EngineError');
  expect(err.code).toBe('validation.invalid_input');
  expect(err.details['field']).toBe(field);
  expect(sameImage(engine.exportImage(), before)).toBe(true);
}

describe('runScanner and nextDue validate their input', () => {
  it.each([
    ['runScanner()', (e) => e.runScanner(undefined as never), '(input)'],
    ['runScanner(null)', (e) => e.runScanner(null as never), '(input)'],
    ["runScanner({ scanner: 'bogus' })", (e) => e.runScanner({ scanner: 'bogus' as never }), 'scanner'],
    ['runScanner with an unknown key', (e) => e.runScanner({ scanner: 'budget_reset', extra: 1 } as never), '(input)'],
    ['nextDue(0)', (e) => e.nextDue(0 as never), '(input)'],
    ['nextDue({ scanner: 0 })', (e) => e.nextDue({ scanner: 0 as never }), 'scanner'],
    ['shutdown({ graceMs: -1 })', (e) => e.shutdown({ graceMs: -1 }), 'graceMs'],
    ['now(5)', (e) => e.now(5 as never), '(input)'],
  ] as Array<[string, Call, string]>)('%s is validation.invalid_input', async (_label, call, field) => refused(call, field));

  it('a known scanner name still runs', async () => {
    const { engine } = await makeEngine({ scanners: {} });
    expect((await engine.runScanner({ scanner: 'budget_reset' }))?.scanner).toBe('budget_reset');
    expect(engine.nextDue({ scanner: 'budget_reset' })).toBeNull();
  });
});

describe('encodeHandle and decodeHandle validate their input', () => {
  const base = async (): Promise<Handle> => (await claimed()).handle;
  const encodeError = (h: unknown) => catchError(() => encodeHandle(h as Handle));

  it.each([
    ['null', () => null, '(input)'],
    ['{}', () => ({}), 'handle.backend'],
    ['a TTL of 1.5', (h: Handle) => ({ ...h, leaseTtlMs: 1.5 }), 'handle.leaseTtlMs'],
    ['a TTL of NaN', (h: Handle) => ({ ...h, leaseTtlMs: NaN }), 'handle.leaseTtlMs'],
    ['a TTL of Infinity', (h: Handle) => ({ ...h, leaseTtlMs: Infinity }), 'handle.leaseTtlMs'],
    ['attemptIndex -1', (h: Handle) => ({ ...h, attemptIndex: -1 }), 'handle.attemptIndex'],
    ['leaseEpoch 0', (h: Handle) => ({ ...h, leaseEpoch: 0 }), 'handle.leaseEpoch'],
    ['an empty lane', (h: Handle) => ({ ...h, laneId: '' }), 'handle.laneId'],
  ])('encodeHandle of %s is validation.invalid_input', async (_label, make, field) => {
    const err = encodeError(make(await base()));
    expect(err.code).toBe('validation.invalid_input');
    // `null` fails on the wrapper's one field; everything else names the handle's field.
    expect(err.details['field']).toBe(field === '(input)' ? 'handle' : field);
  });

  it('a valid handle still round-trips, and an unknown kind is refused', async () => {
    const h = await base();
    expect(decodeHandle(encodeHandle(h), h.kind)).toEqual(h);
    const err = catchError(() => decodeHandle(encodeHandle(h), 'bogus' as never));
    expect(err.code).toBe('validation.invalid_input');
    expect(err.details['field']).toBe('kind');
  });
});

describe('renewLease does not trust the TTL in the handle', () => {
  it('an edited handle TTL is refused, and a renewal keeps the granted TTL', async () => {
    const { engine, clock, handle, executionId } = await claimed();
    const forged = { ...handle, leaseTtlMs: Number.MAX_SAFE_INTEGER };
    expect(catchError(() => engine.renewLease({ handle: forged })).details['field']).toBe('handle.leaseTtlMs');
    // A TTL inside the schema's range but not the one granted is ignored too.
    const renewed = engine.renewLease({ handle: { ...handle, leaseTtlMs: 29 * DAY } });
    expect(renewed.kind === 'renewed' && renewed.expiresAtMs).toBe(clock.now() + WORKER.leaseTtlMs);
    clock.advance(WORKER.leaseTtlMs + 1);
    expect(catchError(() => engine.completeExecution({ handle })).code).toBe('state.lease_expired');
    expect(engine.readExecutionState({ executionId })).toBe('active');
  });
});

describe('record keys and text are kept exactly or refused', () => {
  it("a tag named '__proto__' is refused on tags", async () => {
    const tags = JSON.parse('{"__proto__": "x", "ok": "y"}') as Record<string, string>;
    await refused((e) => e.createExecution({ laneId: 'l', tags }), 'tags');
  });

  it("a usage dimension named '__proto__' is refused", async () => {
    const usage = JSON.parse('{"__proto__": 1}') as Record<string, number>;
    await refused((e) => e.reportUsageAdmin({ budgetId: 'b', usage }), 'usage');
  });

  it.each([
    ['a lone high surrogate in an id', (e) => e.createBudget({ budgetId: 'b\uD800', dimensions: [{ name: 'x' }] }), 'budgetId'],
    ['a lone low surrogate in an id', (e) => e.createBudget({ budgetId: 'b\uDC01', dimensions: [{ name: 'x' }] }), 'budgetId'],
    ['a lone surrogate in a text payload', (e) => e.createExecution({ laneId: 'l', payload: 'a\uD800b' }), 'payload'],
    ['a lone surrogate in a tag key', (e) => e.createExecution({ laneId: 'l', tags: { ['k\uDBFF']: 'v' } }), 'tags'],
  ] as Array<[string, Call, string]>)('%s is refused', async (_label, call, field) => refused(call, field));

  it('well-formed text outside the BMP round-trips exactly', async () => {
    const { engine } = await makeEngine();
    const id = 'budget-\u{1F600}';
    engine.createBudget({ budgetId: id, dimensions: [{ name: 'x' }] });
    expect(engine.getBudgetStatus({ budgetId: id }).budgetId).toBe(id);
    const { executionId } = engine.createExecution({ laneId: 'l', payload: 'p\u{10FFFF}q' });
    expect(engine.describeExecution({ executionId })!.payload).toBe('p\u{10FFFF}q');
  });

  it('an input nested deeper than any API shape is refused, not a stack overflow', async () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 10_000; i++) deep = [deep];
    await refused((e) => e.createExecution({ laneId: 'l', tags: deep as never }), 'tags.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0');
  });
});

describe('exponential backoff is always a finite integer within the cap', () => {
  it('initialDelayMs 0 with multiplier 100 stays 0 at every retry', () => {
    const policy = { maxRetries: 1000, backoff: { type: 'exponential', initialDelayMs: 0, multiplier: 100, maxDelayMs: 60_000 } } as const;
    for (const n of [0, 1, 155, 156, 157, 999]) expect(backoffMs(policy, n)).toBe(0);
  });

  it('a product past the float range is the cap', () => {
    const policy = { maxRetries: 1000, backoff: { type: 'exponential', initialDelayMs: 7, multiplier: 100, maxDelayMs: 60_000 } } as const;
    for (const n of [155, 156, 400, 999]) expect(backoffMs(policy, n)).toBe(60_000);
  });

  it('the 200th retry of a zero-delay policy is claimable at once, not stuck waiting', async () => {
    const { engine } = await makeEngine();
    const { executionId } = engine.createExecution({
      laneId: 'l',
      retryPolicy: { maxRetries: 300, backoff: { type: 'exponential', initialDelayMs: 0, multiplier: 100, maxDelayMs: 60_000 } },
    });
    for (let i = 0; i < 200; i++) {
      const h = engine.claim({ laneId: 'l', ...WORKER });
      expect(h, `claim ${i}`).not.toBeNull();
      const r = engine.failExecution({ handle: h!, reason: 'again', failureClass: 'transient' });
      expect(r.kind).toBe('retry_scheduled');
      if (r.kind === 'retry_scheduled') expect(Number.isInteger(r.delayUntil)).toBe(true);
    }
    expect(engine.readExecutionState({ executionId })).toBe('waiting');
    const nan = rows(engine, "SELECT COUNT(*) AS n FROM ff_exec_core WHERE eligible_at_ms IS NOT NULL AND eligible_at_ms != eligible_at_ms");
    expect(nan).toEqual([{ n: 0 }]);
  });
});
