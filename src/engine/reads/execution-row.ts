/**
 * The execution row as the reads see it, and its public shape: shared by the
 * point reads and the listing. Payload and result are read only on demand.
 */
import type { ExecutionInfo } from '../../api/reads.js';
import type {
  AttemptState,
  BlockingReason,
  EligibilityState,
  LifecyclePhase,
  OwnershipState,
  PublicState,
  TerminalOutcome,
} from '../../api/states.js';

export interface ExecRow {
  execution_id: string;
  namespace: string;
  execution_kind: string;
  lane_id: string;
  flow_id: string | null;
  priority: number;
  lifecycle_phase: LifecyclePhase;
  ownership_state: OwnershipState;
  eligibility_state: EligibilityState;
  attempt_state: AttemptState;
  public_state: PublicState;
  blocking_reason: BlockingReason;
  terminal_outcome: TerminalOutcome;
  attempt_index: number;
  attempt_count: number;
  retry_count: number;
  lease_reclaim_count: number;
  created_at_ms: number;
  eligible_at_ms: number | null;
  started_at_ms: number | null;
  terminal_at_ms: number | null;
  deadline_at_ms: number | null;
  tags: string;
  capabilities: string | null;
}

/** Every column a listing needs; payload and result are read only on demand. */
export const EXEC_INFO_COLUMNS = `e.execution_id, e.namespace, e.execution_kind, e.lane_id, e.flow_id, e.priority,
  e.lifecycle_phase, e.ownership_state, e.eligibility_state, e.attempt_state, e.public_state, e.blocking_reason,
  e.terminal_outcome, e.attempt_index, e.attempt_count, e.retry_count, e.lease_reclaim_count, e.created_at_ms,
  e.eligible_at_ms, e.started_at_ms, e.terminal_at_ms, e.deadline_at_ms, e.tags,
  CASE WHEN e.capability_count = 0 THEN NULL ELSE
    (SELECT json_group_array(capability) FROM ff_execution_capabilities c WHERE c.execution_id = e.execution_id) END AS capabilities`;

export function toExecutionInfo(row: ExecRow): ExecutionInfo {
  return {
    executionId: row.execution_id,
    namespace: row.namespace,
    executionKind: row.execution_kind,
    laneId: row.lane_id,
    flowId: row.flow_id,
    priority: row.priority,
    stateVector: {
      lifecyclePhase: row.lifecycle_phase,
      ownershipState: row.ownership_state,
      eligibilityState: row.eligibility_state,
      blockingReason: row.blocking_reason,
      terminalOutcome: row.terminal_outcome,
      attemptState: row.attempt_state,
      publicState: row.public_state,
    },
    publicState: row.public_state,
    createdAtMs: row.created_at_ms,
    startedAtMs: row.started_at_ms,
    completedAtMs: row.terminal_at_ms,
    eligibleAtMs: row.eligible_at_ms,
    deadlineAtMs: row.deadline_at_ms,
    currentAttemptIndex: row.attempt_index,
    attemptCount: row.attempt_count,
    retryCount: row.retry_count,
    leaseReclaimCount: row.lease_reclaim_count,
    tags: JSON.parse(row.tags) as Record<string, string>,
    requiredCapabilities: row.capabilities === null ? [] : (JSON.parse(row.capabilities) as string[]),
  };
}
