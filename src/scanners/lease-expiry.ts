/** lease_expiry: leased and past expiry → `lease_expired_reclaimable`, plus an `expired` lease event. */
import { markExpiredLeases, nextLeaseExpiryAt } from '../engine/lease-expiry.js';
import type { ScannerHost } from './host.js';
import { SCANNER_BATCH, type Scanner } from './scanner.js';

export function leaseExpiryScanner(host: ScannerHost, intervalMs: number): Scanner {
  return {
    name: 'lease_expiry',
    intervalMs,
    tick(now) {
      const processed = host.run('scanner.lease_expiry', () => markExpiredLeases(host.ctx, now, SCANNER_BATCH.lease_expiry));
      return { scanner: 'lease_expiry', at: now, processed, errors: 0 };
    },
    nextWorkAt: () => host.read('scanner.lease_expiry', () => nextLeaseExpiryAt(host.ctx)),
  };
}
