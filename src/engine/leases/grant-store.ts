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
