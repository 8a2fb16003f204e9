/**
 * Flow edge groups: any_of and quorum, with cancel_remaining and let_run.
 */
import { describe, expect, it } from 'vitest';
import { catchError, makeEngine } from './helpers.js';
import { claimIn, FlowBuilder, runLane, sortedIds } from './flow-helpers.js';

describe('flows: any_of and quorum', () => {
  async function fanIn(policy: Parameters<FlowBuilder['policy']>[1], upstreams = 3) {
    const { engine } = await makeEngine();
    const f = new FlowBuilder(engine);
    const ups = f.nodes(upstreams);
    const child = f.node();
    f.policy(child, policy);
    for (const up of ups) f.edge(up, child);
    // Every upstream running, on its own worker instance.
    const handles = ups.map((_, i) => claimIn(engine, 'flow', `w-${i}`)!);
    expect(sortedIds(handles.map((h) => h.executionId))).toEqual(sortedIds(ups));
    return { engine, f, child, handles };
  }

  it('any_of + cancel_remaining: the first success runs the child and cancels the other upstreams (their handles go stale)', async () => {
    const { engine, f, child, handles } = await fanIn({ kind: 'any_of', onSatisfied: 'cancel_remaining' });
    engine.completeExecution({ handle: handles[0]! });
    expect(f.state(child)).toBe('waiting');
    for (const h of handles.slice(1)) {
      expect(f.state(h.executionId)).toBe('cancelled');
      expect(catchError(() => engine.completeExecution({ handle: h })).code).toBe('state.stale_lease');
      expect(engine.describeExecution({ executionId: h.executionId })!.attempts[0]).toMatchObject({ outcome: 'cancelled', leaseExpiresAtMs: null });
    }
    expect(f.group(child)).toMatchObject({ state: 'satisfied', total: 3, successCount: 1, failCount: 2, runningCount: 0 });
    expect(runLane(engine, 'flow')).toEqual([child]);
    expect(engine.describeFlow({ flowId: f.flowId })!.publicFlowState).toBe('completed');
  });

  it('any_of + let_run: the child runs at the first success, the other upstreams keep running', async () => {
    const { engine, f, child, handles } = await fanIn({ kind: 'any_of', onSatisfied: 'let_run' });
    engine.completeExecution({ handle: handles[1]! });
    expect(f.state(child)).toBe('waiting');
    expect(f.state(handles[0]!.executionId)).toBe('active');
    engine.failExecution({ handle: handles[0]!, reason: 'x', failureClass: 'permanent' });
    engine.completeExecution({ handle: handles[2]! });
    expect(runLane(engine, 'flow')).toEqual([child]);
    expect(f.group(child)).toMatchObject({ state: 'satisfied', successCount: 2, failCount: 1 });
    expect(engine.describeExecution({ executionId: child })!.attempts).toHaveLength(1);
  });

  it('any_of whose upstreams all fail skips the child', async () => {
    const { engine, f, child, handles } = await fanIn({ kind: 'any_of' });
    for (const handle of handles.slice(0, 2)) engine.failExecution({ handle, reason: 'x', failureClass: 'permanent' });
    expect(f.state(child)).toBe('waiting_children');
    engine.failExecution({ handle: handles[2]!, reason: 'x', failureClass: 'permanent' });
    expect(f.state(child)).toBe('skipped');
  });

  it('quorum(2) + cancel_remaining: two successes run the child and cancel the third', async () => {
    const { engine, f, child, handles } = await fanIn({ kind: 'quorum', k: 2, onSatisfied: 'cancel_remaining' });
    engine.completeExecution({ handle: handles[2]! });
    expect(f.state(child)).toBe('waiting_children');
    engine.completeExecution({ handle: handles[0]! });
    expect(f.state(child)).toBe('waiting');
    expect(f.state(handles[1]!.executionId)).toBe('cancelled');
    expect(f.group(child)).toMatchObject({ policy: { kind: 'quorum', k: 2, onSatisfied: 'cancel_remaining' }, state: 'satisfied', successCount: 2, failCount: 1 });
  });

  it('quorum(2) + let_run: the third upstream keeps running and may still complete', async () => {
    const { engine, f, child, handles } = await fanIn({ kind: 'quorum', k: 2, onSatisfied: 'let_run' });
    engine.completeExecution({ handle: handles[0]! });
    engine.completeExecution({ handle: handles[1]! });
    expect(f.state(child)).toBe('waiting');
    expect(f.state(handles[2]!.executionId)).toBe('active');
    engine.completeExecution({ handle: handles[2]! });
    expect(f.group(child)).toMatchObject({ state: 'satisfied', successCount: 3 });
  });

  it('quorum(2) becomes impossible once two of three upstreams fail', async () => {
    const { engine, f, child, handles } = await fanIn({ kind: 'quorum', k: 2 });
    engine.failExecution({ handle: handles[0]!, reason: 'x', failureClass: 'permanent' });
    expect(f.state(child)).toBe('waiting_children');
    engine.failExecution({ handle: handles[1]!, reason: 'x', failureClass: 'permanent' });
    expect(f.state(child)).toBe('skipped');
    // With the child skipped and the policy cancel_remaining, the last upstream still runs: nothing was satisfied.
    expect(f.state(handles[2]!.executionId)).toBe('active');
  });

  it('a policy set before any edge is applied gates nothing until the edges come', async () => {
    const { engine } = await makeEngine();
    const f = new FlowBuilder(engine);
    const [a, b, child] = f.nodes(3);
    expect(engine.setEdgeGroupPolicy({ flowId: f.flowId, downstreamExecutionId: child!, policy: { kind: 'quorum', k: 2 } })).toEqual({ kind: 'policy_set', groupState: 'pending' });
    expect(f.state(child!)).toBe('waiting');
    expect(engine.evaluateFlowEligibility({ executionId: child! }).status).toBe('eligible');
    f.edge(a!, child!);
    // k = 2 with one edge so far: it waits for more edges rather than being impossible.
    expect(f.state(child!)).toBe('waiting_children');
    f.edge(b!, child!);
    expect(f.group(child!)).toMatchObject({ policy: { kind: 'quorum', k: 2, onSatisfied: 'cancel_remaining' }, total: 2, state: 'pending' });
    runLane(engine, 'flow');
    expect(f.state(child!)).toBe('completed');
  });

  it('setEdgeGroupPolicy re-decides at once: all_of with one success switched to any_of runs the child', async () => {
    const { engine } = await makeEngine();
    const f = new FlowBuilder(engine);
    const [a, b, child] = f.nodes(3);
    f.edge(a!, child!);
    f.edge(b!, child!);
    const h = claimIn(engine, 'flow')!;
    engine.completeExecution({ handle: h });
    expect(f.state(child!)).toBe('waiting_children');
    expect(engine.setEdgeGroupPolicy({ flowId: f.flowId, downstreamExecutionId: child!, policy: { kind: 'any_of' } })).toEqual({ kind: 'policy_set', groupState: 'satisfied' });
    expect(f.state(child!)).toBe('waiting');
    // cancel_remaining is the default: the other upstream was cancelled.
    expect(f.state(h.executionId === a ? b! : a!)).toBe('cancelled');
  });
});
