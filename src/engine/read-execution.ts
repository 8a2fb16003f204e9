/**
 * Point reads of one execution: readExecutionState, readExecutionInfo,
 * getExecutionResult, describeExecution. A missing execution reads as null.
 */
import type { Payload } from '../api/common.js';
import type { AttemptInfo, ExecutionDescription, ExecutionInfo } from '../api/reads.js';
import type {
  AttemptState,
  BlockingReason,
  EligibilityState,
  LifecyclePhase,
  OwnershipState,
  PublicState,
  TerminalOutcome,
} from '../api/states.js';
import type { EngineContext } from './context.js';
import { readPayload } from './payload.js';

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

export function readExecutionState(ctx: EngineContext, executionId: string): PublicState | null {
  const row = ctx.db
    .prepare('SELECT public_state FROM ff_exec_core WHERE execution_id = :executionId')
    .get<{ public_state: PublicState }>({ executionId });
  return row ? row.public_state : null;
}

export function readExecutionInfo(ctx: EngineContext, executionId: string): ExecutionInfo | null {
  const row = ctx.db
    .prepare(`SELECT ${EXEC_INFO_COLUMNS} FROM ff_exec_core e WHERE e.execution_id = :executionId`)
    .get<ExecRow>({ executionId });
  return row ? toExecutionInfo(row) : null;
}

export function getExecutionResult(ctx: EngineContext, executionId: string): Payload | null {
  const row = ctx.db.prepare('SELECT result FROM ff_exec_core WHERE execution_id = :executionId').get<{ result: unknown }>({ executionId });
  return row ? readPayload(row.result) : null;
}

interface AttemptRow {
  attempt_index: number;
  attempt_type: AttemptInfo['attemptType'];
  attempt_id: string;
  worker_id: string | null;
  worker_instance_id: string | null;
  lease_epoch: number;
  lease_expires_at_ms: number | null;
  started_at_ms: number;
  terminal_at_ms: number | null;
  outcome: AttemptInfo['outcome'];
  failure_reason: string | null;
}

export function describeExecution(ctx: EngineContext, executionId: string): ExecutionDescription | null {
  const row = ctx.db
    .prepare(
      `SELECT ${EXEC_INFO_COLUMNS}, e.payload, e.result, e.policy, e.raw_fields, e.cancellation_reason
         FROM ff_exec_core e WHERE e.execution_id = :executionId`,
    )
    .get<ExecRow & { payload: unknown; result: unknown; policy: string; raw_fields: string; cancellation_reason: string | null }>({
      executionId,
    });
  if (!row) return null;
  const attempts = ctx.db
    .prepare(
      `SELECT attempt_index, attempt_type, attempt_id, worker_id, worker_instance_id, lease_epoch,
              lease_expires_at_ms, started_at_ms, terminal_at_ms, outcome, failure_reason
         FROM ff_attempt WHERE execution_id = :executionId ORDER BY attempt_index`,
    )
    .all<AttemptRow>({ executionId });
  const raw = JSON.parse(row.raw_fields) as Record<string, unknown>;
  const policy = JSON.parse(row.policy) as { retryPolicy?: unknown };
  return {
    ...toExecutionInfo(row),
    attempts: attempts.map((a) => ({
      attemptIndex: a.attempt_index,
      attemptType: a.attempt_type,
      attemptId: a.attempt_id,
      workerId: a.worker_id,
      workerInstanceId: a.worker_instance_id,
      leaseEpoch: a.lease_epoch,
      leaseExpiresAtMs: a.lease_expires_at_ms,
      startedAtMs: a.started_at_ms,
      terminalAtMs: a.terminal_at_ms,
      outcome: a.outcome,
      failureReason: a.failure_reason,
    })),
    payload: readPayload(row.payload),
    result: readPayload(row.result),
    retryPolicy: policy.retryPolicy ?? null,
    progress: {
      percent: typeof raw['progress_pct'] === 'number' ? raw['progress_pct'] : null,
      message: typeof raw['progress_message'] === 'string' ? raw['progress_message'] : null,
    },
    lastFailureReason: typeof raw['failure_reason'] === 'string' ? raw['failure_reason'] : null,
    cancellationReason: row.cancellation_reason,
  };
}
