/**
 * A quota policy row and its public info: limits, the slots held now, and
 * the admissions in its current window.
 */
import type { QuotaPolicyInfo } from '../../api/quotas.js';
import type { EngineContext } from '../core/context.js';

export interface PolicyRow {
  quota_policy_id: string;
  requests_per_window_seconds: number;
  max_requests_per_window: number;
  active_concurrency_cap: number;
  active_concurrency: number;
  created_at_ms: number;
}

export const COLUMNS = `quota_policy_id, requests_per_window_seconds, max_requests_per_window, active_concurrency_cap,
  active_concurrency, created_at_ms`;

export function toInfo(ctx: EngineContext, row: PolicyRow, now: number): QuotaPolicyInfo {
  const windowStart = now - row.requests_per_window_seconds * 1000;
  const { n } = ctx.db
    .prepare('SELECT COUNT(*) AS n FROM ff_quota_window WHERE quota_policy_id = :quotaPolicyId AND admitted_at_ms > :windowStart')
    .get<{ n: number }>({ quotaPolicyId: row.quota_policy_id, windowStart })!;
  return {
    quotaPolicyId: row.quota_policy_id,
    windowSeconds: row.requests_per_window_seconds,
    maxRequestsPerWindow: row.max_requests_per_window,
    maxConcurrent: row.active_concurrency_cap,
    activeConcurrency: row.active_concurrency,
    admissionsInWindow: n,
    createdAtMs: row.created_at_ms,
  };
}
