/**
 * Property: random DAGs with random group policies and failures always drain
 * consistently (fast-check, fixed seed).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Handle } from '../../src/index.js';
import { catchError, makeEngine } from './helpers.js';
import { claimIn, completionEvents, FlowBuilder, undispatchedCount } from './flow-helpers.js';

describe('flows: property — random DAGs always drain consistently', () => {
  it('every member ends, every event is dispatched once, and counters, edges and states agree', async () => {
    let lane = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 8 }).chain((n) =>
          fc.record({
            n: fc.constant(n),
            edges: fc.array(fc.boolean(), { minLength: (n * (n - 1)) / 2, maxLength: (n * (n - 1)) / 2 }),
            policies: fc.array(fc.record({ kind: fc.constantFrom('all_of', 'any_of', 'quorum'), k: fc.nat(), letRun: fc.boolean() }), { minLength: n, maxLength: n }),
            fails: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
            batch: fc.integer({ min: 1, max: 3 }),
          }),
        ),
        async ({ n, edges, policies, fails, batch }) => {
          const { engine } = await makeEngine();
          const laneId = `p${lane++}`;
          const f = new FlowBuilder(engine, laneId);
          const ids = f.nodes(n);
          const incoming = new Map<string, string[]>();
          let bit = 0;
          for (let i = 0; i < n; i++) {
            for (let j = i + 1; j < n; j++) {
              if (edges[bit++]) {
                f.edge(ids[i]!, ids[j]!);
                incoming.set(ids[j]!, [...(incoming.get(ids[j]!) ?? []), ids[i]!]);
              }
            }
          }
          for (const [child, ups] of incoming) {
            const p = policies[ids.indexOf(child)]!;
            const onSatisfied = p.letRun ? 'let_run' : 'cancel_remaining';
            if (p.kind === 'any_of') f.policy(child, { kind: 'any_of', onSatisfied });
            if (p.kind === 'quorum') f.policy(child, { kind: 'quorum', k: 1 + (p.k % ups.length), onSatisfied });
          }
          // A worker holding up to `batch` leases at once, so siblings can be cancelled while running.
          for (;;) {
            const handles: Handle[] = [];
            for (let h = claimIn(engine, laneId); h; h = handles.length < batch ? claimIn(engine, laneId) : null) handles.push(h);
            if (handles.length === 0) break;
            for (const handle of handles) {
              if (engine.readExecutionState({ executionId: handle.executionId }) !== 'active') {
                expect(catchError(() => engine.completeExecution({ handle })).code).toBe('state.stale_lease');
                continue;
              }
              if (fails[ids.indexOf(handle.executionId)]) engine.failExecution({ handle, reason: 'x', failureClass: 'permanent' });
              else engine.completeExecution({ handle });
            }
          }
          const flow = engine.describeFlow({ flowId: f.flowId })!;
          const state = new Map(flow.members.map((m) => [m.executionId, m.publicState]));
          expect([...state.values()].every((s) => ['completed', 'failed', 'skipped', 'cancelled'].includes(s))).toBe(true);
          expect(undispatchedCount(engine)).toBe(0);
          for (const e of flow.edges) {
            const up = state.get(e.upstreamExecutionId);
            expect(e.edgeState).toBe(up === 'completed' ? 'satisfied' : up === 'skipped' ? 'skipped' : 'failed');
          }
          for (const g of flow.groups) {
            expect(g.successCount + g.failCount + g.skipCount + g.runningCount).toBe(g.total);
            expect(g.runningCount).toBe(0);
            const bad = g.failCount + g.skipCount;
            const need = g.policy.kind === 'quorum' ? g.policy.k : g.policy.kind === 'any_of' ? 1 : g.total;
            expect(g.state).toBe(g.successCount >= need ? 'satisfied' : bad > 0 && g.total - bad < need ? 'impossible' : 'pending');
            const child = engine.describeExecution({ executionId: g.downstreamExecutionId })!;
            expect(child.attempts.length).toBeLessThanOrEqual(1);
            if (child.attempts.length === 1) expect(g.state).toBe('satisfied');
            if (child.publicState === 'skipped') expect(g.state).toBe('impossible');
          }
          for (const id of ids) expect(completionEvents(engine, id)).toHaveLength(1);
          const sinks = ids.filter((id) => !flow.edges.some((e) => e.upstreamExecutionId === id));
          expect(flow.publicFlowState).toBe(sinks.every((id) => state.get(id) === 'completed') ? 'completed' : 'failed');
          engine.close();
        },
      ),
      { numRuns: 100, seed: 11 },
    );
  });
});
