/**
 * checkAdmission: may this execution start under this quota policy?
 *
 * In order:
 * 1. The execution already holds a live slot under the policy →
 *    `already_admitted`, nothing written (a lapsed slot is freed and the
 *    check goes on as for a new execution).
 * 2. Rate: admissions of this (policy, dimension) in the sliding window
 *    (now - window, now]. At the limit → `rate_exceeded`, with
 *    `retryAfterMs` = when the oldest of them leaves the window (exact: one
 *    admission frees up at that instant).
 * 3. Concurrency: slots held under the policy. At the cap →
 *    `concurrency_exceeded`.
 * 4. Admit: log the admission in the window, take a slot.
 * A refusal never uses up rate (it only frees lapsed slots). 0 = unlimited.
 *
 * Differences from the reference: the limits come from the stored policy
 * (the reference takes them from the caller), an unknown policy is
 * not_found (the reference silently creates an all-zero stub), and slots
 * are released when their execution ends, so the execution must exist and
 * not be terminal yet (otherwise its slot would never come back).
 */
import type { z } from 'zod';
import { EngineError, errors } from '../../api/errors.js';
import type { CheckAdmissionResult } from '../../api/quotas.js';
import { checkAdmissionInput } from '../../api/quotas.js';
import type { EngineContext } from '../core/context.js';
import { freeLapsedSlotsOf } from './quota-cleanup.js';
import { freeSlot } from './release-admission.js';
import { defineOperation } from '../operation.js';

interface PolicyRow {
  requests_per_window_seconds: number;
  max_requests_per_window: number;
  active_concurrency_cap: number;
  active_concurrency: number;
}

export function checkAdmission(ctx: EngineContext, input: z.output<typeof checkAdmissionInput>, now: number): CheckAdmissionResult {
  const { quotaPolicyId, executionId } = input;
  const dimension = input.dimension ?? '';
  const policy = ctx.db
    .prepare(
      `SELECT requests_per_window_seconds, max_requests_per_window, active_concurrency_cap, active_concurrency
         FROM ff_quota_policy WHERE quota_policy_id = :quotaPolicyId`,
    )
    .get<PolicyRow>({ quotaPolicyId });
  if (!policy) throw errors.notFound('quota_policy', quotaPolicyId);
  assertAdmissible(ctx, executionId);

  let active = policy.active_concurrency;
  const held = ctx.db
    .prepare('SELECT expires_at_ms FROM ff_quota_admitted WHERE quota_policy_id = :quotaPolicyId AND execution_id = :executionId')
    .get<{ expires_at_ms: number | null }>({ quotaPolicyId, executionId });
  if (held) {
    if (held.expires_at_ms === null || held.expires_at_ms > now) return { kind: 'already_admitted' };
    // Lapsed but not yet swept: free it now so the counter stays exact.
    freeSlot(ctx, quotaPolicyId, executionId, now);
    active -= 1;
  }

  const windowMs = policy.requests_per_window_seconds * 1000;
  if (policy.max_requests_per_window > 0) {
    // One range scan of the window table's primary key.
    const window = ctx.db
      .prepare(
        `SELECT COUNT(*) AS n, MIN(admitted_at_ms) AS oldest FROM ff_quota_window
          WHERE quota_policy_id = :quotaPolicyId AND dimension = :dimension AND admitted_at_ms > :windowStart`,
      )
      .get<{ n: number; oldest: number | null }>({ quotaPolicyId, dimension, windowStart: now - windowMs })!;
    if (window.n >= policy.max_requests_per_window) {
      return { kind: 'rate_exceeded', retryAfterMs: window.oldest! + windowMs - now };
    }
  }
  if (policy.active_concurrency_cap > 0 && active >= policy.active_concurrency_cap) {
    // Before refusing, free the policy's lapsed slots (slotTtlMs passed,
    // not swept yet): a lapsed slot must not hold capacity.
    active -= freeLapsedSlotsOf(ctx, quotaPolicyId, now);
    if (active >= policy.active_concurrency_cap) return { kind: 'concurrency_exceeded' };
  }

  // The same execution re-admitted in the same millisecond (after a
  // release) would repeat the window row's key; it is logged once.
  ctx.db
    .prepare(
      `INSERT INTO ff_quota_window (quota_policy_id, dimension, admitted_at_ms, execution_id, expires_at_ms)
       VALUES (:quotaPolicyId, :dimension, :now, :executionId, :expiresAt)
       ON CONFLICT DO NOTHING`,
    )
    .run({ quotaPolicyId, dimension, now, executionId, expiresAt: now + windowMs });
  ctx.db
    .prepare(
      `INSERT INTO ff_quota_admitted (quota_policy_id, execution_id, admitted_at_ms, expires_at_ms)
       VALUES (:quotaPolicyId, :executionId, :now, :expiresAt)`,
    )
    .run({ quotaPolicyId, executionId, now, expiresAt: input.slotTtlMs !== undefined ? now + input.slotTtlMs : null });
  ctx.db
    .prepare(
      `UPDATE ff_quota_policy SET active_concurrency = active_concurrency + 1, updated_at_ms = :now
        WHERE quota_policy_id = :quotaPolicyId`,
    )
    .run({ quotaPolicyId, now });
  return { kind: 'admitted' };
}

function assertAdmissible(ctx: EngineContext, executionId: string): void {
  const exec = ctx.db
    .prepare('SELECT lifecycle_phase, public_state FROM ff_exec_core WHERE execution_id = :executionId')
    .get<{ lifecycle_phase: string; public_state: string }>({ executionId });
  if (!exec) throw errors.notFound('execution', executionId);
  if (exec.lifecycle_phase === 'terminal') {
    throw new EngineError('contention.execution_not_active', `execution ${executionId} has ended (${exec.public_state}): it cannot take a quota slot`, {
      executionId,
      lifecyclePhase: exec.lifecycle_phase,
      publicState: exec.public_state,
    });
  }
}

export const checkAdmissionOp = defineOperation({
  name: 'checkAdmission',
  family: 'quotas',
  kind: 'write',
  summary: 'Admit an execution under a quota policy, or say why not (`rate_exceeded` with `retryAfterMs`, `concurrency_exceeded`).',
  input: checkAdmissionInput,
  run: ({ ctx, now }, input): CheckAdmissionResult => checkAdmission(ctx, input, now),
});
