/**
 * The engine's scanners, with their intervals and batch sizes: the one
 * place that lists them all.
 */
import { nextDedupExpiryAt, sweepExpiredDedup } from '../engine/budgets/budget-dedup-cleanup.js';
import { markExpiredLeases, nextLeaseExpiryAt } from '../engine/leases/lease-expiry.js';
import { nextDelayedAt, promoteDelayed } from '../engine/executions/promote-delayed.js';
import { failTimedOutAttempts, nextAttemptTimeoutAt } from '../engine/executions/attempt-timeout.js';
import { expirePastDeadline, nextDeadlineAt } from '../engine/executions/execution-deadline.js';
import { nextQuotaExpiryAt, sweepQuotaWindows } from '../engine/quotas/quota-cleanup.js';
import { resolveRetention, type Retention, type RetentionOptions } from '../engine/retention/retention-options.js';
import { nextWorkerExpiryAt, sweepExpiredWorkers } from '../engine/workers/worker-ttl-sweep.js';
import { applySuspensionTimeouts, nextSuspensionTimeoutAt } from '../engine/suspension/suspension-timeout.js';
import { expireWaitpoints, nextWaitpointExpiryAt } from '../engine/suspension/waitpoint-expiry.js';
import { budgetResetScanner } from './budget-reset.js';
import { dependencyReconcilerScanner, type DependencyReconcilerOptions } from './dependency-reconciler.js';
import type { ScannerHost } from './host.js';
import { DEFAULT_SCANNER_INTERVALS, SCANNER_BATCH, type Scanner, type ScannerName } from './scanner.js';
import { retentionTrimmerScanner } from './retention-trimmer.js';
import { sweepScanner } from './sweep-scanner.js';

export interface ScannerOptions {
  /**
   * Milliseconds between ticks per scanner; 0 disables one.
   * @default DEFAULT_SCANNER_INTERVALS (1 s for budget_reset, lease_expiry, delayed_promotion, dependency_reconciler, attempt_timeout, execution_deadline and suspension_timeout; 5 s for the worker TTL sweep and pending_wp_expiry; 60 s for the cleanups and the retention trimmer)
   */
  intervals?: Partial<Record<ScannerName, number>>;
  /**
   * The dependency reconciler: `staleThresholdMs` (@default 1000), the
   * minimum age of an undispatched completion event before it is
   * re-dispatched, and optional `namespace` / `instanceTag` filters (an
   * event outside them is left alone). @default {}
   */
  dependencyReconciler?: DependencyReconcilerOptions;
  /**
   * The retention trimmer: `maxAgeMs` (@default 7200000, 2 h; 0 keeps
   * everything), how long history is kept, and `attemptsKept` (@default 10;
   * 0 keeps every attempt), how many of its newest attempts an execution
   * keeps besides its first (its first and last once its history is
   * trimmed). Retention is off when `maxAgeMs` is 0 or the
   * `retention_trimmer` interval is 0. @default {}
   */
  retention?: RetentionOptions;
}

/** The retention settings in force under `options`, or null when retention is off. */
export function retentionOf(options: ScannerOptions | false): Retention | null {
  if (options === false) return null;
  return resolveRetention(options.retention, scannerInterval(options, 'retention_trimmer'));
}

/** A scanner's interval under `options` (0 = disabled); a RangeError names a bad one. */
export function scannerInterval(options: ScannerOptions | false, name: ScannerName): number {
  if (options === false) return 0;
  const value = options.intervals?.[name] ?? DEFAULT_SCANNER_INTERVALS[name];
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`scanners.intervals.${name} must be an integer ≥ 0 (0 disables it), got ${value}`);
  }
  return value;
}

export function buildScanners(host: ScannerHost, options: ScannerOptions = {}): Scanner[] {
  const interval = (name: ScannerName): number => scannerInterval(options, name);
  const sweep = (name: Exclude<ScannerName, 'budget_reset' | 'dependency_reconciler' | 'retention_trimmer'>, body: Pick<Parameters<typeof sweepScanner>[1], 'sweep' | 'nextAt'>): Scanner =>
    sweepScanner(host, { name, intervalMs: interval(name), batch: SCANNER_BATCH[name], ...body });

  return [
    // At most 20 due budgets a tick, each reset in its own transaction.
    budgetResetScanner(host, interval('budget_reset')),
    // Leased and past expiry → lease_expired_reclaimable, plus an `expired` lease event.
    sweep('lease_expiry', { sweep: markExpiredLeases, nextAt: nextLeaseExpiryAt }),
    // not_eligible_until_time → eligible_now when due (claim also does this for its own lane).
    sweep('delayed_promotion', { sweep: promoteDelayed, nextAt: nextDelayedAt }),
    // Registrations past their liveness TTL are marked dead.
    sweep('worker_registry_ttl_sweep', { sweep: sweepExpiredWorkers, nextAt: nextWorkerExpiryAt }),
    // Budget dedup keys past their TTL (already ignored by reportUsage; this keeps the table small).
    sweep('dedup_cleanup', { sweep: sweepExpiredDedup, nextAt: nextDedupExpiryAt }),
    // Quota window rows past their window, and lapsed concurrency slots.
    sweep('quota_window_cleanup', { sweep: sweepQuotaWindows, nextAt: nextQuotaExpiryAt }),
    // Undispatched completion events older than the threshold are dispatched again (one transaction each).
    dependencyReconcilerScanner(host, interval('dependency_reconciler'), options.dependencyReconciler),
    // History past scanners.retention.maxAgeMs: terminal executions' events and extra attempts, budget and worker events.
    retentionTrimmerScanner(host, interval('retention_trimmer'), retentionOf(options)),
    // Running attempts past the policy's attemptTimeoutMs fail as `timeout` (retried under the retry policy).
    sweep('attempt_timeout', { sweep: failTimedOutAttempts, nextAt: nextAttemptTimeoutAt }),
    // Non-terminal executions past deadlineAtMs end `expired`, with a completion event the flow cascade follows.
    sweep('execution_deadline', { sweep: expirePastDeadline, nextAt: nextDeadlineAt }),
    // Suspensions past their timeout get its behaviour: fail, cancel, expire, or resume with a timeout signal.
    sweep('suspension_timeout', { sweep: applySuspensionTimeouts, nextAt: nextSuspensionTimeoutAt }),
    // Waitpoints past their expiry are deleted (their tokens were already refused).
    sweep('pending_wp_expiry', { sweep: expireWaitpoints, nextAt: nextWaitpointExpiryAt }),
  ];
}
