/**
 * replayExecution inside a flow: reviving a failed upstream and its skipped
 * subtree, re-blocking dependents, and what cannot be replayed.
 */
import { describe, expect, it } from 'vitest';
import { catchError, makeEngine, rows, sameImage, WORKER } from './helpers.js';
import { claimIn, FlowBuilder, GHOST_ID, runLane } from './flow-helpers.js';

describe('flows: replayExecution', () => {
  it('reviving a failed upstream and its skipped subtree: the skipped member\'s group counters are reset, in either order', async () => {
    const { engine } = await makeEngine();
    const f = new FlowBuilder(engine);
    const [a, b, c] = f.nodes(3);
    f.edge(a!, b!);
    f.edge(b!, c!);
    engine.failExecution({ handle: claimIn(engine, 'flow')!, reason: 'x', failureClass: 'permanent' });
    expect([f.state(b!), f.state(c!)]).toEqual(['skipped', 'skipped']);
    expect(engine.describeFlow({ flowId: f.flowId })!.publicFlowState).toBe('failed');

    // b's upstream is still failed: replaying b first is refused, and writes nothing.
    const before = engine.exportImage();
    expect(catchError(() => engine.replayExecution({ executionId: b! }))).toMatchObject({
      code: 'contention.execution_not_eligible',
      details: { reason: 'dependencies_impossible', upstreamExecutionIds: [a] },
    });
    expect(sameImage(engine.exportImage(), before)).toBe(true);

    // Replay a: its failure is taken back from b's group.
    expect(engine.replayExecution({ executionId: a! })).toEqual({ kind: 'replayed', executionId: a, publicState: 'waiting', branch: 'normal', groupsReset: 1 });
    expect(f.group(b!)).toMatchObject({ state: 'pending', failCount: 0, runningCount: 1 });
    expect(engine.describeFlow({ flowId: f.flowId })!.publicFlowState).toBe('running');
    // b can be replayed now, before a has run: it waits for a.
    expect(engine.replayExecution({ executionId: b! })).toEqual({
      kind: 'replayed',
      executionId: b,
      publicState: 'waiting_children',
      branch: 'skipped_flow_member',
      groupsReset: 1,
    });
    expect(f.group(c!)).toMatchObject({ state: 'pending', skipCount: 0, runningCount: 1 });
    expect(runLane(engine, 'flow')).toEqual([a, b]);
    expect(engine.describeExecution({ executionId: a! })!.attempts.map((x) => x.attemptType)).toEqual(['initial', 'replay']);
    // c was skipped and is still; its group is satisfied now, so a replay makes it claimable at once.
    expect(f.state(c!)).toBe('skipped');
    expect(engine.replayExecution({ executionId: c! })).toMatchObject({ publicState: 'waiting', branch: 'skipped_flow_member', groupsReset: 0 });
    expect(runLane(engine, 'flow')).toEqual([c]);
    expect(engine.describeFlow({ flowId: f.flowId })!.publicFlowState).toBe('completed');
    expect(f.group(b!)).toMatchObject({ successCount: 1, failCount: 0, skipCount: 0, runningCount: 0 });
    expect(rows(engine, `SELECT event_type FROM ff_operator_event WHERE event_type = 'replayed'`)).toHaveLength(3);
  });

  it('replaying a completed upstream re-blocks a dependent that has not started', async () => {
    const { engine } = await makeEngine();
    const f = new FlowBuilder(engine);
    const [a, b] = f.nodes(2);
    f.edge(a!, b!);
    engine.completeExecution({ handle: claimIn(engine, 'flow')! });
    expect(f.state(b!)).toBe('waiting');
    engine.replayExecution({ executionId: a! });
    expect(f.state(b!)).toBe('waiting_children');
    expect(runLane(engine, 'flow')).toEqual([a, b]);
  });

  it('only an ended execution can be replayed', async () => {
    const { engine } = await makeEngine();
    const id = engine.createExecution({ laneId: 'l' }).executionId;
    expect(catchError(() => engine.replayExecution({ executionId: id })).code).toBe('state.execution_not_terminal');
    expect(catchError(() => engine.replayExecution({ executionId: GHOST_ID })).code).toBe('not_found');
    const handle = engine.claim({ laneId: 'l', ...WORKER })!;
    engine.completeExecution({ handle, result: 'r' });
    expect(engine.replayExecution({ executionId: id })).toMatchObject({ publicState: 'waiting', branch: 'normal', groupsReset: 0 });
    expect(engine.getExecutionResult({ executionId: id })).toBeNull();
    expect(catchError(() => engine.completeExecution({ handle })).code).toBe('state.stale_lease');
  });
});
