/**
 * stageDependencyEdge: record upstream → downstream in a flow, as a graph
 * change: compare-and-set on the flow's graph revision, which it bumps (and
 * edge_count with it). A staged edge does not gate anything until
 * applyDependencyToChild applies it.
 *
 * Checks, in order (any failure writes nothing):
 *   1. the flow exists (`not_found`) and has not ended (`flow_already_terminal`);
 *   2. the caller's revision is current (`contention.stale_graph_revision`);
 *   3. both executions are members (`execution_not_in_flow`);
 *   4. the downstream has not started (`contention.execution_not_eligible`);
 *   5. the edge id is new, and the flow has no edge between the same pair
 *      (`dependency_already_exists`; the reference allows the duplicate
 *      pair, which would count one upstream twice in the group);
 *   6. the edge closes no cycle (`cycle_detected`; the reference never checks,
 *      and a cycle would block its members forever).
 * Self-edges are rejected by the input schema.
 */
import type { z } from 'zod';
import { EngineError, errors } from '../../api/errors.js';
import type { StageDependencyEdgeResult } from '../../api/flows.js';
import { stageDependencyEdgeInput } from '../../api/flows.js';
import type { EngineContext } from '../core/context.js';
import { assertFlowOpen, assertNotStarted, requireFlow, requireMember } from './flow-state.js';
import { defineOperation } from '../operation.js';

type Input = z.output<typeof stageDependencyEdgeInput>;

export function stageDependencyEdge(ctx: EngineContext, input: Input, now: number): StageDependencyEdgeResult {
  const flow = requireFlow(ctx, input.flowId);
  assertFlowOpen(flow);
  const bumped = ctx.db
    .prepare(
      `UPDATE ff_flow_core
          SET graph_revision = graph_revision + 1, edge_count = edge_count + 1,
              raw_fields = json_set(raw_fields, '$.last_mutation_at_ms', :now)
        WHERE flow_id = :flowId AND graph_revision = :expected`,
    )
    .run({ flowId: input.flowId, expected: input.expectedGraphRevision, now });
  if (bumped === 0) {
    throw new EngineError(
      'contention.stale_graph_revision',
      `the flow's graph changed: expected revision ${input.expectedGraphRevision}, current ${flow.graph_revision}`,
      { flowId: input.flowId, expectedGraphRevision: input.expectedGraphRevision, currentGraphRevision: flow.graph_revision },
    );
  }

  requireMember(ctx, input.flowId, input.upstreamExecutionId, 'upstreamExecutionId');
  const downstream = requireMember(ctx, input.flowId, input.downstreamExecutionId, 'downstreamExecutionId');
  assertNotStarted(downstream, 'downstreamExecutionId');

  const edgeId = input.edgeId ?? ctx.ids.uuid();
  if (ctx.db.prepare('SELECT 1 AS one FROM ff_edge WHERE flow_id = :flowId AND edge_id = :edgeId').get({ flowId: input.flowId, edgeId })) {
    throw errors.invalid('edgeId', `dependency_already_exists:edge_id=${edgeId}`, { reason: 'dependency_already_exists', edgeId });
  }
  const twin = ctx.db
    .prepare('SELECT edge_id FROM ff_edge WHERE upstream_eid = :upstream AND flow_id = :flowId AND downstream_eid = :downstream')
    .get<{ edge_id: string }>({ upstream: input.upstreamExecutionId, flowId: input.flowId, downstream: input.downstreamExecutionId });
  if (twin) {
    throw errors.invalid('upstreamExecutionId', `dependency_already_exists:edge_id=${twin.edge_id} links the same executions`, {
      reason: 'dependency_already_exists',
      edgeId: twin.edge_id,
    });
  }
  if (reaches(ctx, input.flowId, input.downstreamExecutionId, input.upstreamExecutionId)) {
    throw errors.invalid(
      'upstreamExecutionId',
      `cycle_detected: ${input.upstreamExecutionId} already depends on ${input.downstreamExecutionId}, directly or transitively`,
      { reason: 'cycle_detected' },
    );
  }

  ctx.db
    .prepare(
      `INSERT INTO ff_edge (flow_id, edge_id, upstream_eid, downstream_eid, dependency_kind, data_passing_ref, policy, staged_at_ms)
       VALUES (:flowId, :edgeId, :upstream, :downstream, :kind, :ref, :policy, :now)`,
    )
    .run({
      flowId: input.flowId,
      edgeId,
      upstream: input.upstreamExecutionId,
      downstream: input.downstreamExecutionId,
      kind: input.dependencyKind,
      ref: input.dataPassingRef ?? null,
      policy: JSON.stringify({ satisfaction_condition: 'all_required', created_by: 'engine' }),
      now,
    });
  return { kind: 'staged', edgeId, newGraphRevision: input.expectedGraphRevision + 1 };
}

/**
 * Is `target` reachable from `from` along the flow's edges (staged or
 * applied)? CROSS JOIN keeps `reach` outside, so each step is a seek on
 * ff_edge_upstream_idx: the cost is the edges reachable from `from`.
 */
function reaches(ctx: EngineContext, flowId: string, from: string, target: string): boolean {
  return (
    ctx.db
      .prepare(
        `WITH RECURSIVE reach(eid) AS (
           SELECT :from
           UNION
           SELECT e.downstream_eid FROM reach r CROSS JOIN ff_edge e ON e.upstream_eid = r.eid AND e.flow_id = :flowId
         )
         SELECT 1 AS one FROM reach WHERE eid = :target LIMIT 1`,
      )
      .get({ from, flowId, target }) !== undefined
  );
}

export const stageDependencyEdgeOp = defineOperation({
  name: 'stageDependencyEdge',
  family: 'flows',
  kind: 'write',
  summary: 'Stage upstream → downstream, a compare-and-set on the graph revision; it gates nothing until applied.',
  input: stageDependencyEdgeInput,
  run: ({ ctx, now }, input): StageDependencyEdgeResult => stageDependencyEdge(ctx, input, now),
});
