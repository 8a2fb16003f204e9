/**
 * Flows: creation and membership, validation, gating and the completion cascade,
 * and the flow reads. any_of / quorum groups, replay and the random-DAG
 * property have files of their own (flow-*.test.ts).
 */
import { describe, expect, it } from 'vitest';
import type { Engine } from '../../src/index.js';
import { catchError, makeEngine, sameImage } from './helpers.js';
import { claimIn, completionEvents, FlowBuilder, GHOST_ID, runLane, sortedIds, undispatchedCount } from './flow-helpers.js';

const FLOW_ID = '3f1b6d2a-5c4e-4f8a-9b7c-0d1e2f3a4b5c';

describe('flows: creation, membership and the graph revision', () => {
  it('createFlow is idempotent; each member and each staged edge bumps the revision (3 members → 3, then 4, 5)', async () => {
    const { engine } = await makeEngine();
    expect(engine.createFlow({ flowId: FLOW_ID, flowKind: 'etl' })).toEqual({ kind: 'created', flowId: FLOW_ID });
    expect(engine.createFlow({ flowId: FLOW_ID, flowKind: 'other' })).toEqual({ kind: 'already_satisfied', flowId: FLOW_ID });
    const ids = [0, 1, 2].map(() => engine.createExecution({ laneId: 'l' }).executionId);
    expect(ids.map((executionId) => engine.addExecutionToFlow({ flowId: FLOW_ID, executionId }))).toEqual([
      { kind: 'added', executionId: ids[0], newNodeCount: 1, graphRevision: 1 },
      { kind: 'added', executionId: ids[1], newNodeCount: 2, graphRevision: 2 },
      { kind: 'added', executionId: ids[2], newNodeCount: 3, graphRevision: 3 },
    ]);
    expect(engine.addExecutionToFlow({ flowId: FLOW_ID, executionId: ids[2]! })).toEqual({ kind: 'already_member', executionId: ids[2], nodeCount: 3 });
    const e1 = engine.stageDependencyEdge({ flowId: FLOW_ID, upstreamExecutionId: ids[0]!, downstreamExecutionId: ids[2]!, expectedGraphRevision: 3 });
    expect(e1).toMatchObject({ kind: 'staged', newGraphRevision: 4 });
    const e2 = engine.stageDependencyEdge({ flowId: FLOW_ID, upstreamExecutionId: ids[1]!, downstreamExecutionId: ids[2]!, expectedGraphRevision: 4 });
    expect(e2.newGraphRevision).toBe(5);
    // A staged edge gates nothing until it is applied.
    expect(engine.readExecutionState({ executionId: ids[2]! })).toBe('waiting');
    expect(engine.applyDependencyToChild({ flowId: FLOW_ID, edgeId: e1.edgeId })).toEqual({ kind: 'applied', unsatisfiedCount: 1, groupState: 'pending' });
    expect(engine.applyDependencyToChild({ flowId: FLOW_ID, edgeId: e1.edgeId })).toEqual({ kind: 'already_applied' });
    expect(engine.applyDependencyToChild({ flowId: FLOW_ID, edgeId: e2.edgeId })).toEqual({ kind: 'applied', unsatisfiedCount: 2, groupState: 'pending' });
    expect(engine.describeFlow({ flowId: FLOW_ID })).toMatchObject({ flowKind: 'etl', graphRevision: 5, nodeCount: 3, edgeCount: 2, publicFlowState: 'open' });
  });

  it('createExecution({ flowId }) creates a member in one transaction and reports the revision', async () => {
    const { engine } = await makeEngine();
    const { flowId } = engine.createFlow();
    expect(engine.createExecution({ laneId: 'l', flowId })).toMatchObject({ kind: 'created', publicState: 'waiting', graphRevision: 1 });
    const before = engine.exportImage();
    expect(catchError(() => engine.createExecution({ laneId: 'l', flowId: FLOW_ID }))).toMatchObject({ code: 'not_found', details: { entity: 'flow' } });
    expect(sameImage(engine.exportImage(), before)).toBe(true);
  });

  it('membership errors: unknown flow or execution, another flow, an ended flow', async () => {
    const { engine } = await makeEngine();
    const a = new FlowBuilder(engine);
    const b = new FlowBuilder(engine);
    const x = a.node();
    expect(catchError(() => engine.addExecutionToFlow({ flowId: FLOW_ID, executionId: x }))).toMatchObject({ code: 'not_found', details: { entity: 'flow' } });
    expect(catchError(() => engine.addExecutionToFlow({ flowId: a.flowId, executionId: GHOST_ID }))).toMatchObject({ code: 'not_found', details: { entity: 'execution' } });
    expect(catchError(() => engine.addExecutionToFlow({ flowId: b.flowId, executionId: x }))).toMatchObject({
      code: 'validation.invalid_input',
      details: { field: 'executionId', reason: 'already_member_of_different_flow', otherFlowId: a.flowId },
    });
    runLane(engine, 'flow');
    expect(engine.describeFlow({ flowId: a.flowId })!.publicFlowState).toBe('completed');
    // A completed flow can be extended: new work reopens it.
    const late = engine.createExecution({ laneId: 'flow' }).executionId;
    expect(engine.addExecutionToFlow({ flowId: a.flowId, executionId: late })).toMatchObject({ kind: 'added', newNodeCount: 2 });
    expect(engine.describeFlow({ flowId: a.flowId })).toMatchObject({ publicFlowState: 'running', terminalAtMs: null });
    // A cancelled one cannot.
    engine.cancelFlow({ flowId: b.flowId });
    const later = engine.createExecution({ laneId: 'flow' }).executionId;
    const before = engine.exportImage();
    expect(catchError(() => engine.addExecutionToFlow({ flowId: b.flowId, executionId: later }))).toMatchObject({
      code: 'validation.invalid_input',
      details: { field: 'flowId', reason: 'flow_already_terminal' },
    });
    expect(catchError(() => engine.createExecution({ laneId: 'flow', flowId: b.flowId })).details['reason']).toBe('flow_already_terminal');
    expect(sameImage(engine.exportImage(), before)).toBe(true);
  });

  it('a stale graph revision is contention.stale_graph_revision and writes nothing', async () => {
    const { engine } = await makeEngine();
    const f = new FlowBuilder(engine);
    const [up, down] = f.nodes(2);
    const before = engine.exportImage();
    const err = catchError(() => engine.stageDependencyEdge({ flowId: f.flowId, upstreamExecutionId: up!, downstreamExecutionId: down!, expectedGraphRevision: 99 }));
    expect(err).toMatchObject({ code: 'contention.stale_graph_revision', details: { expectedGraphRevision: 99, currentGraphRevision: 2 } });
    expect(sameImage(engine.exportImage(), before)).toBe(true);
  });

  it('staging or applying an edge to a child that has started is contention.execution_not_eligible', async () => {
    const { engine } = await makeEngine();
    const f = new FlowBuilder(engine);
    const running = f.node({ priority: 10 });
    const [up, other] = f.nodes(2);
    const edge = f.edge(other!, running, false);
    expect(claimIn(engine, 'flow')!.executionId).toBe(running);
    const before = engine.exportImage();
    expect(catchError(() => f.edge(up!, running))).toMatchObject({
      code: 'contention.execution_not_eligible',
      details: { field: 'downstreamExecutionId', executionId: running, publicState: 'active' },
    });
    expect(catchError(() => engine.applyDependencyToChild({ flowId: f.flowId, edgeId: edge }))).toMatchObject({ code: 'contention.execution_not_eligible' });
    expect(catchError(() => engine.setEdgeGroupPolicy({ flowId: f.flowId, downstreamExecutionId: running, policy: { kind: 'any_of' } })).code).toBe(
      'contention.execution_not_eligible',
    );
    expect(sameImage(engine.exportImage(), before)).toBe(true);
  });
});

describe('flows: validation errors name the field and write nothing', () => {
  const cases: Array<[string, (engine: Engine, f: FlowBuilder, ids: string[]) => unknown, string, string?]> = [
    ['self-referencing edge', (e, f, [a]) => e.stageDependencyEdge({ flowId: f.flowId, upstreamExecutionId: a!, downstreamExecutionId: a!, expectedGraphRevision: f.revision }), 'downstreamExecutionId'],
    ['flow id that is not a uuid', (e) => e.createFlow({ flowId: 'flow-1' }), 'flowId'],
    ['unknown dependency kind', (e, f, [a, b]) => e.stageDependencyEdge({ flowId: f.flowId, upstreamExecutionId: a!, downstreamExecutionId: b!, expectedGraphRevision: f.revision, dependencyKind: 'any' as never }), 'dependencyKind'],
    ['negative graph revision', (e, f, [a, b]) => e.stageDependencyEdge({ flowId: f.flowId, upstreamExecutionId: a!, downstreamExecutionId: b!, expectedGraphRevision: -1 }), 'expectedGraphRevision'],
    ['edge to an execution outside the flow', (e, f, [a, , , outsider]) => e.stageDependencyEdge({ flowId: f.flowId, upstreamExecutionId: a!, downstreamExecutionId: outsider!, expectedGraphRevision: f.revision }), 'downstreamExecutionId', 'execution_not_in_flow'],
    ['an edge that closes a cycle', (e, f, [a, , c]) => e.stageDependencyEdge({ flowId: f.flowId, upstreamExecutionId: c!, downstreamExecutionId: a!, expectedGraphRevision: f.revision }), 'upstreamExecutionId', 'cycle_detected'],
    ['a second edge between the same pair', (e, f, [a, b]) => e.stageDependencyEdge({ flowId: f.flowId, upstreamExecutionId: a!, downstreamExecutionId: b!, expectedGraphRevision: f.revision }), 'upstreamExecutionId', 'dependency_already_exists'],
    ['a reused edge id', (e, f, [a, , c]) => e.stageDependencyEdge({ flowId: f.flowId, edgeId: e.listEdges({ flowId: f.flowId }).edges[0]!.edgeId, upstreamExecutionId: a!, downstreamExecutionId: c!, expectedGraphRevision: f.revision }), 'edgeId', 'dependency_already_exists'],
    ['quorum with k = 0', (e, f, [, b]) => e.setEdgeGroupPolicy({ flowId: f.flowId, downstreamExecutionId: b!, policy: { kind: 'quorum', k: 0 } }), 'policy.k'],
    ['unknown group policy', (e, f, [, b]) => e.setEdgeGroupPolicy({ flowId: f.flowId, downstreamExecutionId: b!, policy: { kind: 'majority' } as never }), 'policy.kind'],
    ['unknown onSatisfied', (e, f, [, b]) => e.setEdgeGroupPolicy({ flowId: f.flowId, downstreamExecutionId: b!, policy: { kind: 'any_of', onSatisfied: 'kill' as never } }), 'policy.onSatisfied'],
    ['unknown cancel policy', (e, f) => e.cancelFlow({ flowId: f.flowId, policy: 'cancel_everything' as never }), 'policy'],
    ['garbage listFlows cursor', (e) => e.listFlows({ cursor: '!!!' }), 'cursor'],
    ['unknown listEdges direction', (e, f) => e.listEdges({ flowId: f.flowId, direction: 'sideways' as never }), 'direction'],
    ['unknown key (typo)', (e, f) => e.cancelFlow({ flowId: f.flowId, polcy: 'cancel_all' } as never), '(input)'],
    ['createExecution with a malformed flow id', (e) => e.createExecution({ laneId: 'l', flowId: 'nope' }), 'flowId'],
    ['cancelExecution with a malformed id', (e) => e.cancelExecution({ executionId: 'nope', reason: 'x' }), 'executionId'],
    ['replay with a malformed id', (e) => e.replayExecution({ executionId: '{fp:0}:nope' }), 'executionId'],
  ];

  for (const [label, fn, field, reason] of cases) {
    it(label, async () => {
      const { engine } = await makeEngine();
      const f = new FlowBuilder(engine);
      const ids = f.nodes(3);
      f.edge(ids[0]!, ids[1]!);
      f.edge(ids[1]!, ids[2]!);
      ids.push(engine.createExecution({ laneId: 'outside' }).executionId);
      const before = engine.exportImage();
      const err = catchError(() => fn(engine, f, ids));
      expect(err.code).toBe('validation.invalid_input');
      expect(err.details['field']).toBe(field);
      if (reason) expect(err.details['reason']).toBe(reason);
      expect(sameImage(engine.exportImage(), before)).toBe(true);
    });
  }
});

describe('flows: gating and the completion cascade', () => {
  it('a child with an unsatisfied edge is waiting_children, cannot be claimed, and evaluates as blocked', async () => {
    const { engine } = await makeEngine();
    const f = new FlowBuilder(engine);
    const [up, down] = f.nodes(2);
    f.edge(up!, down!);
    expect(engine.readExecutionInfo({ executionId: down! })!.stateVector).toMatchObject({
      lifecyclePhase: 'runnable',
      eligibilityState: 'blocked_by_dependencies',
      blockingReason: 'waiting_for_children',
      publicState: 'waiting_children',
    });
    expect(engine.evaluateFlowEligibility({ executionId: down! })).toEqual({ status: 'blocked_by_dependencies', groupState: 'pending' });
    const handle = claimIn(engine, 'flow')!;
    expect(handle.executionId).toBe(up);
    expect(engine.evaluateFlowEligibility({ executionId: up! })).toEqual({ status: 'not_runnable', groupState: null });
    expect(claimIn(engine, 'flow')).toBeNull();
    engine.completeExecution({ handle });
    expect(engine.evaluateFlowEligibility({ executionId: down! })).toEqual({ status: 'eligible', groupState: 'satisfied' });
    expect(engine.readExecutionState({ executionId: down! })).toBe('waiting');
    expect(engine.evaluateFlowEligibility({ executionId: GHOST_ID })).toEqual({ status: 'not_found', groupState: null });
    expect(engine.evaluateFlowEligibility({ executionId: engine.createExecution({ laneId: 'solo' }).executionId }).status).toBe('eligible');
  });

  it('a diamond runs to completion through claim and completeExecution alone', async () => {
    const { engine } = await makeEngine();
    const f = new FlowBuilder(engine);
    const [a, b, c, d] = f.nodes(4);
    f.edge(a!, b!);
    f.edge(a!, c!);
    f.edge(b!, d!);
    f.edge(c!, d!);
    expect(engine.describeFlow({ flowId: f.flowId })!.countsByState).toEqual({ waiting: 1, waiting_children: 3 });
    const ran = runLane(engine, 'flow');
    expect(ran[0]).toBe(a);
    expect(sortedIds(ran.slice(1, 3))).toEqual(sortedIds([b, c]));
    expect(ran[3]).toBe(d);
    const flow = engine.describeFlow({ flowId: f.flowId })!;
    expect(flow).toMatchObject({ publicFlowState: 'completed', countsByState: { completed: 4 }, terminalAtMs: engine.now() });
    expect(flow.groups.find((g) => g.downstreamExecutionId === d)).toMatchObject({ state: 'satisfied', total: 2, successCount: 2, runningCount: 0 });
    expect(flow.edges.every((e) => e.edgeState === 'satisfied')).toBe(true);
    expect(undispatchedCount(engine)).toBe(0);
  });

  it('a 10-node chain runs in order, one claimable node at a time', async () => {
    const { engine } = await makeEngine();
    const f = new FlowBuilder(engine);
    const chain = f.nodes(10);
    for (let i = 1; i < chain.length; i++) f.edge(chain[i - 1]!, chain[i]!);
    const ran: string[] = [];
    for (let handle = claimIn(engine, 'flow'); handle; handle = claimIn(engine, 'flow')) {
      expect(claimIn(engine, 'flow', 'other-instance')).toBeNull();
      if (ran.length === 0) expect(engine.describeFlow({ flowId: f.flowId })!.publicFlowState).toBe('running');
      engine.completeExecution({ handle });
      ran.push(handle.executionId);
    }
    expect(ran).toEqual(chain);
    expect(engine.describeFlow({ flowId: f.flowId })!.publicFlowState).toBe('completed');
  });

  it('a failed upstream skips its whole downstream subtree, transitively, and the flow fails', async () => {
    const { engine } = await makeEngine();
    const f = new FlowBuilder(engine);
    // a → b → c → d and b → e; g stands alone.
    const a = f.node({ priority: 10 });
    const [b, c, d, e, g] = f.nodes(5);
    f.edge(a, b!);
    f.edge(b!, c!);
    f.edge(c!, d!);
    f.edge(b!, e!);
    const handle = claimIn(engine, 'flow')!;
    expect(handle.executionId).toBe(a);
    expect(engine.failExecution({ handle, reason: 'boom', failureClass: 'permanent' }).kind).toBe('terminal_failed');
    for (const id of [b, c, d, e]) {
      expect(engine.readExecutionState({ executionId: id! })).toBe('skipped');
      expect(completionEvents(engine, id!)).toEqual([{ outcome: 'skipped', dispatched: true }]);
    }
    expect(engine.describeFlow({ flowId: f.flowId })!.publicFlowState).toBe('running');
    expect(runLane(engine, 'flow')).toEqual([g]);
    const flow = engine.describeFlow({ flowId: f.flowId })!;
    expect(flow.countsByState).toEqual({ failed: 1, skipped: 4, completed: 1 });
    // d and e are sinks that did not complete.
    expect(flow.publicFlowState).toBe('failed');
    expect(flow.groups.find((x) => x.downstreamExecutionId === b)).toMatchObject({ state: 'impossible', failCount: 1 });
    expect(flow.groups.find((x) => x.downstreamExecutionId === c)).toMatchObject({ state: 'impossible', skipCount: 1 });
    expect(undispatchedCount(engine)).toBe(0);
  });

  it('an edge applied after its upstream ended resolves at once', async () => {
    const { engine } = await makeEngine();
    const f = new FlowBuilder(engine);
    const done = f.node({ priority: 10 });
    const failed = f.node({ priority: 5 });
    engine.completeExecution({ handle: claimIn(engine, 'flow')! });
    engine.failExecution({ handle: claimIn(engine, 'flow')!, reason: 'x', failureClass: 'permanent' });
    expect([f.state(done), f.state(failed)]).toEqual(['completed', 'failed']);
    const [child, other] = f.nodes(2);
    f.edge(done, child!);
    expect(f.state(child!)).toBe('waiting');
    expect(f.group(child!)).toMatchObject({ state: 'satisfied', successCount: 1, runningCount: 0 });
    f.edge(failed, other!);
    expect(f.state(other!)).toBe('skipped');
    expect(completionEvents(engine, other!)).toEqual([{ outcome: 'skipped', dispatched: true }]);
  });

  it('a child with its own delayUntil is delayed, not claimable, when its group is satisfied early', async () => {
    const { engine, clock } = await makeEngine();
    const f = new FlowBuilder(engine);
    const up = f.node();
    const down = f.node({ delayUntil: clock.now() + 10_000 });
    f.edge(up, down);
    expect(engine.readExecutionState({ executionId: down })).toBe('waiting_children');
    runLane(engine, 'flow');
    expect(engine.readExecutionState({ executionId: down })).toBe('delayed');
    clock.advance(10_000);
    expect(runLane(engine, 'flow')).toEqual([down]);
  });
});

describe('flows: reads', () => {
  it('describeFlow, listFlows (paginated, by namespace), listEdges and describeEdge', async () => {
    const { engine } = await makeEngine();
    const f = new FlowBuilder(engine, 'flow', 'team-a');
    const [a, b, c] = f.nodes(3);
    const ab = f.edge(a!, b!);
    const bc = f.edge(b!, c!, false);
    new FlowBuilder(engine, 'flow', 'team-b');
    new FlowBuilder(engine, 'flow', 'team-a');

    const flow = engine.describeFlow({ flowId: f.flowId })!;
    expect(flow).toMatchObject({
      namespace: 'team-a',
      publicFlowState: 'open',
      nodeCount: 3,
      edgeCount: 2,
      graphRevision: 5,
      cancellationPolicy: null,
      cancelBacklog: null,
      countsByState: { waiting: 2, waiting_children: 1 },
    });
    expect(flow.members.map((m) => m.executionId)).toEqual([a, b, c]);
    expect(flow.edges.map((e) => [e.edgeId, e.edgeState, e.appliedAtMs !== null])).toEqual([
      [ab, 'pending', true],
      [bc, 'pending', false],
    ]);
    expect(flow.groups).toEqual([
      { downstreamExecutionId: b, policy: { kind: 'all_of' }, state: 'pending', total: 1, successCount: 0, failCount: 0, skipCount: 0, runningCount: 1, resolvedAtMs: null },
    ]);
    expect(engine.describeFlow({ flowId: FLOW_ID })).toBeNull();

    const page1 = engine.listFlows({ limit: 2 });
    expect(page1.flows).toHaveLength(2);
    const page2 = engine.listFlows({ limit: 2, cursor: page1.nextCursor! });
    expect(page2).toMatchObject({ nextCursor: null });
    expect(page2.flows).toHaveLength(1);
    expect(engine.listFlows({ namespace: 'team-a' }).flows.map((x) => x.namespace)).toEqual(['team-a', 'team-a']);

    expect(engine.listEdges({ flowId: f.flowId }).edges.map((e) => e.edgeId)).toEqual([ab, bc]);
    expect(engine.listEdges({ flowId: f.flowId, executionId: b!, direction: 'incoming' }).edges.map((e) => e.edgeId)).toEqual([ab]);
    expect(engine.listEdges({ flowId: f.flowId, executionId: b!, direction: 'outgoing' }).edges.map((e) => e.edgeId)).toEqual([bc]);
    expect(engine.listEdges({ flowId: f.flowId, executionId: b! }).edges).toHaveLength(2);
    expect(engine.describeEdge({ flowId: f.flowId, edgeId: ab })).toMatchObject({
      upstreamExecutionId: a,
      downstreamExecutionId: b,
      dependencyKind: 'success_only',
      edgeState: 'pending',
    });
    expect(engine.describeEdge({ flowId: f.flowId, edgeId: FLOW_ID })).toBeNull();
    expect(engine.readExecutionInfo({ executionId: a! })!.flowId).toBe(f.flowId);
  });
});
