/** explainExecution: one reason, sentence and set of facts per situation, on real databases. */
import { describe, expect, it } from 'vitest';
import { createEngine, ManualClock, ManualTimer, type Engine } from '../../src/index.js';
import { FlowBuilder } from './flow-helpers.js';
import { makeEngine, openDriver, rows, TEST_START_MS, WORKER } from './helpers.js';
import { signal, suspendedExecution } from './suspension-helpers.js';

const register = (engine: Engine, instance: string, lanes: string[], capabilities: string[] = []) =>
  engine.registerWorker({ workerId: 'w', workerInstanceId: instance, lanes, capabilities, livenessTtlMs: 60_000 });

/** An engine whose virtual clock plays on an injected timer, so "delayed" is not "clock paused". */
async function playingEngine(): Promise<Engine> {
  const engine = await createEngine({ devMode: true, driver: await openDriver(), clock: new ManualClock(TEST_START_MS), timer: new ManualTimer(), banner: false, scanners: false });
  engine.playClock();
  return engine;
}

describe('explainExecution', () => {
  it('names the pending upstreams of a flow member, with the group counters', async () => {
    const { engine } = await makeEngine();
    const flow = new FlowBuilder(engine);
    const [a, b, child] = flow.nodes(3) as [string, string, string];
    flow.edge(a, child);
    flow.edge(b, child);
    const handle = engine.claim({ laneId: 'flow', ...WORKER })!;
    engine.completeExecution({ handle });
    const done = handle.executionId;
    const waiting = done === a ? b : a;

    const x = engine.explainExecution({ executionId: child })!;
    expect(x.reason).toBe('waiting_on_upstreams');
    expect(x.details.flowId).toBe(flow.flowId);
    expect(x.details.pendingUpstreamIds).toEqual([waiting]);
    expect(x.details.upstreams?.map((u) => [u.executionId, u.edgeState])).toEqual([
      [waiting, 'pending'],
      [done, 'satisfied'],
    ]);
    expect(x.details.group).toMatchObject({ policy: 'all_of', total: 2, successCount: 1, runningCount: 1 });
    expect(x.sentence).toBe(`Waiting on its upstream ${waiting} in flow ${flow.flowId}.`);
  });

  it('says no worker polls the lane when no live registered worker lists it', async () => {
    const { engine, clock } = await makeEngine();
    const { executionId } = engine.createExecution({ laneId: 'emails' });
    register(engine, 'other', ['default']);
    let x = engine.explainExecution({ executionId })!;
    expect(x.reason).toBe('no_worker');
    expect(x.details).toMatchObject({ laneId: 'emails', laneWorkers: [] });
    expect(x.sentence).toBe('Ready to run, but no worker polls lane emails: no live registered worker lists it among its lanes.');

    // A worker on the lane whose registration lapsed is not live either.
    register(engine, 'mailer', ['emails']);
    expect(engine.explainExecution({ executionId })!.reason).toBe('waiting_for_worker');
    clock.advance(60_000);
    x = engine.explainExecution({ executionId })!;
    expect(x.reason).toBe('no_worker');
  });

  it('names the capability no live worker on the lane holds', async () => {
    const { engine } = await makeEngine();
    const { executionId } = engine.createExecution({ laneId: 'gpu', requiredCapabilities: ['cuda', 'fp16'] });
    register(engine, 'g1', ['gpu'], ['fp16']);
    register(engine, 'g2', ['gpu'], []);
    const x = engine.explainExecution({ executionId })!;
    expect(x.reason).toBe('missing_capability');
    expect(x.details.missingCapabilities).toEqual(['cuda']);
    expect(x.details.laneWorkers).toEqual(['g1', 'g2']);
    expect(x.sentence).toBe('Ready to run, but it needs capability cuda, which no live registered worker on lane gpu holds.');
  });

  it('names the registered workers that can claim a ready execution', async () => {
    const { engine } = await makeEngine();
    const { executionId } = engine.createExecution({ laneId: 'gpu', requiredCapabilities: ['cuda'] });
    register(engine, 'g1', ['gpu', 'cpu'], ['cuda']);
    const x = engine.explainExecution({ executionId })!;
    expect(x).toMatchObject({ reason: 'waiting_for_worker', details: { laneWorkers: ['g1'], requiredCapabilities: ['cuda'] } });
    expect(x.sentence).toBe('Ready to run: registered worker g1 polls lane gpu and can claim it.');
  });

  it('gives the time a delayed execution waits for while the clock plays', async () => {
    const engine = await playingEngine();
    const until = TEST_START_MS + 5 * 60_000;
    const { executionId } = engine.createExecution({ laneId: 'l', delayUntil: until });
    const x = engine.explainExecution({ executionId })!;
    expect(x).toMatchObject({ reason: 'delayed', details: { untilMs: until, waitingFor: 'delay' } });
    expect(x.sentence).toBe('Delayed until 2023-11-14 22:18:20 UTC (in 5m 00s).');
  });

  it('says the virtual clock is paused when the time it waits for only comes with it', async () => {
    const { engine } = await makeEngine();
    const until = TEST_START_MS + 3_600_000;
    const { executionId } = engine.createExecution({ laneId: 'l', delayUntil: until });
    const x = engine.explainExecution({ executionId })!;
    expect(x).toMatchObject({ reason: 'clock_paused', details: { untilMs: until, waitingFor: 'delay' } });
    expect(x.sentence).toContain('Delayed until 2023-11-14 23:13:20 UTC (in 1h 00m), but the virtual clock is paused');
  });

  it('explains a retry backoff with the attempt that failed', async () => {
    const engine = await playingEngine();
    const { executionId } = engine.createExecution({ laneId: 'l', retryPolicy: { maxRetries: 2, backoff: { type: 'fixed', delayMs: 10_000 } } });
    engine.failExecution({ handle: engine.claim({ laneId: 'l', ...WORKER })!, reason: 'flaky' });
    const x = engine.explainExecution({ executionId })!;
    expect(x).toMatchObject({ reason: 'retry_backoff', details: { waitingFor: 'retry_backoff', untilMs: engine.now() + 10_000 } });
    expect(x.sentence).toMatch(/^In retry backoff after attempt 1 failed, until .* \(in 10s\)\.$/);
  });

  it('names the signals a suspension still waits for', async () => {
    const t = await suspendedExecution(['a', 'b'], { kind: 'signals', mode: 'all_of', signals: [{ name: 'ready' }, { name: 'paid' }] });
    signal(t, 'a', 'ready');
    const x = t.engine.explainExecution({ executionId: t.executionId })!;
    expect(x).toMatchObject({ reason: 'suspended', details: { resumeKind: 'signals', signals: ['paid'], signalMode: 'all_of', signalsReceived: 1 } });
    expect(x.sentence).toBe('Suspended, waiting for the signal paid (1 signal received so far).');
  });

  it('names the worker running it and when its lease ends, then the expired lease', async () => {
    const { engine } = await makeEngine({ scanners: {} });
    const { executionId } = engine.createExecution({ laneId: 'l' });
    engine.claim({ laneId: 'l', ...WORKER });
    let x = engine.explainExecution({ executionId })!;
    expect(x).toMatchObject({ reason: 'running', details: { workerId: 'w1', workerInstanceId: 'w1-i1', attemptIndex: 0, leaseExpiresAtMs: TEST_START_MS + 30_000 } });
    expect(x.sentence).toBe('Running attempt 1 on worker w1 (instance w1-i1), lease until 2023-11-14 22:13:50 UTC (in 30s).');

    engine.advanceTime({ ms: 31_000 });
    x = engine.explainExecution({ executionId })!;
    expect(x.reason).toBe('lease_expired');
    expect(x.sentence).toBe('The lease of attempt 1 on worker w1 (instance w1-i1) expired at 2023-11-14 22:13:50 UTC (1s ago); it waits to be reclaimed.');
  });

  it('reports how an execution ended: completed, failed with its reason, cancelled with its reason', async () => {
    const { engine } = await makeEngine();
    const ok = engine.createExecution({ laneId: 'l' }).executionId;
    engine.completeExecution({ handle: engine.claim({ laneId: 'l', ...WORKER })! });
    expect(engine.explainExecution({ executionId: ok })).toMatchObject({ reason: 'completed', sentence: 'Completed at 2023-11-14 22:13:20 UTC after 1 attempt.' });

    const bad = engine.createExecution({ laneId: 'l' }).executionId;
    engine.failExecution({ handle: engine.claim({ laneId: 'l', ...WORKER })!, reason: 'disk full', failureClass: 'permanent' });
    expect(engine.explainExecution({ executionId: bad })).toMatchObject({ reason: 'failed', details: { reasonText: 'disk full' } });
    expect(engine.explainExecution({ executionId: bad })!.sentence).toBe('Failed at 2023-11-14 22:13:20 UTC after 1 attempt: disk full.');

    const gone = engine.createExecution({ laneId: 'l' }).executionId;
    engine.cancelExecution({ executionId: gone, reason: 'no longer needed' });
    expect(engine.explainExecution({ executionId: gone })).toMatchObject({
      reason: 'cancelled',
      sentence: 'Cancelled at 2023-11-14 22:13:20 UTC: no longer needed.',
      details: { reasonText: 'no longer needed', publicState: 'cancelled' },
    });
  });

  it('reads budget and quota blocks from the state vector', async () => {
    // No operation here gates claims on budgets or quotas, but the state vector has the states (an imported database may hold them).
    const { engine } = await makeEngine();
    const budget = engine.createExecution({ laneId: 'l' }).executionId;
    const quota = engine.createExecution({ laneId: 'l' }).executionId;
    engine.driver.prepare(`UPDATE ff_exec_core SET eligibility_state = 'blocked_by_budget', public_state = 'rate_limited' WHERE execution_id = :id`).run({ id: budget });
    engine.driver.prepare(`UPDATE ff_exec_core SET eligibility_state = 'blocked_by_quota', public_state = 'rate_limited' WHERE execution_id = :id`).run({ id: quota });
    expect(engine.explainExecution({ executionId: budget })).toMatchObject({ reason: 'budget_blocked', details: { publicState: 'rate_limited' } });
    expect(engine.explainExecution({ executionId: quota })).toMatchObject({ reason: 'quota_blocked' });
  });

  it('says an operator revoked the lease', async () => {
    const { engine } = await makeEngine();
    const { executionId } = engine.createExecution({ laneId: 'l' });
    engine.claim({ laneId: 'l', ...WORKER });
    engine.revokeLease({ executionId });
    expect(engine.explainExecution({ executionId })).toMatchObject({
      reason: 'lease_revoked',
      sentence: 'An operator revoked the lease of attempt 1 on worker w1 (instance w1-i1); it waits to be reclaimed.',
    });
  });

  it('says when an execution expired at its deadline', async () => {
    const { engine } = await makeEngine({ scanners: {} });
    const { executionId } = engine.createExecution({ laneId: 'l', deadlineAtMs: TEST_START_MS + 1_000 });
    engine.advanceTime({ ms: 2_000 });
    const x = engine.explainExecution({ executionId })!;
    expect(x.reason).toBe('expired');
    expect(x.sentence).toMatch(/^Expired at 2023-11-14 22:13:2\d UTC \(its deadline was 2023-11-14 22:13:21 UTC\)\.$/);
  });

  it('says a flow member was skipped when its upstreams can no longer satisfy it', async () => {
    const { engine } = await makeEngine();
    const flow = new FlowBuilder(engine);
    const [up, down] = flow.nodes(2) as [string, string];
    flow.edge(up, down);
    engine.failExecution({ handle: engine.claim({ laneId: 'flow', ...WORKER })!, reason: 'boom', failureClass: 'permanent' });
    expect(engine.explainExecution({ executionId: down })).toMatchObject({ reason: 'skipped', details: { publicState: 'skipped' } });
  });

  it('names other blocks (route, lane state, operator) from the state vector', async () => {
    const { engine } = await makeEngine();
    const { executionId } = engine.createExecution({ laneId: 'l' });
    engine.driver.prepare(`UPDATE ff_exec_core SET eligibility_state = 'blocked_by_operator', blocking_reason = 'paused_by_operator' WHERE execution_id = :id`).run({ id: executionId });
    expect(engine.explainExecution({ executionId })).toMatchObject({
      reason: 'blocked',
      sentence: 'Blocked by an operator.',
      details: { eligibilityState: 'blocked_by_operator', blockingReason: 'paused_by_operator' },
    });
  });

  it('says a resumed execution is ready again, and an approval or operator-only suspension in words', async () => {
    const t = await suspendedExecution(['a'], { kind: 'signals', mode: 'any_of', signals: [{ name: 'go' }, { name: 'stop' }] });
    expect(t.engine.explainExecution({ executionId: t.executionId })!.sentence).toBe('Suspended, waiting for one of the signals go and stop.');
    signal(t, 'a', 'go');
    expect(t.engine.explainExecution({ executionId: t.executionId })).toMatchObject({ reason: 'no_worker', details: { publicState: 'resumable' } });
    expect(t.engine.explainExecution({ executionId: t.executionId })!.sentence).toMatch(/^Resumed and ready to run, but no worker polls lane l/);

    const approval = await suspendedExecution(['k'], { kind: 'approval' });
    expect(approval.engine.explainExecution({ executionId: approval.executionId })).toMatchObject({ reason: 'suspended', sentence: 'Suspended, waiting for an approval signal.', details: { resumeKind: 'approval' } });
    const operator = await suspendedExecution(['k'], { kind: 'operator_only' }, { timeout: { atMs: TEST_START_MS + 60_000, behavior: 'fail' } });
    expect(operator.engine.explainExecution({ executionId: operator.executionId })!.sentence).toBe(
      'Suspended until an operator resumes it; it times out at 2023-11-14 22:14:20 UTC (in 1m 00s).',
    );
  });

  it('is null for an unknown execution, and writes nothing', async () => {
    const { engine } = await makeEngine();
    const { executionId } = engine.createExecution({ laneId: 'l' });
    const before = rows(engine, 'SELECT * FROM ff_exec_core');
    expect(engine.explainExecution({ executionId: executionId.replace(/.$/, (c) => (c === '0' ? '1' : '0')) })).toBeNull();
    engine.explainExecution({ executionId });
    expect(rows(engine, 'SELECT * FROM ff_exec_core')).toEqual(before);
  });
});
