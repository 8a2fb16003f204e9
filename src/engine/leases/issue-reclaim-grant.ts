/**
 * issueReclaimGrant: let one worker reclaim an execution whose lease expired
 * or was revoked. The grant is bound to the worker id and lives `grantTtlMs`
 * on the engine clock (void once expires_at_ms ≤ now, the boundary every
 * expiry in this engine uses).
 *
 * Fixes from FlowFabric's SQLite backend: the worker's capabilities must
 * cover the execution's required ones, as RFC-024 says (FlowFabric stores
 * them and never compares: its D10), and the grant is timed on the engine
 * clock rather than the wall clock (its D16). The lane must be the
 * execution's own.
 */
import type { z } from 'zod';
import type { IssueReclaimGrantResult } from '../../api/reclaim.js';
import { issueReclaimGrantInput } from '../../api/reclaim.js';
import type { EngineContext } from '../core/context.js';
import { notReclaimableDetail, readReclaimTarget } from './reclaim-target.js';
import { storedSet } from '../workers/register-worker.js';
import { insertGrant, missingCapabilities } from './grant-store.js';
import { defineOperation } from '../operation.js';

export function issueReclaimGrant(
  ctx: EngineContext,
  input: z.output<typeof issueReclaimGrantInput>,
  now: number,
): IssueReclaimGrantResult {
  const row = readReclaimTarget(ctx, input.executionId);
  const why = notReclaimableDetail(row);
  if (why !== null) return { kind: 'not_reclaimable', detail: why };
  if (row.lane_id !== input.laneId) {
    return { kind: 'not_reclaimable', detail: `lane_id=${input.laneId} (the execution is in lane ${row.lane_id})` };
  }

  const workerCapabilities = storedSet(input.capabilities);
  const missing = missingCapabilities(ctx, row.execution_id, workerCapabilities);
  if (missing.length > 0) {
    return { kind: 'not_reclaimable', detail: `missing capabilities: ${missing.join(', ')}` };
  }

  const { grantKey, expiresAtMs } = insertGrant(ctx, 'reclaim', row.execution_id, input, workerCapabilities, now);
  return { kind: 'granted', executionId: row.execution_id, grantKey, expiresAtMs, laneId: input.laneId };
}

export const issueReclaimGrantOp = defineOperation({
  name: 'issueReclaimGrant',
  family: 'leases',
  kind: 'write',
  summary: 'A grant to reclaim an execution whose lease expired or was revoked; the worker must cover its capabilities and lane.',
  input: issueReclaimGrantInput,
  run: ({ ctx, now }, input): IssueReclaimGrantResult => issueReclaimGrant(ctx, input, now),
});
