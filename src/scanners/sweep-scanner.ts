/**
 * The common scanner shape: one transaction per tick that handles at most a
 * batch of due rows (none when nothing is due), plus a read of when the next
 * row falls due. Every
 * scanner but budget_reset (one transaction per budget) is one of these.
 */
import type { EngineContext } from '../engine/core/context.js';
import type { ScannerHost } from './host.js';
import type { Scanner } from './scanner.js';

export interface SweepSpec {
  name: string;
  intervalMs: number;
  batch: number;
  /** Handle at most `limit` due rows; returns how many. Runs inside the tick's transaction. */
  sweep(ctx: EngineContext, now: number, limit: number): number;
  /** When the next row falls due, or null when none is pending. */
  nextAt(ctx: EngineContext): number | null;
}

export function sweepScanner(host: ScannerHost, spec: SweepSpec): Scanner {
  const op = `scanner.${spec.name}`;
  return {
    name: spec.name,
    intervalMs: spec.intervalMs,
    tick(now) {
      // Nothing due: no transaction. An idle tick would still be a commit, which
      // persistence counts as an unsaved change, once a second on a real clock.
      const due = host.read(op, () => spec.nextAt(host.ctx));
      if (due === null || due > now) return { scanner: spec.name, at: now, processed: 0, errors: 0 };
      const processed = host.run(op, () => spec.sweep(host.ctx, now, spec.batch));
      return { scanner: spec.name, at: now, processed, errors: 0 };
    },
    nextWorkAt: () => host.read(op, () => spec.nextAt(host.ctx)),
  };
}
