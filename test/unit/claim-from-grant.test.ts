/**
 * Claiming a named execution from a grant: issueClaimGrant + claimExecution
 * (a worker redeems its grant) and issueGrantAndClaim (an operator, in one
 * transaction). Each refusal is typed and leaves the database as it was.
 */
import { describe, expect, it } from 'vitest';
import type { Engine, Handle, IssueGrantAndClaimResult } from '../../src/index.js';
import { catchError, makeEngine, rows, WORKER } from './helpers.js';

const W2 = { workerId: 'w2', workerInstanceId: 'w2-i1' } as const;
const GRANT = { ...W2, laneId: 'l', grantTtlMs: 5_000 } as const;
const MISSING = '{fp:0}:00000000-0000-4000-8000-000000000000';

function snapshot(engine: Engine): unknown {
  return rows(
    engine,
    `SELECT (SELECT COUNT(*) FROM ff_attempt) AS attempts, (SELECT COUNT(*) FROM ff_lease_event) AS leaseEvents,
            (SELECT COUNT(*) FROM ff_claim_grant) AS grants, (SELECT group_concat(public_state) FROM ff_exec_core) AS states`,
  );
}

describe('issueClaimGrant and claimExecution', () => {
  it('a worker redeems its grant and gets the execution, as claim would have given it', async () => {
    const { engine, clock } = await makeEngine();
    const other = engine.createExecution({ laneId: 'l', priority: 9 }).executionId;
    const id = engine.createExecution({ laneId: 'l', requiredCapabilities: ['gpu'] }).executionId;
    const grant = engine.issueClaimGrant({ executionId: id, ...GRANT, capabilities: ['gpu', 'ssd'] });
    expect(grant).toMatchObject({ kind: 'granted', executionId: id, expiresAtMs: clock.now() + 5_000, laneId: 'l' });
    const claimed = engine.claimExecution({ executionId: id, ...W2, leaseTtlMs: 30_000 });
    expect(claimed.handle).toMatchObject({ kind: 'fresh', executionId: id, attemptIndex: 0, leaseEpoch: 1, workerInstanceId: 'w2-i1', laneId: 'l' });
    expect(engine.readExecutionState({ executionId: id })).toBe('active');
    expect(engine.readExecutionState({ executionId: other })).toBe('waiting');
    expect(rows(engine, 'SELECT COUNT(*) AS n FROM ff_claim_grant')).toEqual([{ n: 0 }]);
    expect(rows(engine, `SELECT event_type, worker_instance_id FROM ff_lease_event WHERE execution_id = '${id}'`)).toEqual([
      { event_type: 'acquired', worker_instance_id: 'w2-i1' },
    ]);
    engine.completeExecution({ handle: claimed.handle });
    expect(engine.readExecutionState({ executionId: id })).toBe('completed');
  });

  it('a grant is refused when the execution cannot be claimed, is in another lane, needs missing capabilities or has a live grant', async () => {
    const { engine, clock } = await makeEngine();
    const id = engine.createExecution({ laneId: 'l', requiredCapabilities: ['gpu'] }).executionId;
    const delayed = engine.createExecution({ laneId: 'l', delayUntil: clock.now() + 1_000 }).executionId;
    const before = snapshot(engine);
    expect(engine.issueClaimGrant({ executionId: id, ...GRANT, laneId: 'other' })).toEqual({
      kind: 'not_claimable',
      detail: 'lane_id=other (the execution is in lane l)',
    });
    expect(engine.issueClaimGrant({ executionId: id, ...GRANT })).toEqual({ kind: 'not_claimable', detail: 'missing capabilities: gpu' });
    expect(engine.issueClaimGrant({ executionId: delayed, ...GRANT })).toMatchObject({ kind: 'not_claimable', detail: expect.stringContaining('not_eligible_until_time') });
    expect(snapshot(engine)).toEqual(before);
    expect(catchError(() => engine.issueClaimGrant({ executionId: MISSING, ...GRANT }))).toMatchObject({ code: 'not_found' });

    expect(engine.issueClaimGrant({ executionId: id, ...GRANT, capabilities: ['gpu'] }).kind).toBe('granted');
    expect(engine.issueClaimGrant({ executionId: id, ...GRANT, workerId: 'w3', capabilities: ['gpu'] })).toEqual({
      kind: 'not_claimable',
      detail: 'grant_already_exists (issued to worker w2)',
    });
    clock.advance(5_000); // the first grant expires: a new one can be issued
    expect(engine.issueClaimGrant({ executionId: id, ...GRANT, workerId: 'w3', capabilities: ['gpu'] }).kind).toBe('granted');
  });

  it('claimExecution refuses, in order: the execution state, no grant or another worker’s, an expired grant', async () => {
    const { engine, clock } = await makeEngine();
    const id = engine.createExecution({ laneId: 'l' }).executionId;
    const redeem = (workerId: string = 'w2') => () => engine.claimExecution({ executionId: id, workerId, workerInstanceId: 'x', leaseTtlMs: 1_000 });

    const before = snapshot(engine);
    expect(catchError(redeem())).toMatchObject({ code: 'contention.invalid_claim_grant', details: { executionId: id } });
    const grant = engine.issueClaimGrant({ executionId: id, ...GRANT });
    if (grant.kind !== 'granted') throw new Error('not granted');
    expect(catchError(redeem('w9'))).toMatchObject({ code: 'contention.invalid_claim_grant', details: { grantWorkerId: 'w2' } });
    clock.advance(5_000);
    expect(catchError(redeem())).toMatchObject({ code: 'contention.claim_grant_expired', details: { expiresAtMs: grant.expiresAtMs } });
    // Nothing changed but the grant issued above; a new grant clears the expired one.
    expect(snapshot(engine)).toEqual([{ ...(before as object[])[0], grants: 1 }]);
    engine.issueClaimGrant({ executionId: id, ...GRANT, workerId: 'w3' });
    expect(rows(engine, `SELECT worker_id FROM ff_claim_grant`)).toEqual([{ worker_id: 'w3' }]);
    expect(catchError(() => engine.claimExecution({ executionId: MISSING, ...W2, leaseTtlMs: 1_000 }))).toMatchObject({ code: 'not_found' });
  });

  it('a grant does not hold the execution: after a plain claim took it, redeeming is contention.execution_not_active', async () => {
    const { engine } = await makeEngine();
    const id = engine.createExecution({ laneId: 'l' }).executionId;
    engine.issueClaimGrant({ executionId: id, ...GRANT });
    expect(engine.claim({ laneId: 'l', ...WORKER })!.executionId).toBe(id);
    expect(catchError(() => engine.claimExecution({ executionId: id, ...W2, leaseTtlMs: 1_000 }))).toMatchObject({
      code: 'contention.execution_not_active',
      details: { lifecyclePhase: 'active' },
    });
  });

  it('a retry opens a retry attempt through claimExecution, as with claim', async () => {
    const { engine } = await makeEngine();
    const id = engine.createExecution({ laneId: 'l', retryPolicy: { maxRetries: 1, backoff: { type: 'fixed', delayMs: 0 } } }).executionId;
    engine.failExecution({ handle: engine.claim({ laneId: 'l', ...WORKER })!, reason: 'flaky' });
    engine.issueClaimGrant({ executionId: id, ...GRANT });
    const { handle } = engine.claimExecution({ executionId: id, ...W2, leaseTtlMs: 1_000 });
    expect(handle).toMatchObject({ attemptIndex: 1, leaseEpoch: 2 });
    expect(rows(engine, `SELECT attempt_type FROM ff_attempt WHERE execution_id = '${id}' ORDER BY attempt_index`)).toEqual([
      { attempt_type: 'initial' },
      { attempt_type: 'retry' },
    ]);
  });
});

function claimed(result: IssueGrantAndClaimResult): Handle {
  if (result.kind !== 'claimed') throw new Error(`expected claimed, got ${JSON.stringify(result)}`);
  return result.handle;
}

describe('issueGrantAndClaim', () => {
  it('an operator claims a named execution in one step, held by `operator` unless told otherwise', async () => {
    const { engine } = await makeEngine();
    const first = engine.createExecution({ laneId: 'l', priority: 9 }).executionId;
    const id = engine.createExecution({ laneId: 'l', requiredCapabilities: ['gpu'] }).executionId;
    const handle = claimed(engine.issueGrantAndClaim({ executionId: id, laneId: 'l', leaseTtlMs: 10_000 }));
    expect(handle).toMatchObject({ executionId: id, workerInstanceId: 'operator', attemptIndex: 0, leaseEpoch: 1, leaseTtlMs: 10_000 });
    expect(rows(engine, `SELECT worker_id, worker_instance_id FROM ff_attempt WHERE execution_id = '${id}'`)).toEqual([
      { worker_id: 'operator', worker_instance_id: 'operator' },
    ]);
    expect(engine.readExecutionState({ executionId: first })).toBe('waiting');
    const named = claimed(engine.issueGrantAndClaim({ executionId: first, laneId: 'l', leaseTtlMs: 10_000, ...W2 }));
    expect(named.workerInstanceId).toBe('w2-i1');
    engine.completeExecution({ handle });
    expect(engine.readExecutionState({ executionId: id })).toBe('completed');
  });

  it('refusals are typed, write nothing and leave no grant behind', async () => {
    const { engine } = await makeEngine();
    const running = engine.createExecution({ laneId: 'l' }).executionId;
    engine.claim({ laneId: 'l', ...WORKER });
    const waiting = engine.createExecution({ laneId: 'l' }).executionId;
    const ended = engine.createExecution({ laneId: 'e' }).executionId;
    engine.cancelExecution({ executionId: ended });
    const before = snapshot(engine);
    const call = (executionId: string, laneId = 'l') => () => engine.issueGrantAndClaim({ executionId, laneId, leaseTtlMs: 1_000 });
    expect(catchError(call(running))).toMatchObject({ code: 'contention.execution_not_active', details: { lifecyclePhase: 'active' } });
    expect(catchError(call(ended, 'e'))).toMatchObject({ code: 'contention.execution_not_active', details: { terminalOutcome: 'cancelled' } });
    expect(catchError(call(waiting, 'other'))).toMatchObject({ code: 'validation.invalid_input', details: { field: 'laneId' } });
    expect(catchError(call(MISSING))).toMatchObject({ code: 'not_found' });
    expect(snapshot(engine)).toEqual(before);
  });

  it('a flow member waiting for its dependencies is not leaseable', async () => {
    const { engine } = await makeEngine();
    const flowId = engine.createFlow().flowId;
    const up = engine.createExecution({ laneId: 'l', flowId });
    const down = engine.createExecution({ laneId: 'l', flowId });
    const staged = engine.stageDependencyEdge({
      flowId,
      upstreamExecutionId: up.executionId,
      downstreamExecutionId: down.executionId,
      expectedGraphRevision: down.kind === 'created' ? down.graphRevision! : 0,
    });
    engine.applyDependencyToChild({ flowId, edgeId: staged.edgeId });
    expect(catchError(() => engine.issueGrantAndClaim({ executionId: down.executionId, laneId: 'l', leaseTtlMs: 1_000 }))).toMatchObject({
      code: 'contention.execution_not_leaseable',
      details: { eligibilityState: 'blocked_by_dependencies' },
    });
    // The upstream claimed by name marks the flow running, as claim does.
    engine.issueGrantAndClaim({ executionId: up.executionId, laneId: 'l', leaseTtlMs: 1_000 });
    expect(engine.describeFlow({ flowId })!.publicFlowState).toBe('running');
  });

  it('takes over an execution whose lease was revoked or expired, through the reclaim path', async () => {
    const { engine, clock } = await makeEngine({ scanners: { intervals: {} } });
    const id = engine.createExecution({ laneId: 'l' }).executionId;
    const first = engine.claim({ laneId: 'l', ...WORKER })!;
    engine.revokeLease({ executionId: id });
    expect(catchError(() => engine.issueGrantAndClaim({ executionId: id, laneId: 'x', leaseTtlMs: 1_000 }))).toMatchObject({ code: 'validation.invalid_input' });
    const second = claimed(engine.issueGrantAndClaim({ executionId: id, laneId: 'l', leaseTtlMs: 1_000 }));
    expect(second).toMatchObject({ kind: 'reclaimed', attemptIndex: 1, leaseEpoch: first.leaseEpoch + 1, workerInstanceId: 'operator' });
    expect(catchError(() => engine.completeExecution({ handle: first }))).toMatchObject({ code: 'state.stale_lease' });
    clock.advance(2_000); // the operator's lease runs out too
    const third = claimed(engine.issueGrantAndClaim({ executionId: id, laneId: 'l', leaseTtlMs: 30_000 }));
    expect(third).toMatchObject({ kind: 'reclaimed', attemptIndex: 2 });
    engine.completeExecution({ handle: third });
    expect(rows(engine, `SELECT event_type FROM ff_lease_event WHERE execution_id = '${id}' ORDER BY event_id`).map((r) => (r as { event_type: string }).event_type)).toEqual([
      'acquired',
      'revoked',
      'reclaimed',
      'expired',
      'reclaimed',
      'released',
    ]);
    expect(rows(engine, 'SELECT COUNT(*) AS n FROM ff_claim_grant')).toEqual([{ n: 0 }]);
  });

  it('past maxReclaimCount the take-over ends the execution failed', async () => {
    const { engine } = await makeEngine();
    const id = engine.createExecution({ laneId: 'l', maxReclaimCount: 0 }).executionId;
    engine.claim({ laneId: 'l', ...WORKER });
    engine.revokeLease({ executionId: id });
    expect(engine.issueGrantAndClaim({ executionId: id, laneId: 'l', leaseTtlMs: 1_000 })).toEqual({ kind: 'reclaim_cap_exceeded', reclaimCount: 0 });
    expect(engine.readExecutionState({ executionId: id })).toBe('failed');
    expect(rows(engine, 'SELECT COUNT(*) AS n FROM ff_claim_grant')).toEqual([{ n: 0 }]);
  });
});
