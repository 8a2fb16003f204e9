/**
 * Parity with FlowFabric's own tests and the gaps an independent check
 * found: reportUsageAdmin on a budget never created, the lease event a
 * worker's own ending writes, evaluateFlowEligibility while a dispatch is
 * pending, and a cancelled flow's member handing itself back with delay().
 */
import { describe, expect, it } from 'vitest';
import type { Engine, Handle, LeaseEventType } from '../../src/index.js';
import { FlowBuilder } from './flow-helpers.js';
import { catchError, makeEngine, rows, WORKER } from './helpers.js';

describe('reportUsageAdmin on a budget never created', () => {
  it('is ok with no limits, applies the increments, and they count once the budget is created', async () => {
    const { engine } = await makeEngine();
    expect(engine.reportUsageAdmin({ budgetId: 'later', usage: { tokens: 40, calls: 1 } })).toEqual({ kind: 'ok' });
    expect(engine.reportUsageAdmin({ budgetId: 'later', usage: { tokens: 100 }, dedupKey: 'k1' })).toEqual({ kind: 'ok' });
    expect(engine.reportUsageAdmin({ budgetId: 'later', usage: { tokens: 100 }, dedupKey: 'k1' })).toEqual({ kind: 'already_applied', original: { kind: 'ok' } });
    expect(rows(engine, `SELECT dimensions_key, current_value, hard_limit FROM ff_budget_usage WHERE budget_id = 'later' ORDER BY 1`)).toEqual([
      { dimensions_key: 'calls', current_value: 1, hard_limit: null },
      { dimensions_key: 'tokens', current_value: 140, hard_limit: null },
    ]);
    // Not a budget yet: reads still say so, and no breach event was written.
    expect(catchError(() => engine.getBudgetStatus({ budgetId: 'later' }))).toMatchObject({ code: 'not_found' });
    expect(engine.listBudgets().budgets).toEqual([]);
    expect(rows(engine, 'SELECT COUNT(*) AS n FROM ff_budget_event')).toEqual([{ n: 0 }]);

    expect(engine.createBudget({ budgetId: 'later', dimensions: [{ name: 'tokens', hardLimit: 150, softLimit: 100 }], resetIntervalMs: 60_000 }).kind).toBe('created');
    expect(engine.getBudgetStatus({ budgetId: 'later' })).toMatchObject({ usage: { tokens: 140, calls: 1 }, hardLimits: { tokens: 150 } });
    expect(engine.reportUsageAdmin({ budgetId: 'later', usage: { tokens: 20 } })).toMatchObject({ kind: 'hard_breach', dimension: 'tokens', hardLimit: 150 });
  });

  it('reportUsage and recordSpend still refuse a budget nobody created', async () => {
    const { engine } = await makeEngine();
    const id = engine.createExecution({ laneId: 'l' }).executionId;
    const handle = engine.claim({ laneId: 'l', ...WORKER })!;
    expect(catchError(() => engine.reportUsage({ handle, budgetId: 'nope', usage: { x: 1 } }))).toMatchObject({ code: 'not_found' });
    expect(catchError(() => engine.recordSpend({ budgetId: 'nope', executionId: id, usage: { x: 1 }, idempotencyKey: 'k' }))).toMatchObject({ code: 'not_found' });
  });
});

describe("lease event names: 'released' where FlowFabric writes 'revoked'", () => {
  /** The mapping docs/guide.md documents: our name → FlowFabric's, by who ended the lease. */
  const MAPPING: Array<[string, LeaseEventType, string]> = [
    ['completeExecution', 'released', 'revoked'],
    ['failExecution (final)', 'released', 'revoked'],
    ['failExecution (retry)', 'released', 'revoked'],
    ['delay', 'released', '(no SQLite delay)'],
    ['cancelExecution', 'revoked', 'revoked'],
    ['revokeLease', 'revoked', 'revoked'],
  ];

  function lastLeaseEvent(engine: Engine, id: string): string {
    return rows<{ event_type: string }>(engine, `SELECT event_type FROM ff_lease_event WHERE execution_id = '${id}' ORDER BY event_id DESC LIMIT 1`)[0]!.event_type;
  }

  it('a worker ending its own lease writes released; an operator taking it writes revoked', async () => {
    const { engine, clock } = await makeEngine();
    const ended: Record<string, string> = {};
    const run = (name: string, end: (handle: Handle, id: string) => void, extra: object = {}) => {
      const id = engine.createExecution({ laneId: name, ...extra }).executionId;
      end(engine.claim({ laneId: name, ...WORKER })!, id);
      ended[name] = lastLeaseEvent(engine, id);
    };
    run('completeExecution', (handle) => engine.completeExecution({ handle }));
    run('failExecution (final)', (handle) => engine.failExecution({ handle, reason: 'x', failureClass: 'permanent' }));
    run('failExecution (retry)', (handle) => engine.failExecution({ handle, reason: 'x' }), { retryPolicy: { maxRetries: 1 } });
    run('delay', (handle) => engine.delay({ handle, delayUntil: clock.now() + 1 }));
    run('cancelExecution', (_, id) => engine.cancelExecution({ executionId: id }));
    run('revokeLease', (_, id) => engine.revokeLease({ executionId: id }));
    expect(Object.entries(ended)).toEqual(MAPPING.map(([op, ours]) => [op, ours]));
  });
});

describe('evaluateFlowEligibility answers from the upstream outcomes', () => {
  it('impossible as soon as a required upstream failed, even while its dispatch is pending', async () => {
    let failDispatch = true;
    const { engine, clock } = await makeEngine({
      scanners: { intervals: {} },
      hooks: {
        beforeDispatch: () => {
          if (failDispatch) throw new Error('dispatch down');
        },
      },
    });
    const f = new FlowBuilder(engine, 'f');
    const up = f.node({ priority: 9 });
    const [other, down] = f.nodes(2);
    f.edge(up, down!);
    f.edge(other!, down!);
    expect(engine.evaluateFlowEligibility({ executionId: down! })).toEqual({ status: 'blocked_by_dependencies', groupState: 'pending' });
    const h = engine.claim({ laneId: 'f', ...WORKER })!;
    expect(h.executionId).toBe(up);
    engine.failExecution({ handle: h, reason: 'boom', failureClass: 'permanent' });
    // The completion event is not dispatched: the stored group has not moved, the child still waits.
    expect(rows(engine, 'SELECT COUNT(*) AS n FROM ff_completion_event WHERE dispatched_at_ms IS NULL')).toEqual([{ n: 1 }]);
    expect(f.group(down!)).toMatchObject({ state: 'pending' });
    expect(engine.readExecutionState({ executionId: down! })).toBe('waiting_children');
    expect(engine.evaluateFlowEligibility({ executionId: down! })).toEqual({ status: 'impossible', groupState: 'impossible' });
    // Once dispatched, the stored state agrees.
    failDispatch = false;
    clock.advance(2_000); // the dependency reconciler retries it
    expect(engine.readExecutionState({ executionId: down! })).toBe('skipped');
  });

  it('satisfied from outcomes too: an any_of child reads eligible once one upstream succeeded', async () => {
    let failDispatch = false;
    const { engine } = await makeEngine({ hooks: { beforeDispatch: () => { if (failDispatch) throw new Error('down'); } } });
    const f = new FlowBuilder(engine, 'f');
    const [a, b, child] = f.nodes(3);
    f.policy(child!, { kind: 'any_of', onSatisfied: 'let_run' });
    f.edge(a!, child!);
    f.edge(b!, child!);
    failDispatch = true;
    engine.completeExecution({ handle: engine.claim({ laneId: 'f', ...WORKER })! });
    expect(engine.evaluateFlowEligibility({ executionId: child! })).toEqual({ status: 'eligible', groupState: 'satisfied' });
  });
});

describe("a cancelled flow's running member that calls delay()", () => {
  for (const policy of ['cancel_pending', 'let_active_finish'] as const) {
    it(`${policy}: ends cancelled and is never claimable again`, async () => {
      const { engine, clock } = await makeEngine();
      const f = new FlowBuilder(engine, 'f');
      const running = f.node({ priority: 9 });
      const waiting = f.node();
      const h = engine.claim({ laneId: 'f', ...WORKER })!;
      expect(h.executionId).toBe(running);
      engine.cancelFlow({ flowId: f.flowId, policy, reason: 'wind down' });
      expect(engine.delay({ handle: h, delayUntil: clock.now() + 1_000 })).toEqual({
        kind: 'cancelled',
        executionId: running,
        publicState: 'cancelled',
        reason: 'flow_cancelled',
      });
      clock.advance(5_000);
      expect(engine.claim({ laneId: 'f', ...WORKER })).toBeNull();
      expect(engine.readExecutionInfo({ executionId: running })).toMatchObject({ publicState: 'cancelled' });
      expect(rows(engine, `SELECT cancellation_reason, cancelled_by FROM ff_exec_core WHERE execution_id = '${running}'`)).toEqual([
        { cancellation_reason: 'wind down', cancelled_by: 'cancel_flow' },
      ]);
      expect(rows(engine, `SELECT outcome FROM ff_completion_event WHERE execution_id = '${running}'`)).toEqual([{ outcome: 'cancelled' }]);
      expect(engine.readEvents({ channel: 'operator' }).events.filter((e) => 'executionId' in e && e.executionId === running)).toEqual([
        expect.objectContaining({ eventType: 'member_cancelled', details: { cancellationPolicy: policy, reason: 'wind down', when: 'delay' } }),
      ]);
      expect(engine.readExecutionState({ executionId: waiting })).toBe('cancelled');
      expect(engine.describeFlow({ flowId: f.flowId })!.cancelBacklog).toBeNull();
    });
  }

  it('outside a cancelled flow, delay() still hands the execution back', async () => {
    const { engine, clock } = await makeEngine();
    const f = new FlowBuilder(engine, 'f');
    const [member] = f.nodes(1);
    const h = engine.claim({ laneId: 'f', ...WORKER })!;
    expect(engine.delay({ handle: h, delayUntil: clock.now() + 1_000 })).toEqual({ kind: 'delayed', executionId: member, delayUntil: clock.now() + 1_000 });
    clock.advance(1_000);
    expect(engine.claim({ laneId: 'f', ...WORKER })!.executionId).toBe(member);
  });
});
