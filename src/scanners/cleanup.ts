/**
 * dedup_cleanup and quota_window_cleanup: delete budget dedup keys past their
 * TTL, and quota window rows (and lapsed concurrency slots) past their window.
 * Expired rows are already ignored by the operations that read them; these
 * scanners only keep the tables from growing.
 */
import { nextDedupExpiryAt, sweepExpiredDedup } from '../engine/budget-dedup-cleanup.js';
import { nextQuotaExpiryAt, sweepQuotaWindows } from '../engine/quota-cleanup.js';
import type { ScannerHost } from './host.js';
import { SCANNER_BATCH, type Scanner } from './scanner.js';

export function dedupCleanupScanner(host: ScannerHost, intervalMs: number): Scanner {
  return {
    name: 'dedup_cleanup',
    intervalMs,
    tick(now) {
      const processed = host.run('scanner.dedup_cleanup', () => sweepExpiredDedup(host.ctx, now, SCANNER_BATCH.dedup_cleanup));
      return { scanner: 'dedup_cleanup', at: now, processed, errors: 0 };
    },
    nextWorkAt: () => host.read('scanner.dedup_cleanup', () => nextDedupExpiryAt(host.ctx)),
  };
}

export function quotaWindowCleanupScanner(host: ScannerHost, intervalMs: number): Scanner {
  return {
    name: 'quota_window_cleanup',
    intervalMs,
    tick(now) {
      const processed = host.run('scanner.quota_window_cleanup', () =>
        sweepQuotaWindows(host.ctx, now, SCANNER_BATCH.quota_window_cleanup),
      );
      return { scanner: 'quota_window_cleanup', at: now, processed, errors: 0 };
    },
    nextWorkAt: () => host.read('scanner.quota_window_cleanup', () => nextQuotaExpiryAt(host.ctx)),
  };
}
