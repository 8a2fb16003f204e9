/** Retry decisions from the execution's stored retry policy. */
import type { RetryPolicy } from '../../api/executions.js';

export interface StoredPolicy {
  retryPolicy: RetryPolicy | null;
  maxReclaimCount: number | null;
}

export function parsePolicy(json: string): StoredPolicy {
  const parsed = JSON.parse(json) as Partial<StoredPolicy>;
  return { retryPolicy: parsed.retryPolicy ?? null, maxReclaimCount: parsed.maxReclaimCount ?? null };
}

/**
 * Delay before the retry that follows `retryCount` earlier retries:
 * fixed → delayMs; exponential → min(initial × multiplier^retryCount, max),
 * truncated to whole milliseconds.
 */
export function backoffMs(policy: RetryPolicy, retryCount: number): number {
  const b = policy.backoff;
  if (b.type === 'fixed') return b.delayMs;
  return Math.floor(Math.min(b.initialDelayMs * Math.pow(b.multiplier, retryCount), b.maxDelayMs));
}
