/**
 * retention_trimmer (FlowFabric's scanner of that name): keeps history from
 * growing without bound. Each tick, in one transaction, it deletes at most a
 * batch of rows of each kind that has outlived `scanners.retention.maxAgeMs`:
 * terminal executions' history (see engine/retention/trim-executions.ts),
 * superseded budget events and worker registry events. Live executions,
 * undispatched completion events and each budget's newest event are never
 * touched.
 *
 * Like every sweep, a tick with nothing due opens no transaction, and
 * `nextWorkAt` is the exact time the oldest trimmable row becomes due, so
 * virtual time only ticks it when it has something to delete.
 *
 * Before deleting, it calls `beforeTrim`: the worker's event hub uses it to
 * deliver events it has not sent yet (a long advance of virtual time can
 * write an event and trim it before the hub's delivery runs), so a live
 * subscription never loses an event to the trimmer.
 *
 * Report details: executions (histories finished), the rows deleted per
 * kind, and `rows`, their total.
 */
import type { Retention } from '../engine/retention/retention-options.js';
import { nextRetentionAt, trimRetention } from '../engine/retention/retention-sweep.js';
import type { ScannerHost } from './host.js';
import { SCANNER_BATCH, type Scanner } from './scanner.js';

export function retentionTrimmerScanner(host: ScannerHost, intervalMs: number, retention: Retention | null): Scanner {
  const op = 'scanner.retention_trimmer';
  const nextAt = (): number | null => (retention === null ? null : host.read(op, () => nextRetentionAt(host.ctx, retention)));
  return {
    name: 'retention_trimmer',
    // Retention off (maxAgeMs 0) disables the scanner, so its state says so.
    intervalMs: retention === null ? 0 : intervalMs,
    tick(now) {
      const due = nextAt();
      if (retention === null || due === null || due > now) return { scanner: 'retention_trimmer', at: now, processed: 0, errors: 0 };
      host.beforeTrim?.();
      const { rows, ...details } = host.run(op, () => trimRetention(host.ctx, now, retention, SCANNER_BATCH.retention_trimmer));
      return { scanner: 'retention_trimmer', at: now, processed: rows, errors: 0, details: { ...details, rows } };
    },
    nextWorkAt: nextAt,
  };
}
