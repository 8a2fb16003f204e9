/**
 * Retention settings (`scanners.retention`), their defaults, and how they
 * resolve against the retention_trimmer's interval.
 */

export interface RetentionOptions {
  /**
   * How long history is kept: a terminal execution's history (lease,
   * completion, operator and signal events, stream frames, claim grants)
   * from the moment it ended, budget and worker-registry events from the
   * moment they happened. 0 keeps everything: no trimming and no attempt
   * folding.
   * @default 7200000 (2 h)
   */
  maxAgeMs?: number;
  /**
   * Attempts an execution keeps besides its first: the newest N (the
   * current one among them); those between are folded into a summary. Once
   * a terminal execution's history is trimmed it keeps only its first and
   * last. 0 keeps every attempt.
   * @default 10
   */
  attemptsKept?: number;
}

/**
 * Two hours: the recent past of a busy dev session (an hourly budget's last
 * periods, a failing job's retries) stays readable, and a database under
 * constant load levels off at a few megabytes of history instead of growing
 * with every tick (`npm run bench`, "soak").
 */
export const DEFAULT_RETENTION_MAX_AGE_MS = 2 * 3_600_000;

/** Ten: enough to see a retry pattern, small enough that a job failing forever costs eleven rows. */
export const DEFAULT_ATTEMPTS_KEPT = 10;

export interface Retention {
  maxAgeMs: number;
  attemptsKept: number;
}

/**
 * The settings in force, or null when retention is off: the trimmer's
 * interval is 0 (or every scanner is off), or `maxAgeMs` is 0. A RangeError
 * names a bad value.
 */
export function resolveRetention(options: RetentionOptions | undefined, trimmerIntervalMs: number): Retention | null {
  const maxAgeMs = check('maxAgeMs', options?.maxAgeMs ?? DEFAULT_RETENTION_MAX_AGE_MS, '0 keeps everything');
  const attemptsKept = check('attemptsKept', options?.attemptsKept ?? DEFAULT_ATTEMPTS_KEPT, '0 keeps every attempt');
  if (trimmerIntervalMs <= 0 || maxAgeMs === 0) return null;
  return { maxAgeMs, attemptsKept };
}

function check(name: string, value: number, zero: string): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`scanners.retention.${name} must be an integer ≥ 0 (${zero}), got ${value}`);
  return value;
}
