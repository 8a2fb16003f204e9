/**
 * evaluateFlowEligibility: may this execution run, as far as its flow is
 * concerned? A read. First matching rule wins (FlowFabric's order):
 * not_found; not_runnable (running, suspended, ended); owned; eligible when
 * it is in no flow or has no edge group; otherwise its group decides:
 * pending → blocked_by_dependencies, impossible → impossible,
 * satisfied → eligible.
 *
 * The group is judged from the upstreams' own outcomes, not from the
 * counters dispatch maintains: an upstream that already ended counts with
 * its outcome even while its completion is still waiting to be dispatched
 * (a dispatch that failed and waits for the reconciler), so a child whose
 * required upstream failed reads `impossible` at once, as in FlowFabric.
 *
 * (The reference only counts edges whose policy JSON carries a `kind` that
 * stageDependencyEdge never writes, so every API-built flow reads as
 * eligible; here the edge group written by dispatch is the answer.)
 */
import type { EvaluateFlowEligibilityResult } from '../../api/flows.js';
import type { LifecyclePhase, OwnershipState, TerminalOutcome } from '../../api/states.js';
import type { EngineContext } from '../core/context.js';
import { decideGroup, hopOutcomeOf, readGroup, type GroupRow } from './edge-group.js';
import { executionRef } from '../../api/executions.js';
import { defineOperation } from '../operation.js';

export function evaluateFlowEligibility(ctx: EngineContext, executionId: string): EvaluateFlowEligibilityResult {
  const row = ctx.db
    .prepare('SELECT flow_id, lifecycle_phase, ownership_state, terminal_outcome FROM ff_exec_core WHERE execution_id = :executionId')
    .get<{ flow_id: string | null; lifecycle_phase: LifecyclePhase; ownership_state: OwnershipState; terminal_outcome: TerminalOutcome }>({
      executionId,
    });
  if (!row) return { status: 'not_found', groupState: null };
  const stored = row.flow_id === null ? undefined : readGroup(ctx, row.flow_id, executionId);
  const group = stored && stored.n_total > 0 ? fromUpstreams(ctx, stored) : stored;
  const groupState = group?.group_state ?? null;
  if (row.lifecycle_phase !== 'runnable') return { status: 'not_runnable', groupState };
  if (row.ownership_state !== 'unowned') return { status: 'owned', groupState };
  if (row.terminal_outcome !== 'none') return { status: 'terminal', groupState };
  if (!group || group.n_total === 0 || groupState === 'satisfied') return { status: 'eligible', groupState };
  return { status: groupState === 'impossible' ? 'impossible' : 'blocked_by_dependencies', groupState };
}

/** The group's counters and state recounted from the outcome of each applied edge's upstream. */
function fromUpstreams(ctx: EngineContext, stored: GroupRow): GroupRow {
  const upstreams = ctx.db
    .prepare(
      `SELECT u.terminal_outcome AS outcome
         FROM ff_edge d JOIN ff_exec_core u ON u.execution_id = d.upstream_eid
        WHERE d.flow_id = :flowId AND d.downstream_eid = :downstream AND d.applied_at_ms IS NOT NULL`,
    )
    .all<{ outcome: TerminalOutcome }>({ flowId: stored.flow_id, downstream: stored.downstream_eid });
  const g: GroupRow = { ...stored, success_count: 0, fail_count: 0, skip_count: 0, running_count: 0, n_total: upstreams.length };
  for (const { outcome } of upstreams) {
    if (outcome === 'none') g.running_count += 1;
    else {
      const hop = hopOutcomeOf(outcome);
      if (hop === 'success') g.success_count += 1;
      else if (hop === 'fail') g.fail_count += 1;
      else g.skip_count += 1;
    }
  }
  g.group_state = decideGroup(g);
  return g;
}

export const evaluateFlowEligibilityOp = defineOperation({
  name: 'evaluateFlowEligibility',
  family: 'flows',
  kind: 'read',
  summary: 'May this execution run, as far as its flow is concerned?',
  input: executionRef,
  run: ({ ctx }, input): EvaluateFlowEligibilityResult => evaluateFlowEligibility(ctx, input.executionId),
});
