/** delayed_promotion: `not_eligible_until_time` → `eligible_now` when due. */
import { nextDelayedAt, promoteDelayed } from '../engine/promote-delayed.js';
import type { ScannerHost } from './host.js';
import { SCANNER_BATCH, type Scanner } from './scanner.js';

export function delayedPromotionScanner(host: ScannerHost, intervalMs: number): Scanner {
  return {
    name: 'delayed_promotion',
    intervalMs,
    tick(now) {
      const processed = host.run('scanner.delayed_promotion', () => promoteDelayed(host.ctx, now, SCANNER_BATCH.delayed_promotion));
      return { scanner: 'delayed_promotion', at: now, processed, errors: 0 };
    },
    nextWorkAt: () => host.read('scanner.delayed_promotion', () => nextDelayedAt(host.ctx)),
  };
}
