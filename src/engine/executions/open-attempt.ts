/**
 * Open a new attempt holding a fresh lease: the one step claim and reclaim
 * share. The attempt goes at index attempt_count, the execution's lease epoch
 * is bumped (so every older handle is stale), and the execution becomes
 * active and leased. With retention on, attempts beyond the cap are folded
 * (see fold-attempts.ts). When the execution's policy has an
 * attemptTimeoutMs, the attempt records when it runs out (timeout_at_ms):
 * the attempt_timeout scanner's due time.
 */
import type { Handle, HandleKind } from '../../api/handle.js';
import type { EngineContext } from '../core/context.js';
import { foldAttempts } from './fold-attempts.js';

/** Most attempt rows one openAttempt folds (see below). */
const FOLD_PER_OPEN = 1_000;

export type AttemptType = 'initial' | 'retry' | 'resume' | 'replay' | 'reclaim';

export interface AttemptTarget {
  executionId: string;
  laneId: string;
  /** Attempts so far: the new attempt's index. */
  attemptCount: number;
  /** The execution's current lease epoch; the new lease gets the next one. */
  leaseEpoch: number;
}

export interface LeaseHolder {
  workerId: string;
  workerInstanceId: string;
  leaseTtlMs: number;
}

export function openAttempt(
  ctx: EngineContext,
  target: AttemptTarget,
  holder: LeaseHolder,
  attemptType: AttemptType,
  now: number,
): Handle {
  const attemptIndex = target.attemptCount;
  const leaseEpoch = target.leaseEpoch + 1;
  const attemptId = ctx.ids.uuid();
  const leaseId = ctx.ids.uuid();
  ctx.db
    .prepare(
      `INSERT INTO ff_attempt (execution_id, attempt_index, attempt_type, attempt_id, lease_id, worker_id,
         worker_instance_id, lease_epoch, lease_ttl_ms, lease_expires_at_ms, started_at_ms, timeout_at_ms)
       VALUES (:executionId, :attemptIndex, :attemptType, :attemptId, :leaseId, :workerId,
         :workerInstanceId, :leaseEpoch, :ttl, :expiresAt, :now,
         :now + (SELECT json_extract(policy, '$.attemptTimeoutMs') FROM ff_exec_core WHERE execution_id = :executionId))`,
    )
    .run({
      executionId: target.executionId,
      attemptIndex,
      attemptType,
      attemptId,
      leaseId,
      workerId: holder.workerId,
      workerInstanceId: holder.workerInstanceId,
      leaseEpoch,
      ttl: holder.leaseTtlMs,
      expiresAt: now + holder.leaseTtlMs,
      now,
    });
  ctx.db
    .prepare(
      `UPDATE ff_exec_core
          SET lifecycle_phase = 'active', ownership_state = 'leased', eligibility_state = 'not_applicable',
              attempt_state = 'running_attempt', public_state = 'active', blocking_reason = 'none',
              attempt_index = :attemptIndex, attempt_count = :attemptIndex + 1, lease_epoch = :leaseEpoch,
              lease_reclaim_count = lease_reclaim_count + :reclaimed,
              started_at_ms = COALESCE(started_at_ms, :now)
        WHERE execution_id = :executionId`,
    )
    .run({ executionId: target.executionId, attemptIndex, leaseEpoch, reclaimed: attemptType === 'reclaim' ? 1 : 0, now });
  // Retention's attempt cap: the first and the newest N stay (the new one among them). Normally one row
  // folds; a backlog from before the cap folds FOLD_PER_OPEN at a time, so no single claim is slow.
  foldAttempts(ctx, target.executionId, attemptIndex, ctx.attemptsKept ?? 0, FOLD_PER_OPEN);

  const kind: HandleKind = attemptType === 'reclaim' ? 'reclaimed' : attemptType === 'resume' ? 'resumed' : 'fresh';
  return {
    backend: 'sqlite',
    kind,
    executionId: target.executionId,
    attemptIndex,
    attemptId,
    leaseId,
    leaseEpoch,
    leaseTtlMs: holder.leaseTtlMs,
    laneId: target.laneId,
    workerInstanceId: holder.workerInstanceId,
  };
}
