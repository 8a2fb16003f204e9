/**
 * The lease-expiry scanner body (markExpiredLeases) and listExpiredLeases.
 */
import { describe, expect, it } from 'vitest';
import { nextLeaseExpiryAt } from '../../src/engine/leases/lease-expiry.js';
import { catchError, makeEngine, scannerContext, WORKER } from './helpers.js';
import { expiredExecution, leaseEvents, markExpired, TTL } from './reclaim-helpers.js';

describe('markExpiredLeases (lease-expiry scanner body)', () => {
  it('makes an expired lease reclaimable: still active, attempt still open, one expired event', async () => {
    const { engine, id, handle } = await expiredExecution();
    const info = engine.readExecutionInfo({ executionId: id })!;
    expect(info.stateVector).toMatchObject({
      lifecyclePhase: 'active',
      ownershipState: 'lease_expired_reclaimable',
      publicState: 'active',
      blockingReason: 'waiting_for_worker',
      attemptState: 'running_attempt',
    });
    expect(engine.describeExecution({ executionId: id })!.attempts).toMatchObject([{ attemptIndex: 0, outcome: null, terminalAtMs: null }]);
    expect(leaseEvents(engine, id)).toEqual([
      ['acquired', 0, 1],
      ['expired', 0, 1],
    ]);
    // The worker that lost the lease is refused, and nothing changes.
    expect(catchError(() => engine.renewLease({ handle })).code).toBe('state.lease_expired');
    expect(catchError(() => engine.completeExecution({ handle })).code).toBe('state.lease_expired');
  });

  it('is idempotent: a marked lease is not marked (or announced) twice', async () => {
    const { engine, clock, id } = await expiredExecution();
    clock.advance(10_000);
    expect(markExpired(engine, clock)).toBe(0);
    expect(leaseEvents(engine, id).filter((e) => e[0] === 'expired')).toHaveLength(1);
  });

  it('leaves live leases alone, takes the oldest expiry first, at most `limit` per call', async () => {
    const { engine, clock } = await makeEngine();
    const ids = [3_000, 1_000, 2_000, 60_000].map((ttl) => {
      const id = engine.createExecution({ laneId: 'l' }).executionId;
      engine.claim({ laneId: 'l', ...WORKER, leaseTtlMs: ttl });
      return id;
    });
    const t0 = clock.now();
    const ctx = scannerContext(engine);
    expect(nextLeaseExpiryAt(ctx)).toBe(t0 + 1_000);

    clock.advance(999);
    expect(markExpired(engine, clock)).toBe(0);
    clock.advance(2_001); // three leases are due now
    expect(markExpired(engine, clock, 2)).toBe(2);
    const owner = (id: string) => engine.readExecutionInfo({ executionId: id })!.stateVector.ownershipState;
    expect(ids.map(owner)).toEqual(['leased', 'lease_expired_reclaimable', 'lease_expired_reclaimable', 'leased']);
    // Already-marked leases no longer count as the next expiry.
    expect(nextLeaseExpiryAt(ctx)).toBe(t0 + 3_000);
    expect(markExpired(engine, clock, 2)).toBe(1);
    expect(ids.map(owner)).toEqual(['lease_expired_reclaimable', 'lease_expired_reclaimable', 'lease_expired_reclaimable', 'leased']);
    expect(nextLeaseExpiryAt(ctx)).toBe(t0 + 60_000);
  });

  it('ignores ended attempts and executions that are not active', async () => {
    const { engine, clock } = await makeEngine();
    engine.createExecution({ laneId: 'l' });
    engine.createExecution({ laneId: 'l', retryPolicy: { maxRetries: 1, backoff: { type: 'fixed', delayMs: 60_000 } } });
    const done = engine.claim({ laneId: 'l', ...WORKER, leaseTtlMs: TTL })!;
    engine.completeExecution({ handle: done });
    const retried = engine.claim({ laneId: 'l', ...WORKER, leaseTtlMs: TTL })!;
    engine.failExecution({ handle: retried, reason: 'later' });
    expect(nextLeaseExpiryAt(scannerContext(engine))).toBeNull();
    clock.advance(TTL * 10);
    expect(markExpired(engine, clock)).toBe(0);
    expect(engine.listExpiredLeases().leases).toEqual([]);
  });

  it('a renewed lease is not expired at its old deadline', async () => {
    const { engine, clock } = await makeEngine();
    engine.createExecution({ laneId: 'l' });
    const h = engine.claim({ laneId: 'l', ...WORKER, leaseTtlMs: TTL })!;
    clock.advance(TTL - 1);
    engine.renewLease({ handle: h });
    clock.advance(1);
    expect(markExpired(engine, clock)).toBe(0);
    expect(nextLeaseExpiryAt(scannerContext(engine))).toBe(clock.now() + TTL - 1);
  });
});

describe('listExpiredLeases', () => {
  async function leases() {
    const t = await makeEngine();
    const { engine } = t;
    const made: Record<string, string> = {};
    for (const [name, ns, ttl] of [
      ['a', 'ns1', 1_000],
      ['b', 'ns2', 2_000],
      ['c', 'ns1', 3_000],
      ['live', 'ns1', 60_000],
    ] as const) {
      made[name] = engine.createExecution({ laneId: 'l', namespace: ns }).executionId;
      engine.claim({ laneId: 'l', ...WORKER, leaseTtlMs: ttl });
    }
    return { ...t, made, t0: t.clock.now() };
  }

  it('lists only expired leases of active executions, by expiry, with the lease details', async () => {
    const { engine, clock, made, t0 } = await leases();
    expect(engine.listExpiredLeases().leases).toEqual([]);
    clock.advance(2_000); // a and b are due (b exactly at its expiry)
    const { leases: listed, nextCursor } = engine.listExpiredLeases();
    expect(nextCursor).toBeNull();
    expect(listed.map((l) => l.executionId)).toEqual([made['a'], made['b']]);
    const describedA = engine.describeExecution({ executionId: made['a']! })!.attempts[0]!;
    expect(listed[0]).toEqual({
      executionId: made['a'],
      attemptIndex: 0,
      leaseId: expect.any(String),
      leaseEpoch: 1,
      workerId: 'w1',
      workerInstanceId: 'w1-i1',
      leaseExpiresAtMs: t0 + 1_000,
      ownershipState: 'leased',
      laneId: 'l',
      namespace: 'ns1',
    });
    expect(describedA.leaseExpiresAtMs).toBe(t0 + 1_000);

    // Marking does not hide them: the listing is where an operator finds reclaimable work.
    markExpired(engine, clock);
    expect(engine.listExpiredLeases().leases.map((l) => l.ownershipState)).toEqual(['lease_expired_reclaimable', 'lease_expired_reclaimable']);
  });

  it('takes an explicit asOf (past or future) and filters by namespace', async () => {
    const { engine, made, t0 } = await leases();
    expect(engine.listExpiredLeases({ asOf: t0 + 3_000 }).leases.map((l) => l.executionId)).toEqual([made['a'], made['b'], made['c']]);
    expect(engine.listExpiredLeases({ asOf: t0 + 3_000, namespace: 'ns1' }).leases.map((l) => l.executionId)).toEqual([made['a'], made['c']]);
    expect(engine.listExpiredLeases({ asOf: t0 + 3_000, namespace: 'nope' }).leases).toEqual([]);
    expect(engine.listExpiredLeases({ asOf: t0 + 999 }).leases).toEqual([]);
  });

  it('pages by (expiry, execution id), including ties', async () => {
    const { engine, clock } = await makeEngine();
    const ids = Array.from({ length: 5 }, () => {
      const id = engine.createExecution({ laneId: 'l' }).executionId;
      engine.claim({ laneId: 'l', ...WORKER, leaseTtlMs: TTL }); // all expire at the same instant
      return id;
    });
    clock.advance(TTL);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = engine.listExpiredLeases({ limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...page.leases.map((l) => l.executionId));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([...ids].sort());
  });

  it('rejects a cursor it did not mint', async () => {
    const { engine } = await makeEngine();
    for (const cursor of ['%%%', btoa('x1|soon|{fp:0}:x'), btoa('c1|5|id')]) {
      expect(catchError(() => engine.listExpiredLeases({ cursor })).details['field']).toBe('cursor');
    }
  });
});

