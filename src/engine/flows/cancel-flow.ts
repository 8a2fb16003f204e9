/**
 * cancelFlow: end a flow `cancelled` and cancel its members by policy:
 * - `cancel_all`: every member that has not ended, running ones included;
 * - `cancel_pending`: every member that is not running; running ones finish
 *   their current attempt (a failure then ends them, it does not retry);
 * - `let_active_finish`: as cancel_pending, and the running members go into
 *   the flow's cancel backlog, which they leave when they end (dispatch
 *   removes them) or when ackCancelMember acks them.
 *
 * Each cancelled member gets a `cancelled` completion event (its dependents
 * are dispatched from it), a `member_cancelled` operator event, and, when it
 * was running, a `revoked` lease event and a bumped lease epoch. The flow
 * gets one `flow_cancel_requested` operator event. A flow that has already
 * ended is `already_terminal` with what the first cancel stored, and nothing
 * changes.
 *
 * (The reference has two cancel paths that disagree on member sets and
 * events, and neither fences running members; here there is one path.)
 */
import type { z } from 'zod';
import type { CancelFlowResult } from '../../api/flows.js';
import { cancelFlowInput } from '../../api/flows.js';
import { CANCEL_TARGET_SELECT, cancelMember, type CancelTarget } from '../operator/cancel-execution.js';
import type { EngineContext } from '../core/context.js';
import { requireFlow, TERMINAL_FLOW_STATES } from './flow-state.js';
import { writeOperatorEvent } from '../operator/operator-event.js';
import { defineOperation } from '../operation.js';

export function cancelFlow(ctx: EngineContext, input: z.output<typeof cancelFlowInput>, now: number): CancelFlowResult {
  const flow = requireFlow(ctx, input.flowId);
  if (TERMINAL_FLOW_STATES.has(flow.public_flow_state)) {
    return {
      kind: 'already_terminal',
      publicFlowState: flow.public_flow_state,
      cancellationPolicy: flow.cancellation_policy,
      cancelReason: flow.cancel_reason,
    };
  }
  ctx.db
    .prepare(
      `UPDATE ff_flow_core
          SET public_flow_state = 'cancelled', terminal_at_ms = :now, cancellation_policy = :policy, cancel_reason = :reason,
              raw_fields = json_set(raw_fields, '$.last_mutation_at_ms', :now)
        WHERE flow_id = :flowId`,
    )
    .run({ flowId: input.flowId, policy: input.policy, reason: input.reason, now });

  // Members that have not ended, in the order they were created (ff_exec_core_flow_live_idx, in rowid order).
  const live = ctx.db
    .prepare(`${CANCEL_TARGET_SELECT} WHERE e.flow_id = :flowId AND e.lifecycle_phase <> 'terminal' ORDER BY e.rowid`)
    .all<CancelTarget>({ flowId: input.flowId });
  // A flow-level event carries the flow's own instance tag (setFlowTag 'cairn.instance_id'), if it has one.
  const flowTag = ctx.db
    .prepare(`SELECT json_extract(raw_fields, '$."cairn.instance_id"') AS tag FROM ff_flow_core WHERE flow_id = :flowId`)
    .get<{ tag: string | null }>({ flowId: input.flowId });
  writeOperatorEvent(
    ctx,
    { executionId: null, flowId: input.flowId, namespace: flow.namespace, instanceTag: flowTag?.tag ?? null },
    'flow_cancel_requested',
    { cancellationPolicy: input.policy, reason: input.reason, memberCount: live.length },
    now,
  );

  const cancelled: string[] = [];
  const active: string[] = [];
  const reason = input.reason === '' ? 'flow_cancelled' : input.reason;
  for (const member of live) {
    if (input.policy !== 'cancel_all' && member.lifecycle_phase === 'active') {
      active.push(member.execution_id);
      continue;
    }
    cancelMember(ctx, member, now, { reason, source: 'cancel_flow' });
    writeOperatorEvent(
      ctx,
      { executionId: member.execution_id, flowId: input.flowId, namespace: member.namespace, instanceTag: member.instance_tag },
      'member_cancelled',
      { cancellationPolicy: input.policy, reason: input.reason },
      now,
    );
    cancelled.push(member.execution_id);
  }

  if (input.policy === 'let_active_finish' && active.length > 0) {
    ctx.db
      .prepare(
        `INSERT INTO ff_cancel_backlog (flow_id, requested_at_ms, reason, cancellation_policy)
         VALUES (:flowId, :now, :reason, :policy)`,
      )
      .run({ flowId: input.flowId, now, reason: input.reason, policy: input.policy });
    const addMember = ctx.db.prepare('INSERT INTO ff_cancel_backlog_member (flow_id, execution_id) VALUES (:flowId, :executionId)');
    for (const executionId of active) addMember.run({ flowId: input.flowId, executionId });
  }
  return { kind: 'cancelled', cancellationPolicy: input.policy, cancelledExecutionIds: cancelled, activeExecutionIds: active };
}

export const cancelFlowOp = defineOperation({
  name: 'cancelFlow',
  family: 'flows',
  kind: 'write',
  summary: 'End a flow `cancelled`, cancelling its members by policy (`cancel_all`, `cancel_pending`, `let_active_finish`).',
  input: cancelFlowInput,
  run: ({ ctx, now }, input): CancelFlowResult => cancelFlow(ctx, input, now),
});
