/**
 * replayExecution (FlowFabric's operator replay_execution): an execution
 * that has ended, however it ended, becomes runnable again with a pending
 * replay attempt; the next claim opens a new attempt of type `replay`.
 * Result, failure reason and cancel fields are cleared, the lease epoch is
 * bumped, `raw_fields.replay_count` goes up by one, and a `replayed`
 * operator event is written.
 *
 * In a flow the replayed member's dependencies are honoured both ways:
 * - downstream: the hops its previous outcome made are taken back (those
 *   edges are pending again and their groups' counters reset), so its next
 *   outcome is the one its dependents see. A dependent that had not started
 *   waits again; `groupsReset` counts the groups.
 * - its own group is re-read: pending → `waiting_children` until its
 *   upstreams resolve, satisfied → claimable (`waiting`). Still impossible
 *   (an upstream failed and has not been replayed) is refused with
 *   `contention.execution_not_eligible`: replay that upstream first.
 * A skipped member is the `skipped_flow_member` branch of the result.
 * Members of a cancelled flow cannot be replayed; a completed or failed flow
 * runs again.
 *
 * (The reference resets the skipped member's own group to zero failures,
 * so it can run although an upstream is still failed, and never reopens
 * the replayed member's outgoing edges, so its dependents keep the old
 * outcome. Cancelled executions are not replayable there; here they are.)
 */
import type { z } from 'zod';
import { EngineError, errors } from '../../api/errors.js';
import type { ReplayExecutionResult } from '../../api/flows.js';
import { replayExecutionInput } from '../../api/flows.js';
import type { LifecyclePhase, PublicState, TerminalOutcome } from '../../api/states.js';
import type { EngineContext } from '../core/context.js';
import { readGroup } from '../flows/edge-group.js';
import { EDGE_COLUMNS, reopenEdge, type EdgeRow } from '../flows/edges.js';
import { isFlowCancelled, reopenFlow } from '../flows/flow-state.js';
import { writeOperatorEvent } from './operator-event.js';
import { defineOperation } from '../operation.js';

interface ReplayTarget {
  execution_id: string;
  namespace: string;
  instance_tag: string | null;
  flow_id: string | null;
  lifecycle_phase: LifecyclePhase;
  public_state: PublicState;
  terminal_outcome: TerminalOutcome;
}

export function replayExecution(ctx: EngineContext, input: z.output<typeof replayExecutionInput>, now: number): ReplayExecutionResult {
  const row = ctx.db
    .prepare(
      `SELECT execution_id, namespace, json_extract(tags, '$."cairn.instance_id"') AS instance_tag, flow_id,
              lifecycle_phase, public_state, terminal_outcome
         FROM ff_exec_core WHERE execution_id = :executionId`,
    )
    .get<ReplayTarget>({ executionId: input.executionId });
  if (!row) throw errors.notFound('execution', input.executionId);
  if (row.lifecycle_phase !== 'terminal') {
    throw new EngineError('state.execution_not_terminal', `only an execution that has ended can be replayed (public_state=${row.public_state})`, {
      executionId: row.execution_id,
      publicState: row.public_state,
    });
  }
  const branch = row.flow_id !== null && row.terminal_outcome === 'skipped' ? 'skipped_flow_member' : 'normal';

  let blocked = false;
  let groupsReset = 0;
  if (row.flow_id !== null) {
    if (isFlowCancelled(ctx, row.flow_id)) {
      throw errors.invalid('executionId', `flow_already_terminal: flow ${row.flow_id} was cancelled`, { reason: 'flow_already_terminal', flowId: row.flow_id });
    }
    const own = readGroup(ctx, row.flow_id, row.execution_id);
    if (own && own.n_total > 0 && own.group_state === 'impossible') {
      const blocking = ctx.db
        .prepare(
          `SELECT upstream_eid FROM ff_edge WHERE downstream_eid = :executionId AND flow_id = :flowId
              AND applied_at_ms IS NOT NULL AND edge_state IN ('failed', 'skipped') ORDER BY staged_at_ms`,
        )
        .all<{ upstream_eid: string }>({ executionId: row.execution_id, flowId: row.flow_id });
      throw new EngineError(
        'contention.execution_not_eligible',
        'its dependencies are still impossible: replay the failed or skipped upstreams first',
        { executionId: row.execution_id, reason: 'dependencies_impossible', upstreamExecutionIds: blocking.map((b) => b.upstream_eid) },
      );
    }
    blocked = own !== undefined && own.n_total > 0 && own.group_state === 'pending';
    groupsReset = reopenOutgoingEdges(ctx, row.flow_id, row.execution_id, now);
    reopenFlow(ctx, row.flow_id);
  }

  const publicState: PublicState = blocked ? 'waiting_children' : 'waiting';
  ctx.db
    .prepare(
      `UPDATE ff_exec_core
          SET lifecycle_phase = 'runnable', ownership_state = 'unowned', eligibility_state = :eligibility,
              attempt_state = 'pending_replay_attempt', public_state = :publicState, blocking_reason = :blocking,
              terminal_outcome = 'none', terminal_at_ms = NULL, eligible_at_ms = NULL, result = NULL,
              cancellation_reason = NULL, cancelled_by = NULL, lease_epoch = lease_epoch + 1,
              raw_fields = json_set(json_remove(raw_fields, '$.failure_reason'), '$.replay_count',
                                    COALESCE(json_extract(raw_fields, '$.replay_count'), 0) + 1)
        WHERE execution_id = :executionId`,
    )
    .run({
      executionId: row.execution_id,
      eligibility: blocked ? 'blocked_by_dependencies' : 'eligible_now',
      publicState,
      blocking: blocked ? 'waiting_for_children' : 'waiting_for_worker',
    });
  writeOperatorEvent(
    ctx,
    { executionId: row.execution_id, flowId: row.flow_id, namespace: row.namespace, instanceTag: row.instance_tag },
    'replayed',
    { branch, groupsReset, previousOutcome: row.terminal_outcome },
    now,
  );
  return { kind: 'replayed', executionId: row.execution_id, publicState, branch, groupsReset };
}

/** Take back every hop the execution's previous outcome made; returns how many groups changed. */
function reopenOutgoingEdges(ctx: EngineContext, flowId: string, executionId: string, now: number): number {
  const edges = ctx.db
    .prepare(
      `SELECT ${EDGE_COLUMNS} FROM ff_edge
        WHERE upstream_eid = :executionId AND flow_id = :flowId AND applied_at_ms IS NOT NULL AND edge_state <> 'pending'
        ORDER BY staged_at_ms, edge_id`,
    )
    .all<EdgeRow>({ executionId, flowId });
  for (const edge of edges) reopenEdge(ctx, edge, now);
  return new Set(edges.map((e) => e.downstream_eid)).size;
}

export const replayExecutionOp = defineOperation({
  name: 'replayExecution',
  family: 'operator',
  kind: 'write',
  summary: 'Operator replay: an ended execution runs again (a flow member waits for its dependencies again).',
  input: replayExecutionInput,
  run: ({ ctx, now }, input): ReplayExecutionResult => replayExecution(ctx, input, now),
});
