/**
 * addExecutionToFlow: make an existing execution a member of a flow. Bumps
 * the flow's graph revision and node count. Adding it again is
 * `already_member`; an execution belongs to one flow at most. Membership
 * alone does not gate the execution: applied dependency edges do.
 *
 * Checks, in order: the flow exists (`not_found`) and has not ended
 * (`flow_already_terminal`, so re-adding to an ended flow is an error, not
 * `already_member`); the execution exists (`not_found`); it is not in
 * another flow (`already_member_of_different_flow`). The reference reports
 * the missing flow and execution as validation errors; here they are typed
 * `not_found`.
 */
import type { z } from 'zod';
import type { AddExecutionToFlowResult } from '../../api/flows.js';
import { addExecutionToFlowInput } from '../../api/flows.js';
import { errors } from '../../api/errors.js';
import type { EngineContext } from '../core/context.js';
import { addMember, assertFlowOpen, readMember, requireFlow } from './flow-state.js';
import { defineOperation } from '../operation.js';

export function addExecutionToFlow(
  ctx: EngineContext,
  input: z.output<typeof addExecutionToFlowInput>,
  now: number,
): AddExecutionToFlowResult {
  const flow = requireFlow(ctx, input.flowId);
  assertFlowOpen(flow);
  const member = readMember(ctx, input.executionId);
  if (!member) throw errors.notFound('execution', input.executionId);
  return addMember(ctx, flow, member, now);
}

export const addExecutionToFlowOp = defineOperation({
  name: 'addExecutionToFlow',
  family: 'flows',
  kind: 'write',
  summary: 'Make an existing execution a member of a flow (graph revision + 1).',
  input: addExecutionToFlowInput,
  run: ({ ctx, now }, input): AddExecutionToFlowResult => addExecutionToFlow(ctx, input, now),
});
