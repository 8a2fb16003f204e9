/**
 * A long advance of virtual time, run as a series of bounded slices: each
 * slice is one `advanceTimeTo` call with a wall-time (and optionally a tick)
 * budget, so the worker answers other calls between slices, the caller can
 * show progress, and a cancel takes effect at the next slice boundary. Like
 * every advance it never skips work: cancelled or not, the clock stands at
 * the last instant processed, and nothing due lies behind it.
 *
 * Works with anything that has `now` and `advanceTimeTo`: the browser
 * backend, or an in-process Engine on a ManualClock.
 */
import type { AdvanceResult } from '../engine/time/clock.js';

export interface AdvanceTarget {
  advanceTimeTo(input: { at: number; maxWallMs?: number; maxTicks?: number }): AdvanceResult | Promise<AdvanceResult>;
  now(): number | Promise<number>;
}

export interface SliceProgress {
  /** Where the clock stands after this slice. */
  reachedAt: number;
  startedAt: number;
  target: number;
  /** Share of the virtual span covered so far, 0…1. */
  fraction: number;
  /** Scanner ticks and slices so far. */
  ticks: number;
  slices: number;
}

export interface AdvanceInSlicesOptions {
  /** Real milliseconds one slice may run in the engine. @default 50 */
  sliceWallMs?: number;
  /** Scanner ticks one slice may run. @default no limit but the wall budget */
  sliceTicks?: number;
  /** Called after every slice. */
  onProgress?: (progress: SliceProgress) => void;
  /** Aborting it stops the advance after the slice in flight. */
  signal?: AbortSignal;
}

export interface SlicedAdvanceResult extends SliceProgress {
  finished: boolean;
  /** True when `signal` stopped it before the target. */
  cancelled: boolean;
  /** Items each scanner processed, summed over the slices. */
  processed: Record<string, number>;
}

/** Advance to `to.at`, or by `to.ms` from now, a slice at a time. */
export async function advanceInSlices(
  engine: AdvanceTarget,
  to: { at: number } | { ms: number },
  options: AdvanceInSlicesOptions = {},
): Promise<SlicedAdvanceResult> {
  const startedAt = await engine.now();
  const target = 'at' in to ? to.at : startedAt + to.ms;
  const span = Math.max(1, target - startedAt);
  const processed: Record<string, number> = {};
  let progress: SliceProgress = { reachedAt: startedAt, startedAt, target, fraction: 0, ticks: 0, slices: 0 };
  for (;;) {
    if (options.signal?.aborted) return { ...progress, finished: false, cancelled: true, processed };
    const slice = await engine.advanceTimeTo({
      at: target,
      maxWallMs: options.sliceWallMs ?? 50,
      ...(options.sliceTicks === undefined ? {} : { maxTicks: options.sliceTicks }),
    });
    for (const r of slice.reports) processed[r.scanner] = (processed[r.scanner] ?? 0) + r.processed;
    progress = {
      reachedAt: slice.reachedAt,
      startedAt,
      target,
      fraction: Math.min(1, (slice.reachedAt - startedAt) / span),
      ticks: progress.ticks + slice.ticks,
      slices: progress.slices + 1,
    };
    options.onProgress?.(progress);
    if (slice.finished) return { ...progress, fraction: 1, finished: true, cancelled: false, processed };
  }
}
