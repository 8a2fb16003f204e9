/**
 * applyDependencyToChild: a staged edge starts to count. It joins its
 * downstream's edge group (created as all_of on the first edge), and the
 * group decides the child at once: pending → the child is
 * blocked_by_dependencies (`waiting_children`) and cannot be claimed.
 *
 * An upstream that has already ended resolves the edge right here, with its
 * outcome: its completion event was dispatched before the edge existed, so
 * no later dispatch would. (The reference neither blocks the child nor
 * resolves such an edge: children are never gated.)
 *
 * Applying twice is `already_applied`. The child must not have started
 * (`contention.execution_not_eligible`), and the flow must not have been
 * cancelled. The edge row supplies both ends, so nothing the caller passes
 * can disagree with it (the reference keys the group by an unchecked
 * argument).
 */
import type { z } from 'zod';
import { errors } from '../../api/errors.js';
import type { ApplyDependencyToChildResult } from '../../api/flows.js';
import { applyDependencyToChildInput } from '../../api/flows.js';
import type { TerminalOutcome } from '../../api/states.js';
import type { EngineContext } from '../core/context.js';
import { countHop, edgeStateOf, ensureGroup, hopOutcomeOf, saveGroup } from './edge-group.js';
import { readEdge } from './edges.js';
import { assertFlowOpen, assertNotStarted, readMember, requireFlow } from './flow-state.js';
import { defineOperation } from '../operation.js';

export function applyDependencyToChild(
  ctx: EngineContext,
  input: z.output<typeof applyDependencyToChildInput>,
  now: number,
): ApplyDependencyToChildResult {
  const flow = requireFlow(ctx, input.flowId);
  const edge = readEdge(ctx, input.flowId, input.edgeId);
  if (!edge) throw errors.notFound('edge', input.edgeId);
  if (edge.applied_at_ms !== null) return { kind: 'already_applied' };
  assertFlowOpen(flow);
  const child = readMember(ctx, edge.downstream_eid);
  if (!child) throw errors.notFound('execution', edge.downstream_eid);
  assertNotStarted(child, 'edgeId');

  const upstream = ctx.db
    .prepare('SELECT lifecycle_phase, terminal_outcome FROM ff_exec_core WHERE execution_id = :executionId')
    .get<{ lifecycle_phase: string; terminal_outcome: TerminalOutcome }>({ executionId: edge.upstream_eid });
  const ended = upstream !== undefined && upstream.lifecycle_phase === 'terminal' && upstream.terminal_outcome !== 'none';
  const hop = ended ? hopOutcomeOf(upstream.terminal_outcome as Exclude<TerminalOutcome, 'none'>) : null;

  ctx.db
    .prepare(
      `UPDATE ff_edge SET applied_at_ms = :now, edge_state = :state, resolved_at_ms = :resolvedAt
        WHERE flow_id = :flowId AND edge_id = :edgeId`,
    )
    .run({ flowId: edge.flow_id, edgeId: edge.edge_id, now, state: hop ? edgeStateOf(hop) : 'pending', resolvedAt: hop ? now : null });

  const group = ensureGroup(ctx, edge.flow_id, edge.downstream_eid, now);
  const previous = group.group_state;
  group.n_total += 1;
  group.running_count += 1;
  if (hop) countHop(group, hop, 1);
  const groupState = saveGroup(ctx, group, previous, now);
  return { kind: 'applied', unsatisfiedCount: group.running_count, groupState };
}

export const applyDependencyToChildOp = defineOperation({
  name: 'applyDependencyToChild',
  family: 'flows',
  kind: 'write',
  summary: 'Apply a staged edge: it joins the child\'s edge group, which blocks the child until satisfied.',
  input: applyDependencyToChildInput,
  run: ({ ctx, now }, input): ApplyDependencyToChildResult => applyDependencyToChild(ctx, input, now),
});
