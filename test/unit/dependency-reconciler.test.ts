import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Engine } from '../../src/index.js';
import { dispatchCompletion } from '../../src/engine/flows/dispatch-completion.js';
import type { ScannerOptions } from '../../src/scanners/build-scanners.js';
import type { ScannerReport } from '../../src/scanners/scanner.js';
import { makeEngine, rows, scannerContext } from './helpers.js';
import { claimIn, completionEvents, FlowBuilder, runLane, undispatchedCount } from './flow-helpers.js';

/** A fault switch for the beforeDispatch hook: `failOn(n)` fails the n-th dispatch from now; `always` fails each one. */
function faults() {
  const state = { calls: 0, failAt: -1, always: false, seen: [] as number[] };
  return {
    state,
    failOn(n: number) {
      state.failAt = state.calls + n;
    },
    hooks: {
      beforeDispatch(eventId: number) {
        state.calls++;
        state.seen.push(eventId);
        if (state.always || state.calls === state.failAt) throw new Error(`injected fault at event ${eventId}`);
      },
    },
  };
}

async function engineWithFaults(scanners: ScannerOptions | false = {}) {
  const fault = faults();
  const { engine, clock } = await makeEngine({ scanners, hooks: fault.hooks });
  const reports: ScannerReport[] = [];
  engine.onScannerReport((r) => {
    if (r.scanner === 'dependency_reconciler') reports.push(r);
  });
  return { engine, clock, fault, reports };
}

function eventIdOf(engine: Engine, executionId: string): number {
  return rows<{ event_id: number }>(engine, `SELECT event_id FROM ff_completion_event WHERE execution_id = '${executionId}' ORDER BY event_id DESC LIMIT 1`)[0]!
    .event_id;
}

describe('dependency reconciler', () => {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  afterEach(() => warn.mockClear());

  it('an interrupted dispatch leaves the operation committed and is finished by the reconciler: nothing lost, nothing twice', async () => {
    const { engine, clock, fault, reports } = await engineWithFaults();
    const f = new FlowBuilder(engine);
    const [a, b] = f.nodes(2);
    f.edge(a!, b!);
    const handle = claimIn(engine, 'flow')!;
    const committedAt = clock.now();
    fault.failOn(1);
    expect(engine.completeExecution({ handle })).toMatchObject({ kind: 'completed' });
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('dispatch of completion event'), expect.any(Error));

    // The completion stands; its dispatch rolled back whole.
    expect(f.state(a!)).toBe('completed');
    expect(completionEvents(engine, a!)).toEqual([{ outcome: 'success', dispatched: false }]);
    expect(f.state(b!)).toBe('waiting_children');
    expect(f.group(b!)).toMatchObject({ successCount: 0, runningCount: 1 });
    expect(claimIn(engine, 'flow')).toBeNull();

    // The reconciler leaves it alone for its 1 s threshold, then takes it.
    expect(engine.nextDue({ scanner: 'dependency_reconciler' })).toEqual({ at: committedAt + 1_000, scanner: 'dependency_reconciler' });
    engine.advanceTime({ ms: 999 });
    expect(reports).toEqual([]);
    engine.advanceTime({ ms: 1 });
    expect(reports).toEqual([
      { scanner: 'dependency_reconciler', at: committedAt + 1_000, processed: 1, errors: 0, details: { scanned: 1, reconciled: 1, noop: 0, filtered: 0 } },
    ]);
    expect(undispatchedCount(engine)).toBe(0);
    expect(f.group(b!)).toMatchObject({ state: 'satisfied', successCount: 1, failCount: 0, runningCount: 0 });

    // The child runs exactly once, and the flow completes.
    expect(runLane(engine, 'flow')).toEqual([b]);
    expect(engine.describeExecution({ executionId: b! })!.attempts).toHaveLength(1);
    expect(engine.describeFlow({ flowId: f.flowId })!.publicFlowState).toBe('completed');
    const aEvent = eventIdOf(engine, a!);
    expect(fault.state.seen.filter((id) => id === aEvent)).toHaveLength(2); // the failed try and the reconciler's
    engine.advanceTime({ ms: 60_000 });
    expect(reports).toHaveLength(1); // nothing left: no more reconciler ticks
  });

  it('a cascade interrupted mid-way (depth 3) drains in one tick: the reconciler dispatch cascades too', async () => {
    const { engine, fault, reports } = await engineWithFaults();
    const f = new FlowBuilder(engine);
    const chain = f.nodes(4);
    for (let i = 1; i < 4; i++) f.edge(chain[i - 1]!, chain[i]!);
    fault.failOn(2); // a's dispatch succeeds (b skipped); b's skip event fails to dispatch
    engine.failExecution({ handle: claimIn(engine, 'flow')!, reason: 'x', failureClass: 'permanent' });
    expect(chain.map((id) => f.state(id))).toEqual(['failed', 'skipped', 'waiting_children', 'waiting_children']);
    expect(undispatchedCount(engine)).toBe(1);
    engine.advanceTime({ ms: 1_000 });
    expect(reports.map((r) => r.details)).toEqual([{ scanned: 1, reconciled: 1, noop: 0, filtered: 0 }]);
    expect(chain.map((id) => f.state(id))).toEqual(['failed', 'skipped', 'skipped', 'skipped']);
    expect(engine.describeFlow({ flowId: f.flowId })!.publicFlowState).toBe('failed');
    expect(undispatchedCount(engine)).toBe(0);
  });

  it('a dispatch that fails in a tick is counted as an error and retried by the next tick', async () => {
    const { engine, fault, reports } = await engineWithFaults();
    const f = new FlowBuilder(engine);
    const [a, b] = f.nodes(2);
    f.edge(a!, b!);
    fault.state.always = true;
    engine.completeExecution({ handle: claimIn(engine, 'flow')! });
    engine.advanceTime({ ms: 1_000 });
    expect(reports[0]).toMatchObject({ processed: 0, errors: 1, details: { scanned: 1, reconciled: 0 } });
    fault.state.always = false;
    engine.advanceTime({ ms: 1_000 });
    expect(reports[1]).toMatchObject({ processed: 1, errors: 0 });
    expect(f.state(b!)).toBe('waiting');
  });

  it('a namespace filter leaves other namespaces alone and counts them as filtered', async () => {
    const { engine, fault, reports } = await engineWithFaults({ dependencyReconciler: { namespace: 'team-a' } });
    const fa = new FlowBuilder(engine, 'a');
    const fb = new FlowBuilder(engine, 'b');
    const [a1, a2] = fa.nodes(2, { namespace: 'team-a' });
    const [b1, b2] = fb.nodes(2, { namespace: 'team-b' });
    fa.edge(a1!, a2!);
    fb.edge(b1!, b2!);
    fault.state.always = true;
    engine.completeExecution({ handle: claimIn(engine, 'a')! });
    engine.completeExecution({ handle: claimIn(engine, 'b')! });
    fault.state.always = false;
    engine.advanceTime({ ms: 1_000 });
    expect(reports.map((r) => r.details)).toEqual([{ scanned: 2, reconciled: 1, noop: 0, filtered: 1 }]);
    expect([fa.state(a2!), fb.state(b2!)]).toEqual(['waiting', 'waiting_children']);
    // The filtered event never wakes this reconciler again.
    expect(engine.nextDue({ scanner: 'dependency_reconciler' })).toBeNull();
    expect(undispatchedCount(engine)).toBe(1);
  });

  it('an instance-tag filter matches the cairn.instance_id tag; the staleness threshold is configurable', async () => {
    const { engine, clock, fault, reports } = await engineWithFaults({ dependencyReconciler: { instanceTag: 'tenant-7', staleThresholdMs: 5_000 } });
    const f = new FlowBuilder(engine);
    const [a, b] = f.nodes(2, { tags: { 'cairn.instance_id': 'tenant-7' } });
    f.edge(a!, b!);
    fault.state.always = true;
    engine.completeExecution({ handle: claimIn(engine, 'flow')! });
    fault.state.always = false;
    expect(engine.nextDue({ scanner: 'dependency_reconciler' })!.at).toBe(clock.now() + 5_000);
    engine.advanceTime({ ms: 4_999 });
    expect(f.state(b!)).toBe('waiting_children');
    engine.advanceTime({ ms: 1 });
    expect(reports.map((r) => r.details)).toEqual([{ scanned: 1, reconciled: 1, noop: 0, filtered: 0 }]);
    expect(f.state(b!)).toBe('waiting');
  });

  it('dispatch is exactly once: a second dispatch of the same event is a no-op', async () => {
    const { engine, fault } = await engineWithFaults(false);
    const f = new FlowBuilder(engine);
    const [a, b] = f.nodes(2);
    f.edge(a!, b!);
    fault.failOn(1);
    engine.completeExecution({ handle: claimIn(engine, 'flow')! });
    const eventId = eventIdOf(engine, a!);
    // Two dispatchers racing for one event, as two transactions on the same database.
    const ctx = scannerContext(engine);
    const first = engine.driver.transaction(() => dispatchCompletion(ctx, eventId, engine.now()));
    const second = engine.driver.transaction(() => dispatchCompletion(ctx, eventId, engine.now()));
    expect([first, second]).toEqual([{ kind: 'advanced', hops: 1 }, { kind: 'noop' }]);
    expect(f.group(b!)).toMatchObject({ state: 'satisfied', total: 1, successCount: 1, runningCount: 0 });
  });

  it('a stale event (its execution was replayed meanwhile) does not move the graph', async () => {
    const { engine, fault, reports } = await engineWithFaults();
    const f = new FlowBuilder(engine);
    const [a, b] = f.nodes(2);
    f.edge(a!, b!);
    fault.failOn(1);
    engine.failExecution({ handle: claimIn(engine, 'flow')!, reason: 'x', failureClass: 'permanent' });
    expect(f.state(b!)).toBe('waiting_children'); // the failure was never dispatched
    engine.replayExecution({ executionId: a! });
    engine.advanceTime({ ms: 1_000 });
    expect(reports.map((r) => r.details)).toEqual([{ scanned: 1, reconciled: 1, noop: 0, filtered: 0 }]);
    expect(f.state(b!)).toBe('waiting_children'); // not skipped by the old failure
    expect(runLane(engine, 'flow')).toEqual([a, b]);
  });
});
