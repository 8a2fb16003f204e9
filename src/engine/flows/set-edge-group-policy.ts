/**
 * setEdgeGroupPolicy: choose how a downstream's applied edges combine:
 * `all_of` (the default), `any_of { onSatisfied }` or `quorum { k,
 * onSatisfied }`. Allowed until the downstream starts, before or after its
 * edges are applied; the group is re-decided at once, so switching a group
 * with one successful upstream to any_of makes the child claimable (and,
 * with `cancel_remaining`, cancels the other upstreams).
 *
 * (Unavailable in the reference's SQLite backend, where every group stays
 * all_of.)
 */
import type { z } from 'zod';
import type { SetEdgeGroupPolicyResult } from '../../api/flows.js';
import { setEdgeGroupPolicyInput } from '../../api/flows.js';
import type { EngineContext } from '../core/context.js';
import { ensureGroup, saveGroup } from './edge-group.js';
import { assertFlowOpen, assertNotStarted, requireFlow, requireMember } from './flow-state.js';
import { defineOperation } from '../operation.js';

export function setEdgeGroupPolicy(
  ctx: EngineContext,
  input: z.output<typeof setEdgeGroupPolicyInput>,
  now: number,
): SetEdgeGroupPolicyResult {
  const flow = requireFlow(ctx, input.flowId);
  assertFlowOpen(flow);
  const child = requireMember(ctx, input.flowId, input.downstreamExecutionId, 'downstreamExecutionId');
  assertNotStarted(child, 'downstreamExecutionId');

  const group = ensureGroup(ctx, input.flowId, input.downstreamExecutionId, now);
  const previous = group.group_state;
  const { policy } = input;
  group.policy_kind = policy.kind;
  group.k_target = policy.kind === 'quorum' ? policy.k : 0;
  // all_of has no losers to cancel; the column keeps its default.
  group.on_satisfied = policy.kind === 'all_of' ? 'cancel_remaining' : policy.onSatisfied;
  return { kind: 'policy_set', groupState: saveGroup(ctx, group, previous, now) };
}

export const setEdgeGroupPolicyOp = defineOperation({
  name: 'setEdgeGroupPolicy',
  family: 'flows',
  kind: 'write',
  summary: '`all_of`, `any_of { onSatisfied }` or `quorum { k, onSatisfied }` for a child\'s edge group.',
  input: setEdgeGroupPolicyInput,
  run: ({ ctx, now }, input): SetEdgeGroupPolicyResult => setEdgeGroupPolicy(ctx, input, now),
});
