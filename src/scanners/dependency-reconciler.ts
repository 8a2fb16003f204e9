/**
 * dependency_reconciler (FlowFabric's Postgres dependency reconciler): the
 * backstop for the completion cascade. Each tick takes undispatched
 * completion events older than the staleness threshold, oldest first, at
 * most a batch, optionally only of one namespace and/or instance tag, and
 * dispatches each in its own transaction (through the engine's cascade, so
 * whatever that dispatch ends is dispatched at once too: a cascade of depth
 * D drains in one tick, and never in more than D).
 *
 * The threshold keeps it off the hot path: the engine dispatches every
 * event right after the operation that wrote it, so only an interrupted
 * dispatch is ever old enough. Report details: scanned (due rows seen,
 * filtered ones included), reconciled (dispatched by this tick), noop
 * (already dispatched when its turn came), filtered (left out by the
 * filter); `errors` counts dispatches that failed and stay for a later tick.
 */
import { dispatchCompletion } from '../engine/flows/dispatch-completion.js';
import { oldestUndispatchedAt, selectUndispatched, type DispatchFilter } from '../engine/flows/pending-dispatch.js';
import type { ScannerHost } from './host.js';
import { SCANNER_BATCH, type Scanner } from './scanner.js';

/** FlowFabric's default: an event younger than this is left to the in-process dispatcher. */
export const DEFAULT_STALE_THRESHOLD_MS = 1_000;

export interface DependencyReconcilerOptions extends DispatchFilter {
  /** Minimum age of an undispatched event before the reconciler takes it. @default 1000 */
  staleThresholdMs?: number | undefined;
}

export function dependencyReconcilerScanner(host: ScannerHost, intervalMs: number, options: DependencyReconcilerOptions = {}): Scanner {
  const threshold = options.staleThresholdMs ?? DEFAULT_STALE_THRESHOLD_MS;
  if (!Number.isInteger(threshold) || threshold < 0) {
    throw new RangeError(`scanners.dependencyReconciler.staleThresholdMs must be an integer ≥ 0, got ${threshold}`);
  }
  const filter: DispatchFilter = { namespace: options.namespace, instanceTag: options.instanceTag };
  const op = 'scanner.dependency_reconciler';
  return {
    name: 'dependency_reconciler',
    intervalMs,
    tick(now) {
      const due = host.read(op, () => selectUndispatched(host.ctx, now - threshold, SCANNER_BATCH.dependency_reconciler, filter));
      let reconciled = 0;
      let noop = 0;
      let errors = 0;
      for (const eventId of due.eventIds) {
        try {
          const outcome = host.run(op, () => dispatchCompletion(host.ctx, eventId, now));
          if (outcome.kind === 'noop') noop++;
          else reconciled++;
        } catch {
          errors++;
        }
      }
      return {
        scanner: 'dependency_reconciler',
        at: now,
        processed: reconciled,
        errors,
        details: { scanned: due.eventIds.length + due.filtered, reconciled, noop, filtered: due.filtered },
      };
    },
    nextWorkAt: () => {
      const oldest = host.read(op, () => oldestUndispatchedAt(host.ctx, filter));
      return oldest === null ? null : oldest + threshold;
    },
  };
}
