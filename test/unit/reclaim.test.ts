/**
 * issueReclaimGrant and reclaimExecution: grants, the whole reclaim path, the
 * reclaim cap, and bad input.
 */
import { describe, expect, it } from 'vitest';
import { decodeHandle, encodeHandle, type Engine } from '../../src/index.js';
import { catchError, makeEngine, rows, sameImage, WORKER } from './helpers.js';
import { expireAgain, expiredExecution, GRANT, grantCount, leaseEvents, RECLAIM, reclaim, TTL } from './reclaim-helpers.js';

describe('issueReclaimGrant', () => {
  it('grants a reclaim of an expired lease, on the engine clock', async () => {
    const { engine, clock, id } = await expiredExecution();
    const r = engine.issueReclaimGrant({ executionId: id, ...GRANT });
    expect(r).toEqual({ kind: 'granted', executionId: id, grantKey: expect.any(String), expiresAtMs: clock.now() + 5_000, laneId: 'l' });
    expect(rows(engine, "SELECT kind, worker_id, worker_instance_id, lane_id FROM ff_claim_grant")).toEqual([
      { kind: 'reclaim', worker_id: 'w2', worker_instance_id: 'w2-i1', lane_id: 'l' },
    ]);
  });

  it('is not_reclaimable while the lease is still held, or once the execution ended', async () => {
    const { engine, clock } = await makeEngine();
    const id = engine.createExecution({ laneId: 'l' }).executionId;
    engine.claim({ laneId: 'l', ...WORKER, leaseTtlMs: TTL });
    const before = engine.exportImage();
    expect(engine.issueReclaimGrant({ executionId: id, ...GRANT })).toEqual({
      kind: 'not_reclaimable',
      detail: 'ownership_state=leased (expected lease_expired_reclaimable or lease_revoked)',
    });
    // Expired but not yet marked by the scanner: still leased.
    clock.advance(TTL);
    expect(engine.issueReclaimGrant({ executionId: id, ...GRANT }).kind).toBe('not_reclaimable');
    expect(sameImage(engine.exportImage(), before)).toBe(true);

    const { engine: e2 } = await makeEngine();
    const done = e2.createExecution({ laneId: 'l' }).executionId;
    e2.completeExecution({ handle: e2.claim({ laneId: 'l', ...WORKER })! });
    expect(e2.issueReclaimGrant({ executionId: done, ...GRANT })).toEqual({
      kind: 'not_reclaimable',
      detail: 'lifecycle_phase=terminal (expected active)',
    });
  });

  it('a revoked lease is reclaimable too', async () => {
    const { engine, id } = await expiredExecution();
    engine.driver.exec("UPDATE ff_exec_core SET ownership_state = 'lease_revoked'"); // stands in for an operator revoke
    expect(engine.issueReclaimGrant({ executionId: id, ...GRANT }).kind).toBe('granted');
    expect(engine.reclaimExecution({ executionId: id, ...RECLAIM }).kind).toBe('claimed');
  });

  // FlowFabric stores the worker's capabilities on the grant and never compares them (its D10).
  it('requires the worker to hold every capability the execution needs, naming the missing ones', async () => {
    const { engine, id } = await expiredExecution({ requiredCapabilities: ['gpu', 'cuda12', 'fp8'] });
    const before = engine.exportImage();
    expect(engine.issueReclaimGrant({ executionId: id, ...GRANT })).toEqual({
      kind: 'not_reclaimable',
      detail: 'missing capabilities: cuda12, fp8, gpu',
    });
    expect(engine.issueReclaimGrant({ executionId: id, ...GRANT, capabilities: ['gpu', 'x'] })).toEqual({
      kind: 'not_reclaimable',
      detail: 'missing capabilities: cuda12, fp8',
    });
    expect(sameImage(engine.exportImage(), before)).toBe(true);
    expect(engine.issueReclaimGrant({ executionId: id, ...GRANT, capabilities: ['fp8', 'gpu', 'cuda12', 'extra'] }).kind).toBe('granted');
  });

  it('refuses a grant in another lane', async () => {
    const { engine, id } = await expiredExecution();
    expect(engine.issueReclaimGrant({ executionId: id, ...GRANT, laneId: 'other' })).toEqual({
      kind: 'not_reclaimable',
      detail: 'lane_id=other (the execution is in lane l)',
    });
  });

  it('an unknown execution is not_found', async () => {
    const { engine } = await makeEngine();
    const missing = '{fp:0}:11111111-1111-4111-8111-111111111111';
    expect(catchError(() => engine.issueReclaimGrant({ executionId: missing, ...GRANT }))).toMatchObject({
      code: 'not_found',
      details: { entity: 'execution', id: missing },
    });
    expect(catchError(() => engine.reclaimExecution({ executionId: missing, ...RECLAIM })).code).toBe('not_found');
  });
});

describe('reclaimExecution', () => {
  it('the whole path: expiry → mark → grant → reclaim → complete; the old handle is stale', async () => {
    const { engine, clock, id, handle: old } = await expiredExecution();
    const grant = engine.issueReclaimGrant({ executionId: id, ...GRANT });
    if (grant.kind !== 'granted') throw new Error('expected a grant');
    clock.advance(10);
    const r = engine.reclaimExecution({ executionId: id, ...RECLAIM, workerInstanceId: 'w2-i9', grantKey: grant.grantKey });
    if (r.kind !== 'claimed') throw new Error(`expected claimed, got ${r.kind}`);
    const h = r.handle;
    expect(h).toMatchObject({
      backend: 'sqlite',
      kind: 'reclaimed',
      executionId: id,
      attemptIndex: 1,
      leaseEpoch: 2,
      leaseTtlMs: 30_000,
      laneId: 'l',
      workerInstanceId: 'w2-i9',
    });
    expect(decodeHandle(encodeHandle(h), 'reclaimed')).toEqual(h);

    const info = engine.readExecutionInfo({ executionId: id })!;
    expect(info).toMatchObject({ currentAttemptIndex: 1, attemptCount: 2, leaseReclaimCount: 1, publicState: 'active' });
    expect(info.stateVector).toMatchObject({ ownershipState: 'leased', attemptState: 'running_attempt', blockingReason: 'none' });
    expect(grantCount(engine)).toBe(0);
    const attempts = engine.describeExecution({ executionId: id })!.attempts;
    expect(attempts.map((a) => [a.attemptIndex, a.attemptType, a.outcome, a.workerInstanceId, a.leaseEpoch])).toEqual([
      [0, 'initial', 'interrupted_reclaimed', 'w1-i1', 1],
      [1, 'reclaim', null, 'w2-i9', 2],
    ]);
    expect(attempts[0]).toMatchObject({ terminalAtMs: clock.now(), leaseExpiresAtMs: null });
    expect(attempts[1]).toMatchObject({ attemptId: h.attemptId, leaseExpiresAtMs: clock.now() + 30_000 });

    // The old handle is stale for everything; the new one works.
    const before = engine.exportImage();
    expect(catchError(() => engine.renewLease({ handle: old })).code).toBe('state.stale_lease');
    expect(catchError(() => engine.completeExecution({ handle: old })).code).toBe('state.stale_lease');
    expect(sameImage(engine.exportImage(), before)).toBe(true);
    expect(engine.renewLease({ handle: h })).toEqual({ kind: 'renewed', expiresAtMs: clock.now() + 30_000, leaseEpoch: 2 });
    expect(engine.completeExecution({ handle: h, result: 'ok' }).kind).toBe('completed');
    expect(engine.getExecutionResult({ executionId: id })).toBe('ok');
    expect(leaseEvents(engine, id)).toEqual([
      ['acquired', 0, 1],
      ['expired', 0, 1],
      ['reclaimed', 1, 2],
      ['renewed', 1, 2],
      ['released', 1, 2],
    ]);
    expect(rows(engine, 'SELECT outcome FROM ff_completion_event')).toEqual([{ outcome: 'success' }]);
  });

  it('a reclaimed lease can expire and be reclaimed again; epochs strictly increase', async () => {
    const { engine, clock, id } = await expiredExecution();
    const epochs = [1];
    for (let i = 0; i < 3; i++) {
      const h = reclaim(engine, id);
      expect(h.attemptIndex).toBe(i + 1);
      epochs.push(h.leaseEpoch);
      expireAgain(engine, clock, RECLAIM.leaseTtlMs);
    }
    expect(epochs).toEqual([1, 2, 3, 4]);
    expect(engine.readExecutionInfo({ executionId: id })).toMatchObject({ leaseReclaimCount: 3, attemptCount: 4 });
  });

  it('no grant → grant_not_found', async () => {
    const { engine, id } = await expiredExecution();
    const before = engine.exportImage();
    expect(engine.reclaimExecution({ executionId: id, ...RECLAIM })).toEqual({ kind: 'grant_not_found' });
    expect(engine.reclaimExecution({ executionId: id, ...RECLAIM, grantKey: '00000000-0000-4000-8000-000000000000' })).toEqual({
      kind: 'grant_not_found',
    });
    expect(sameImage(engine.exportImage(), before)).toBe(true);
  });

  it('an expired grant (expires_at_ms ≤ now) → grant_not_found, and the grant is deleted', async () => {
    const { engine, clock, id } = await expiredExecution();
    engine.issueReclaimGrant({ executionId: id, ...GRANT });
    clock.advance(GRANT.grantTtlMs - 1);
    engine.issueReclaimGrant({ executionId: id, ...GRANT });
    // The first grant expires exactly now; the newer one is the caller's most recent and still valid.
    clock.advance(1);
    expect(grantCount(engine)).toBe(2);
    expect(engine.reclaimExecution({ executionId: id, ...RECLAIM }).kind).toBe('claimed');
    expect(grantCount(engine)).toBe(0);

    const t = await expiredExecution();
    t.engine.issueReclaimGrant({ executionId: t.id, ...GRANT });
    t.clock.advance(GRANT.grantTtlMs);
    expect(t.engine.reclaimExecution({ executionId: t.id, ...RECLAIM })).toEqual({ kind: 'grant_not_found' });
    expect(grantCount(t.engine)).toBe(0);
    expect(t.engine.readExecutionInfo({ executionId: t.id })!.stateVector.ownershipState).toBe('lease_expired_reclaimable');
  });

  it("a grant bound to another worker id is an input error and changes nothing", async () => {
    const { engine, id } = await expiredExecution();
    const grant = engine.issueReclaimGrant({ executionId: id, ...GRANT });
    if (grant.kind !== 'granted') throw new Error('expected a grant');
    const before = engine.exportImage();
    for (const extra of [{}, { grantKey: grant.grantKey }]) {
      const err = catchError(() => engine.reclaimExecution({ executionId: id, ...RECLAIM, workerId: 'w3', ...extra }));
      expect(err).toMatchObject({ code: 'validation.invalid_input', details: { field: 'workerId', grantWorkerId: 'w2' } });
    }
    expect(sameImage(engine.exportImage(), before)).toBe(true);
  });

  it("without a grantKey the caller's own grant is used, even when another worker asked later", async () => {
    const { engine, clock, id } = await expiredExecution();
    engine.issueReclaimGrant({ executionId: id, ...GRANT });
    clock.advance(1);
    engine.issueReclaimGrant({ executionId: id, ...GRANT, workerId: 'w3', workerInstanceId: 'w3-i1' });
    const r = engine.reclaimExecution({ executionId: id, ...RECLAIM });
    expect(r.kind).toBe('claimed');
    // Every reclaim grant of the execution went with the lease it was issued for.
    expect(grantCount(engine)).toBe(0);
    expect(engine.reclaimExecution({ executionId: id, ...RECLAIM, workerId: 'w3' })).toEqual({ kind: 'grant_not_found' });
  });

  it('a grant outlived by a change of state → not_reclaimable, the grant is kept, nothing is revived', async () => {
    const { engine, id } = await expiredExecution();
    engine.issueReclaimGrant({ executionId: id, ...GRANT });
    // Stands in for an operator cancel between grant and reclaim.
    engine.driver.exec("UPDATE ff_exec_core SET lifecycle_phase = 'terminal', public_state = 'cancelled', terminal_outcome = 'cancelled'");
    const r = engine.reclaimExecution({ executionId: id, ...RECLAIM });
    expect(r).toEqual({ kind: 'not_reclaimable', detail: expect.stringContaining('lifecycle_phase=terminal') });
    expect(grantCount(engine)).toBe(1);
    expect(engine.readExecutionState({ executionId: id })).toBe('cancelled');
  });

  describe('the reclaim cap (checked before the increment: count ≥ cap ends the execution failed)', () => {
    it('maxReclaimCount 1: the first reclaim works, the second fails the execution with one completion event', async () => {
      const { engine, clock, id } = await expiredExecution({ maxReclaimCount: 1 });
      const h1 = reclaim(engine, id);
      expireAgain(engine, clock, RECLAIM.leaseTtlMs);
      engine.issueReclaimGrant({ executionId: id, ...GRANT });
      expect(engine.reclaimExecution({ executionId: id, ...RECLAIM })).toEqual({ kind: 'reclaim_cap_exceeded', reclaimCount: 1 });

      const d = engine.describeExecution({ executionId: id })!;
      expect(d).toMatchObject({ publicState: 'failed', leaseReclaimCount: 1, attemptCount: 2, lastFailureReason: 'reclaim cap exceeded (1 of 1)' });
      expect(d.stateVector).toMatchObject({ lifecyclePhase: 'terminal', terminalOutcome: 'failed', ownershipState: 'unowned' });
      expect(d.attempts.map((a) => [a.attemptIndex, a.outcome, a.leaseExpiresAtMs])).toEqual([
        [0, 'interrupted_reclaimed', null],
        [1, 'interrupted_reclaimed', null],
      ]);
      expect(rows(engine, `SELECT execution_id, outcome FROM ff_completion_event`)).toEqual([{ execution_id: id, outcome: 'failed' }]);
      expect(leaseEvents(engine, id).slice(-2)).toEqual([
        ['expired', 1, 2],
        ['revoked', 1, 2],
      ]);
      expect(grantCount(engine)).toBe(0);
      expect(catchError(() => engine.completeExecution({ handle: h1 })).code).toBe('contention.execution_not_active');
      // Terminal now: no further grant.
      expect(engine.issueReclaimGrant({ executionId: id, ...GRANT }).kind).toBe('not_reclaimable');
    });

    it('exact boundary: cap 3 allows three reclaims and refuses the fourth', async () => {
      const { engine, clock, id } = await expiredExecution({ maxReclaimCount: 3 });
      for (let i = 0; i < 3; i++) {
        reclaim(engine, id);
        expireAgain(engine, clock, RECLAIM.leaseTtlMs);
      }
      engine.issueReclaimGrant({ executionId: id, ...GRANT });
      expect(engine.reclaimExecution({ executionId: id, ...RECLAIM })).toEqual({ kind: 'reclaim_cap_exceeded', reclaimCount: 3 });
      expect(engine.readExecutionState({ executionId: id })).toBe('failed');
      expect(rows(engine, 'SELECT COUNT(*) AS n FROM ff_completion_event')).toEqual([{ n: 1 }]);
    });

    it('cap 0 forbids any reclaim', async () => {
      const { engine, id } = await expiredExecution({ maxReclaimCount: 0 });
      engine.issueReclaimGrant({ executionId: id, ...GRANT });
      expect(engine.reclaimExecution({ executionId: id, ...RECLAIM })).toEqual({ kind: 'reclaim_cap_exceeded', reclaimCount: 0 });
    });

    it('without a policy cap the default is 1000', async () => {
      const { engine, clock, id } = await expiredExecution();
      engine.driver.exec('UPDATE ff_exec_core SET lease_reclaim_count = 999');
      reclaim(engine, id);
      expireAgain(engine, clock, RECLAIM.leaseTtlMs);
      engine.issueReclaimGrant({ executionId: id, ...GRANT });
      expect(engine.reclaimExecution({ executionId: id, ...RECLAIM })).toEqual({ kind: 'reclaim_cap_exceeded', reclaimCount: 1000 });
    });
  });
});

describe('expired leases and reclaim: bad input names the field and writes nothing', () => {
  const ID = '{fp:0}:0b5a3c1e-8a5d-4c7e-9f00-123456789abc';
  const cases: Array<[string, (e: Engine) => unknown, string]> = [
    ['grant: malformed execution id', (e) => e.issueReclaimGrant({ ...GRANT, executionId: 'nope' }), 'executionId'],
    ['grant: zero TTL', (e) => e.issueReclaimGrant({ ...GRANT, executionId: ID, grantTtlMs: 0 }), 'grantTtlMs'],
    ['grant: missing lane', (e) => e.issueReclaimGrant({ ...GRANT, executionId: ID, laneId: undefined } as never), 'laneId'],
    ['grant: bad capability', (e) => e.issueReclaimGrant({ ...GRANT, executionId: ID, capabilities: [''] }), 'capabilities.0'],
    ['reclaim: negative lease TTL', (e) => e.reclaimExecution({ ...RECLAIM, executionId: ID, leaseTtlMs: -5 }), 'leaseTtlMs'],
    ['reclaim: grant key not a uuid', (e) => e.reclaimExecution({ ...RECLAIM, executionId: ID, grantKey: 'abc' }), 'grantKey'],
    ['reclaim: unknown key', (e) => e.reclaimExecution({ ...RECLAIM, executionId: ID, laneId: 'l' } as never), '(input)'],
    ['list: limit 0', (e) => e.listExpiredLeases({ limit: 0 }), 'limit'],
    ['list: negative asOf', (e) => e.listExpiredLeases({ asOf: -1 }), 'asOf'],
  ];
  for (const [label, fn, field] of cases) {
    it(label, async () => {
      const { engine } = await makeEngine();
      engine.createExecution({ laneId: 'l', executionId: ID });
      engine.claim({ laneId: 'l', ...WORKER });
      const before = engine.exportImage();
      const err = catchError(() => fn(engine));
      expect(err.code).toBe('validation.invalid_input');
      expect(err.details['field']).toBe(field);
      expect(sameImage(engine.exportImage(), before)).toBe(true);
    });
  }
});
