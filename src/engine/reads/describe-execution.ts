/**
 * describeExecution: the info of one execution plus its attempts, its
 * payload and result, retry policy, attempt timeout and progress. A missing execution is null.
 * With retention on, an execution keeps its first and newest attempts; the
 * ones folded away are summed up in `foldedAttempts`.
 */
import { executionRef } from '../../api/executions.js';
import type { AttemptInfo, ExecutionDescription } from '../../api/reads.js';
import type { EngineContext } from '../core/context.js';
import { readPayload } from '../core/payload.js';
import { readFoldedAttempts } from '../executions/fold-attempts.js';
import { parsePolicy } from '../executions/retry-policy.js';
import { defineOperation } from '../operation.js';
import { EXEC_INFO_COLUMNS, toExecutionInfo, type ExecRow } from './execution-row.js';

interface AttemptRow {
  attempt_index: number;
  attempt_type: AttemptInfo['attemptType'];
  attempt_id: string;
  worker_id: string | null;
  worker_instance_id: string | null;
  lease_epoch: number;
  lease_expires_at_ms: number | null;
  timeout_at_ms: number | null;
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
              lease_expires_at_ms, timeout_at_ms, started_at_ms, terminal_at_ms, outcome, failure_reason
         FROM ff_attempt WHERE execution_id = :executionId ORDER BY attempt_index`,
    )
    .all<AttemptRow>({ executionId });
  const raw = JSON.parse(row.raw_fields) as Record<string, unknown>;
  const policy = parsePolicy(row.policy);
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
      timeoutAtMs: a.timeout_at_ms,
      startedAtMs: a.started_at_ms,
      terminalAtMs: a.terminal_at_ms,
      outcome: a.outcome,
      failureReason: a.failure_reason,
    })),
    foldedAttempts: readFoldedAttempts(ctx, executionId),
    payload: readPayload(row.payload),
    result: readPayload(row.result),
    retryPolicy: policy.retryPolicy,
    attemptTimeoutMs: policy.attemptTimeoutMs,
    progress: {
      percent: typeof raw['progress_pct'] === 'number' ? raw['progress_pct'] : null,
      message: typeof raw['progress_message'] === 'string' ? raw['progress_message'] : null,
    },
    lastFailureReason: typeof raw['failure_reason'] === 'string' ? raw['failure_reason'] : null,
    cancellationReason: row.cancellation_reason,
  };
}

export const describeExecutionOp = defineOperation({
  name: 'describeExecution',
  family: 'reads',
  kind: 'read',
  summary:
    'The info plus its attempts (worker, epoch, lease, outcome, failure reason; the first and newest ones, with `foldedAttempts` summing up any folded by retention), the payload, the result, the retry policy, the attempt timeout and the progress, or `null`.',
  input: executionRef,
  run: ({ ctx }, { executionId }): ExecutionDescription | null => describeExecution(ctx, executionId),
});
