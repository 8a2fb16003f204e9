/** worker_registry_ttl_sweep: registrations past their liveness TTL are marked dead. */
import { nextWorkerExpiryAt, sweepExpiredWorkers } from '../engine/worker-ttl-sweep.js';
import type { ScannerHost } from './host.js';
import { SCANNER_BATCH, type Scanner } from './scanner.js';

export function workerRegistryTtlSweepScanner(host: ScannerHost, intervalMs: number): Scanner {
  return {
    name: 'worker_registry_ttl_sweep',
    intervalMs,
    tick(now) {
      const processed = host.run('scanner.worker_registry_ttl_sweep', () =>
        sweepExpiredWorkers(host.ctx, now, SCANNER_BATCH.worker_registry_ttl_sweep),
      );
      return { scanner: 'worker_registry_ttl_sweep', at: now, processed, errors: 0 };
    },
    nextWorkAt: () => host.read('scanner.worker_registry_ttl_sweep', () => nextWorkerExpiryAt(host.ctx)),
  };
}
