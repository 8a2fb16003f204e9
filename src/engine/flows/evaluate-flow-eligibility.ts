/**
 * evaluateFlowEligibility: may this execution run, as far as its flow is
 * concerned? A read. First matching rule wins (FlowFabric's order):
 * not_found; not_runnable (running, suspended, ended); owned; eligible when
 * it is in no flow or has no edge group; otherwise its group decides:
 * pending → blocked_by_dependencies, impossible → impossible,
 * satisfied → eligible.
 *
 * (The reference only counts edges whose policy JSON carries a `kind` that
 * stageDependencyEdge never writes, so every API-built flow reads as
 * eligible; here the edge group written by dispatch is the answer.)
 */
import type { EvaluateFlowEligibilityResult } from '../../api/flows.js';
import type { LifecyclePhase, OwnershipState, TerminalOutcome } from '../../api/states.js';
import type { EngineContext } from '../core/context.js';
import { readGroup } from './edge-group.js';
import { executionRef } from '../../api/executions.js';
import { defineOperation } from '../operation.js';

export function evaluateFlowEligibility(ctx: EngineContext, executionId: string): EvaluateFlowEligibilityResult {
  const row = ctx.db
    .prepare('SELECT flow_id, lifecycle_phase, ownership_state, terminal_outcome FROM ff_exec_core WHERE execution_id = :executionId')
    .get<{ flow_id: string | null; lifecycle_phase: LifecyclePhase; ownership_state: OwnershipState; terminal_outcome: TerminalOutcome }>({
      executionId,
    });
  if (!row) return { status: 'not_found', groupState: null };
  const group = row.flow_id === null ? undefined : readGroup(ctx, row.flow_id, executionId);
  const groupState = group?.group_state ?? null;
  if (row.lifecycle_phase !== 'runnable') return { status: 'not_runnable', groupState };
  if (row.ownership_state !== 'unowned') return { status: 'owned', groupState };
  if (row.terminal_outcome !== 'none') return { status: 'terminal', groupState };
  if (!group || group.n_total === 0 || groupState === 'satisfied') return { status: 'eligible', groupState };
  return { status: groupState === 'impossible' ? 'impossible' : 'blocked_by_dependencies', groupState };
}

export const evaluateFlowEligibilityOp = defineOperation({
  name: 'evaluateFlowEligibility',
  family: 'flows',
  kind: 'read',
  summary: 'May this execution run, as far as its flow is concerned?',
  input: executionRef,
  run: ({ ctx }, input): EvaluateFlowEligibilityResult => evaluateFlowEligibility(ctx, input.executionId),
});
