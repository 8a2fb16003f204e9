/**
 * What claim grants and reclaim grants share: the check that a worker covers
 * an execution's required capabilities, and the grant row itself. A grant is
 * bound to one worker id and lives `grantTtlMs` on the engine clock (void
 * once expires_at_ms ≤ now, the boundary every expiry in this engine uses).
 */
import type { EngineContext } from '../core/context.js';

/** The capabilities the execution requires that `workerCapabilities` (a stored JSON set) lacks, sorted. */
export function missingCapabilities(ctx: EngineContext, executionId: string, workerCapabilities: string): string[] {
  return ctx.db
    .prepare(
      `SELECT capability FROM ff_execution_capabilities
        WHERE execution_id = :executionId AND capability NOT IN (SELECT value FROM json_each(:caps))
        ORDER BY capability`,
    )
    .all<{ capability: string }>({ executionId, caps: workerCapabilities })
    .map((r) => r.capability);
}

export interface GrantRequest {
  workerId: string;
  workerInstanceId: string;
  laneId: string;
  grantTtlMs: number;
}

/** Write a grant of `kind` for the execution; returns its key and expiry. */
export function insertGrant(
  ctx: EngineContext,
  kind: 'claim' | 'reclaim',
  executionId: string,
  request: GrantRequest,
  workerCapabilities: string,
  now: number,
): { grantKey: string; expiresAtMs: number } {
  const grantKey = ctx.ids.uuid();
  const expiresAtMs = now + request.grantTtlMs;
  ctx.db
    .prepare(
      `INSERT INTO ff_claim_grant (grant_id, execution_id, kind, worker_id, worker_instance_id, lane_id,
         worker_capabilities, grant_ttl_ms, issued_at_ms, expires_at_ms)
       VALUES (:grantKey, :executionId, :kind, :workerId, :workerInstanceId, :laneId, :caps, :ttl, :now, :expiresAt)`,
    )
    .run({
      grantKey,
      executionId,
      kind,
      workerId: request.workerId,
      workerInstanceId: request.workerInstanceId,
      laneId: request.laneId,
      caps: workerCapabilities,
      ttl: request.grantTtlMs,
      now,
      expiresAt: expiresAtMs,
    });
  return { grantKey, expiresAtMs };
}

export interface GrantRow {
  grant_id: string;
  worker_id: string;
  expires_at_ms: number;
}

/**
 * The grant a redeem call names (`grantKey`), else the best one of `kind`
 * for the execution: the caller's own first, newest first (rowid breaks
 * same-millisecond ties), otherwise someone else's, so a refusal can say
 * whose it is.
 */
export function findGrant(
  ctx: EngineContext,
  kind: 'claim' | 'reclaim',
  input: { executionId: string; workerId: string; grantKey?: string | undefined },
): GrantRow | undefined {
  if (input.grantKey !== undefined) {
    return ctx.db
      .prepare(
        `SELECT grant_id, worker_id, expires_at_ms FROM ff_claim_grant
          WHERE grant_id = :grantKey AND execution_id = :executionId AND kind = :kind`,
      )
      .get<GrantRow>({ grantKey: input.grantKey, executionId: input.executionId, kind });
  }
  return ctx.db
    .prepare(
      `SELECT grant_id, worker_id, expires_at_ms FROM ff_claim_grant
        WHERE execution_id = :executionId AND kind = :kind
        ORDER BY worker_id = :workerId DESC, issued_at_ms DESC, rowid DESC LIMIT 1`,
    )
    .get<GrantRow>({ executionId: input.executionId, workerId: input.workerId, kind });
}
