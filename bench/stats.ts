/**
 * Per-op timing and summary statistics for the benchmarks. Samples are kept
 * in nanoseconds (from `process.hrtime.bigint()`); summaries report
 * microseconds. Throughput is `n / sum(samples)`, i.e. time spent inside the
 * measured calls only, so untimed setup between ops never counts.
 */

/** Collects one latency sample per op. */
export class Samples {
  private readonly ns: Float64Array;
  private count = 0;

  constructor(capacity: number) {
    this.ns = new Float64Array(capacity);
  }

  /** Run `op`, record how long it took, return its result. */
  time<T>(op: () => T): T {
    const t0 = process.hrtime.bigint();
    const result = op();
    const t1 = process.hrtime.bigint();
    this.add(Number(t1 - t0));
    return result;
  }

  add(ns: number): void {
    if (this.count >= this.ns.length) throw new RangeError(`Samples: capacity ${this.ns.length} exceeded`);
    this.ns[this.count++] = ns;
  }

  get length(): number {
    return this.count;
  }

  values(): Float64Array {
    return this.ns.subarray(0, this.count);
  }
}

export interface Summary {
  /** Number of measured ops. */
  n: number;
  /** n / total measured time. */
  opsPerSec: number;
  meanUs: number;
  p50Us: number;
  p99Us: number;
  minUs: number;
  maxUs: number;
}

/** Nearest-rank percentile of an ascending array (p in [0, 100]). */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  const index = Math.min(sorted.length - 1, Math.max(0, rank - 1));
  return sorted[index]!;
}

/**
 * Summarise samples. `opsPerSample` > 1 when one sample covers several
 * logical ops (a batch call): throughput counts logical ops and the
 * latencies are reported per logical op.
 */
export function summarize(samples: Samples, opsPerSample = 1): Summary {
  const sorted = Float64Array.from(samples.values()).sort();
  let total = 0;
  for (const v of sorted) total += v;
  const n = sorted.length * opsPerSample;
  const perOp = (ns: number): number => ns / 1000 / opsPerSample;
  return {
    n,
    opsPerSec: total > 0 ? n / (total / 1e9) : Number.NaN,
    meanUs: sorted.length > 0 ? perOp(total / sorted.length) : Number.NaN,
    p50Us: perOp(percentile(sorted, 50)),
    p99Us: perOp(percentile(sorted, 99)),
    minUs: perOp(sorted[0] ?? Number.NaN),
    maxUs: perOp(sorted[sorted.length - 1] ?? Number.NaN),
  };
}

/** Deterministic PRNG (mulberry32) so both drivers see the same random picks. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
