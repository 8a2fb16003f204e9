/**
 * The engine's scanners, with their intervals. Each scanner lives in its own
 * file; this one only lists them.
 */
import { budgetResetScanner } from './budget-reset.js';
import { dedupCleanupScanner, quotaWindowCleanupScanner } from './cleanup.js';
import { delayedPromotionScanner } from './delayed-promotion.js';
import { leaseExpiryScanner } from './lease-expiry.js';
import { workerRegistryTtlSweepScanner } from './worker-registry-ttl-sweep.js';
import type { ScannerHost } from './host.js';
import { DEFAULT_SCANNER_INTERVALS, type Scanner, type ScannerName } from './scanner.js';

export interface ScannerOptions {
  /**
   * Milliseconds between ticks per scanner; 0 disables one.
   * @default DEFAULT_SCANNER_INTERVALS (1 s for budget_reset, lease_expiry and delayed_promotion; 5 s for the worker TTL sweep; 60 s for the cleanups)
   */
  intervals?: Partial<Record<ScannerName, number>>;
}

export function buildScanners(host: ScannerHost, options: ScannerOptions = {}): Scanner[] {
  const interval = (name: ScannerName): number => {
    const value = options.intervals?.[name] ?? DEFAULT_SCANNER_INTERVALS[name];
    if (!Number.isInteger(value) || value < 0) {
      throw new RangeError(`scanners.intervals.${name} must be an integer ≥ 0 (0 disables it), got ${value}`);
    }
    return value;
  };
  return [
    budgetResetScanner(host, interval('budget_reset')),
    leaseExpiryScanner(host, interval('lease_expiry')),
    delayedPromotionScanner(host, interval('delayed_promotion')),
    workerRegistryTtlSweepScanner(host, interval('worker_registry_ttl_sweep')),
    dedupCleanupScanner(host, interval('dedup_cleanup')),
    quotaWindowCleanupScanner(host, interval('quota_window_cleanup')),
  ];
}
