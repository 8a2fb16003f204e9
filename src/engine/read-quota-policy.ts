/**
 * readQuotaPolicy and listQuotaPolicies: a policy's limits, the slots held
 * now, and the admissions in its current window (for the playground).
 */
import type { z } from 'zod';
import type { ListQuotaPoliciesResult, QuotaPolicyInfo, listQuotaPoliciesInput } from '../api/quotas.js';
import type { EngineContext } from './context.js';
import { decodeCursor, encodeCursor } from './keyset-cursor.js';

interface PolicyRow {
  quota_policy_id: string;
  requests_per_window_seconds: number;
  max_requests_per_window: number;
  active_concurrency_cap: number;
  active_concurrency: number;
  created_at_ms: number;
}

const COLUMNS = `quota_policy_id, requests_per_window_seconds, max_requests_per_window, active_concurrency_cap,
  active_concurrency, created_at_ms`;

/** The policy, or null when there is none. */
export function readQuotaPolicy(ctx: EngineContext, quotaPolicyId: string, now: number): QuotaPolicyInfo | null {
  const row = ctx.db.prepare(`SELECT ${COLUMNS} FROM ff_quota_policy WHERE quota_policy_id = :quotaPolicyId`).get<PolicyRow>({ quotaPolicyId });
  return row ? toInfo(ctx, row, now) : null;
}

/** Policies ordered by id; the cursor holds the last id of the previous page. */
export function listQuotaPolicies(ctx: EngineContext, input: z.output<typeof listQuotaPoliciesInput>, now: number): ListQuotaPoliciesResult {
  // Every policy id is non-empty, so '' starts before the first one.
  const [after] = input.cursor === undefined ? [''] : decodeCursor('listQuotaPolicies', input.cursor, ['string']);
  const rows = ctx.db
    .prepare(`SELECT ${COLUMNS} FROM ff_quota_policy WHERE quota_policy_id > :after ORDER BY quota_policy_id LIMIT :limit`)
    .all<PolicyRow>({ after, limit: input.limit });
  const last = rows[rows.length - 1];
  return {
    policies: rows.map((r) => toInfo(ctx, r, now)),
    nextCursor: rows.length === input.limit && last ? encodeCursor('listQuotaPolicies', [last.quota_policy_id]) : null,
  };
}

function toInfo(ctx: EngineContext, row: PolicyRow, now: number): QuotaPolicyInfo {
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
