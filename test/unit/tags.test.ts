/**
 * Execution and flow tags (flat dotted keys, FlowFabric's validation), and
 * the instance tag: every outbox event written after `cairn.instance_id` is
 * set carries it, whichever operation writes the event.
 */
import { describe, expect, it } from 'vitest';
import type { Engine } from '../../src/index.js';
import { FlowBuilder } from './flow-helpers.js';
import { catchError, makeEngine, rows, WORKER } from './helpers.js';

const MISSING_EXEC = '{fp:0}:00000000-0000-4000-8000-000000000000';
const MISSING_FLOW = '00000000-0000-4000-8000-000000000000';
const BAD_KEYS = ['', 'Cairn.x', 'cairn', 'cairn.', 'cairn..x', '1cairn.x', 'cairn.foo bar', 'cairn.foo"bar', 'cairn.Foo', 'cairn.foo-bar', '.cairn.x'];

describe('execution tags', () => {
  it('set and get round-trip; overwriting replaces one key and leaves the others', async () => {
    const { engine } = await makeEngine();
    const id = engine.createExecution({ laneId: 'l', tags: { owner: 'me' } }).executionId;
    expect(engine.getExecutionTag({ executionId: id, key: 'cairn.session_id' })).toBeNull();
    expect(engine.setExecutionTag({ executionId: id, key: 'cairn.session_id', value: 's-1' })).toEqual({ key: 'cairn.session_id', value: 's-1', previousValue: null });
    expect(engine.setExecutionTag({ executionId: id, key: 'cairn.session_id', value: 's-2' }).previousValue).toBe('s-1');
    engine.setExecutionTag({ executionId: id, key: 'cairn.project', value: 'p-1' });
    engine.setExecutionTag({ executionId: id, key: 'app.run.v2', value: '' });
    expect(engine.getExecutionTag({ executionId: id, key: 'cairn.session_id' })).toBe('s-2');
    expect(engine.getExecutionTag({ executionId: id, key: 'cairn.project' })).toBe('p-1');
    expect(engine.getExecutionTag({ executionId: id, key: 'app.run.v2' })).toBe('');
    expect(engine.describeExecution({ executionId: id })!.tags).toEqual({ owner: 'me', 'cairn.session_id': 's-2', 'cairn.project': 'p-1', 'app.run.v2': '' });
  });

  it('a dotted key is one flat member, never a nested object', async () => {
    const { engine } = await makeEngine();
    const id = engine.createExecution({ laneId: 'l' }).executionId;
    engine.setExecutionTag({ executionId: id, key: 'cairn.session_id', value: 's-1' });
    const [row] = rows<{ tags: string }>(engine, `SELECT tags FROM ff_exec_core WHERE execution_id = '${id}'`);
    const tags = JSON.parse(row!.tags) as Record<string, unknown>;
    expect(tags['cairn.session_id']).toBe('s-1');
    expect(tags['cairn']).toBeUndefined();
  });

  it('an unknown execution: set is not_found, get is null', async () => {
    const { engine } = await makeEngine();
    expect(catchError(() => engine.setExecutionTag({ executionId: MISSING_EXEC, key: 'cairn.x', value: 'v' }))).toMatchObject({
      code: 'not_found',
      details: { entity: 'execution' },
    });
    expect(engine.getExecutionTag({ executionId: MISSING_EXEC, key: 'cairn.x' })).toBeNull();
  });

  it('keys outside the dotted pattern are invalid input on all four methods, and change nothing', async () => {
    const { engine } = await makeEngine();
    const id = engine.createExecution({ laneId: 'l' }).executionId;
    const flowId = engine.createFlow().flowId;
    const before = rows(engine, 'SELECT tags FROM ff_exec_core UNION ALL SELECT raw_fields FROM ff_flow_core');
    for (const key of BAD_KEYS) {
      for (const call of [
        () => engine.setExecutionTag({ executionId: id, key, value: 'v' }),
        () => engine.getExecutionTag({ executionId: id, key }),
        () => engine.setFlowTag({ flowId, key, value: 'v' }),
        () => engine.getFlowTag({ flowId, key }),
      ]) {
        expect(catchError(call), key).toMatchObject({ code: 'validation.invalid_input', details: { field: 'key' } });
      }
    }
    expect(rows(engine, 'SELECT tags FROM ff_exec_core UNION ALL SELECT raw_fields FROM ff_flow_core')).toEqual(before);
  });
});

describe('flow tags', () => {
  it('round-trip as flat top-level members; an unknown flow: set is not_found, get is null', async () => {
    const { engine } = await makeEngine();
    const flowId = engine.createFlow().flowId;
    expect(engine.getFlowTag({ flowId, key: 'cairn.archived' })).toBeNull();
    engine.setFlowTag({ flowId, key: 'cairn.archived', value: 'true' });
    expect(engine.getFlowTag({ flowId, key: 'cairn.archived' })).toBe('true');
    const raw = JSON.parse(rows<{ raw_fields: string }>(engine, 'SELECT raw_fields FROM ff_flow_core')[0]!.raw_fields) as Record<string, unknown>;
    expect(raw['cairn.archived']).toBe('true');
    expect(raw['cairn']).toBeUndefined();
    expect(catchError(() => engine.setFlowTag({ flowId: MISSING_FLOW, key: 'cairn.x', value: 'v' }))).toMatchObject({ code: 'not_found', details: { entity: 'flow' } });
    expect(engine.getFlowTag({ flowId: MISSING_FLOW, key: 'cairn.x' })).toBeNull();
  });

  it("a flow's cairn.instance_id tags its flow_cancel_requested event", async () => {
    const { engine } = await makeEngine();
    const flowId = engine.createFlow({ namespace: 'ns' }).flowId;
    engine.setFlowTag({ flowId, key: 'cairn.instance_id', value: 'i-7' });
    engine.cancelFlow({ flowId, policy: 'cancel_all' });
    expect(engine.readEvents({ channel: 'operator' }).events).toEqual([
      expect.objectContaining({ eventType: 'flow_cancel_requested', flowId, namespace: 'ns', instanceTag: 'i-7' }),
    ]);
  });
});

/** Outbox rows of an execution-scoped outbox whose namespace or instance tag differ from the execution's now. */
function mistagged(engine: Engine, table: string): unknown[] {
  return rows(
    engine,
    `SELECT o.event_id, o.execution_id, o.instance_tag, o.namespace FROM ${table} o JOIN ff_exec_core x ON x.execution_id = o.execution_id
      WHERE o.instance_tag IS NOT json_extract(x.tags, '$."cairn.instance_id"') OR o.namespace IS NOT x.namespace`,
  );
}

describe('the instance tag on events written after it is set', () => {
  it('every outbox writer (lease, completion, operator) reads it from the execution at write time', async () => {
    const { engine, clock } = await makeEngine({ scanners: { intervals: {} } });
    const tag = (id: string, n: number) => engine.setExecutionTag({ executionId: id, key: 'cairn.instance_id', value: `i-${n}` });
    let n = 0;
    const make = (laneId: string, extra: Parameters<Engine['createExecution']>[0] | object = {}) => {
      const id = engine.createExecution({ laneId, namespace: 'ns', ...extra }).executionId;
      tag(id, ++n);
      return id;
    };
    const claimOf = (laneId: string, ttl = 30_000) => engine.claim({ laneId, ...WORKER, leaseTtlMs: ttl })!;

    // claim, renew, progress, complete; fail with a retry, then for good; delay
    make('a');
    const a = claimOf('a');
    engine.renewLease({ handle: a });
    engine.completeExecution({ handle: a });
    make('b', { retryPolicy: { maxRetries: 1, backoff: { type: 'fixed', delayMs: 0 } } });
    engine.failExecution({ handle: claimOf('b'), reason: 'once' });
    engine.failExecution({ handle: claimOf('b'), reason: 'twice' });
    make('c');
    engine.delay({ handle: claimOf('c'), delayUntil: clock.now() });
    // expiry (scanner), reclaim, reclaim cap
    const d = make('d', { maxReclaimCount: 1 });
    claimOf('d', 1_000);
    clock.advance(2_000);
    engine.issueReclaimGrant({ executionId: d, workerId: 'w2', workerInstanceId: 'w2-i1', laneId: 'd', grantTtlMs: 5_000 });
    engine.reclaimExecution({ executionId: d, workerId: 'w2', workerInstanceId: 'w2-i1', leaseTtlMs: 1_000 });
    clock.advance(2_000);
    engine.issueReclaimGrant({ executionId: d, workerId: 'w2', workerInstanceId: 'w2-i1', laneId: 'd', grantTtlMs: 5_000 });
    engine.reclaimExecution({ executionId: d, workerId: 'w2', workerInstanceId: 'w2-i1', leaseTtlMs: 1_000 });
    // operator: priority, revoke, cancel, replay, claim by name
    const e = make('e');
    engine.changePriority({ executionId: e, priority: 3 });
    engine.issueGrantAndClaim({ executionId: e, laneId: 'e', leaseTtlMs: 30_000 });
    engine.revokeLease({ executionId: e });
    engine.cancelExecution({ executionId: e });
    engine.replayExecution({ executionId: e });
    engine.issueClaimGrant({ executionId: e, workerId: 'w2', workerInstanceId: 'w2-i1', laneId: 'e', grantTtlMs: 5_000 });
    engine.completeExecution({ handle: engine.claimExecution({ executionId: e, workerId: 'w2', workerInstanceId: 'w2-i1', leaseTtlMs: 1_000 }).handle });
    // flows: a skip that propagates, an any_of sibling cancel, a flow cancel, delay in a cancelled flow
    const f = new FlowBuilder(engine, 'f', 'ns');
    const [up, mid, down] = f.nodes(3);
    for (const id of [up!, mid!, down!]) tag(id, ++n);
    f.edge(up!, mid!);
    f.edge(mid!, down!);
    engine.failExecution({ handle: claimOf('f'), reason: 'x', failureClass: 'permanent' });
    const g = new FlowBuilder(engine, 'g', 'ns');
    const [g1, g2, gChild] = g.nodes(3);
    for (const id of [g1!, g2!, gChild!]) tag(id, ++n);
    g.policy(gChild!, { kind: 'any_of', onSatisfied: 'cancel_remaining' });
    g.edge(g1!, gChild!);
    g.edge(g2!, gChild!);
    const gh = claimOf('g');
    claimOf('g');
    engine.completeExecution({ handle: gh });
    const h = new FlowBuilder(engine, 'h', 'ns');
    const [h1, h2] = h.nodes(2);
    for (const id of [h1!, h2!]) tag(id, ++n);
    const hh = claimOf('h');
    engine.cancelFlow({ flowId: h.flowId, policy: 'cancel_pending' });
    engine.delay({ handle: hh, delayUntil: clock.now() + 1_000 });

    const counts = rows<{ t: string; n: number }>(
      engine,
      `SELECT 'lease' AS t, COUNT(*) AS n FROM ff_lease_event UNION ALL SELECT 'completion', COUNT(*) FROM ff_completion_event
       UNION ALL SELECT 'operator', COUNT(*) FROM ff_operator_event WHERE execution_id IS NOT NULL`,
    );
    expect(counts.every((c) => c.n > 5)).toBe(true);
    const types = rows<{ event_type: string }>(engine, 'SELECT DISTINCT event_type FROM ff_lease_event ORDER BY 1').map((r) => r.event_type);
    expect(types).toEqual(['acquired', 'expired', 'reclaimed', 'released', 'renewed', 'revoked']);
    const outcomes = rows<{ outcome: string }>(engine, 'SELECT DISTINCT outcome FROM ff_completion_event ORDER BY 1').map((r) => r.outcome);
    expect(outcomes).toEqual(['cancelled', 'failed', 'skipped', 'success']);
    const operatorTypes = rows<{ event_type: string }>(engine, 'SELECT DISTINCT event_type FROM ff_operator_event WHERE execution_id IS NOT NULL ORDER BY 1');
    expect(operatorTypes.map((r) => r.event_type)).toEqual(['cancelled', 'lease_revoked', 'member_cancelled', 'priority_changed', 'replayed']);
    for (const table of ['ff_lease_event', 'ff_completion_event', 'ff_operator_event']) expect(mistagged(engine, table), table).toEqual([]);
  });

  it('events written before the tag keep what they had; later ones carry the new value', async () => {
    const { engine } = await makeEngine();
    const id = engine.createExecution({ laneId: 'l' }).executionId;
    const h = engine.claim({ laneId: 'l', ...WORKER })!;
    engine.setExecutionTag({ executionId: id, key: 'cairn.instance_id', value: 'i-42' });
    engine.renewLease({ handle: h });
    engine.completeExecution({ handle: h });
    expect(engine.readEvents({ channel: 'lease' }).events.map((e) => ('instanceTag' in e ? e.instanceTag : undefined))).toEqual([null, 'i-42', 'i-42']);
    expect(engine.readEvents({ channel: 'completion' }).events).toEqual([expect.objectContaining({ instanceTag: 'i-42', namespace: 'default' })]);
  });
});
