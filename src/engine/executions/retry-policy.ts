/** Retry decisions from the execution's stored retry policy. */
import type { RetryPolicy } from '../../api/executions.js';

export interface StoredPolicy {
  retryPolicy: RetryPolicy | null;
  maxReclaimCount: number | null;
  /** Each attempt's allowed running time; openAttempt turns it into the attempt's timeout_at_ms. */
  attemptTimeoutMs: number | null;
}

export function parsePolicy(json: string): StoredPolicy {
  const parsed = JSON.parse(json) as Partial<StoredPolicy>;
  return {
    retryPolicy: parsed.retryPolicy ?? null,
    maxReclaimCount: parsed.maxReclaimCount ?? null,
    attemptTimeoutMs: parsed.attemptTimeoutMs ?? null,
  };
}

/**
 * Delay before the retry that follows `retryCount` earlier retries:
 * fixed → delayMs; exponential → min(initial × multiplier^retryCount, max),
 * truncated to whole milliseconds: always a finite integer within the cap.
 */
export function backoffMs(policy: RetryPolicy, retryCount: number): number {
  const b = policy.backoff;
  if (b.type === 'fixed') return b.delayMs;
  // Zero stays zero however far the multiplier has grown (0 × Infinity would be NaN),
  // and a product past the float range is past the cap.
  if (b.initialDelayMs === 0) return 0;
  const raw = b.initialDelayMs * Math.pow(b.multiplier, retryCount);
  return Number.isFinite(raw) ? Math.floor(Math.min(raw, b.maxDelayMs)) : b.maxDelayMs;
}
