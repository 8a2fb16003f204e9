/**
 * A scanner is a periodic job over the database: `tick(now)` does one bounded
 * batch of work and returns a report. The supervisor owns the timers.
 */
export const SCANNER_NAMES = [
  'budget_reset',
  'worker_registry_ttl_sweep',
  'lease_expiry',
  'delayed_promotion',
  'dedup_cleanup',
  'quota_window_cleanup',
  'dependency_reconciler',
  'retention_trimmer',
  'attempt_timeout',
  'execution_deadline',
  'suspension_timeout',
  'pending_wp_expiry',
] as const;
export type ScannerName = (typeof SCANNER_NAMES)[number];

export interface ScannerReport {
  scanner: string;
  /** Engine time of the tick. */
  at: number;
  /** Rows acted on (reset, expired, promoted, deleted, …). */
  processed: number;
  /** Items whose transaction failed; the tick went on with the rest. */
  errors: number;
  /** Scanner-specific counts. */
  details?: Record<string, number>;
}

export interface Scanner {
  readonly name: string;
  /** Milliseconds between ticks; 0 disables the scanner. */
  readonly intervalMs: number;
  tick(now: number): ScannerReport | Promise<ScannerReport>;
  /**
   * Earliest time a tick could find work, or null when nothing is pending.
   * Virtual time uses it to skip idle ticks; without it every tick runs.
   * Report only work a tick would change: anything else (an idle budget, a
   * row the sweep would skip) makes virtual time tick once per interval for
   * nothing, so an advance would cost the time it covers.
   */
  nextWorkAt?(): number | null;
}

/**
 * Default intervals, in milliseconds. A dev backend favours quick feedback
 * over the server defaults (FlowFabric runs budget_reset every 15 s and the
 * worker TTL sweep every 30 s): every tick is an indexed query over due rows
 * only, so a short interval costs next to nothing when there is no work.
 */
export const DEFAULT_SCANNER_INTERVALS: Record<ScannerName, number> = {
  budget_reset: 1_000,
  worker_registry_ttl_sweep: 5_000,
  lease_expiry: 1_000,
  delayed_promotion: 1_000,
  dedup_cleanup: 60_000,
  quota_window_cleanup: 60_000,
  // FlowFabric's: the reconciler only backs up the in-process cascade, and
  // its staleness threshold (1 s) already delays it that long.
  dependency_reconciler: 1_000,
  // Like the other cleanups: history is trimmed by the hour, not the second,
  // and each tick has a row budget that outpaces a busy engine's inflow.
  retention_trimmer: 60_000,
  // Like lease_expiry: a timeout or deadline is observed at most a second
  // late on a real clock (FlowFabric's 2 s and 5 s suit a server, not a
  // dev loop). On virtual time it fires at its instant, unless the scanner
  // already ticked less than an interval before.
  attempt_timeout: 1_000,
  execution_deadline: 1_000,
  // A suspension timeout is a deadline users watch, so it gets lease_expiry's second too.
  suspension_timeout: 1_000,
  // Delivery already refuses an expired waitpoint's token on the engine
  // clock; this only deletes the rows, so listings may lag by a few seconds.
  pending_wp_expiry: 5_000,
};

/** Most rows one tick handles; bounded so a tick never holds the database for long. */
export const SCANNER_BATCH = {
  /** FlowFabric's budget_reset batch. */
  budget_reset: 20,
  worker_registry_ttl_sweep: 500,
  lease_expiry: 500,
  delayed_promotion: 1_000,
  dedup_cleanup: 1_000,
  quota_window_cleanup: 1_000,
  /** FlowFabric's dependency reconciler batch. */
  dependency_reconciler: 1_000,
  /** Rows per kind (execution history, budget events, worker events) per tick. */
  retention_trimmer: 2_000,
  /** Each row is a few writes and, on its last retry, a completion event: as lease_expiry. */
  attempt_timeout: 500,
  execution_deadline: 500,
  suspension_timeout: 500,
  pending_wp_expiry: 1_000,
} as const;
