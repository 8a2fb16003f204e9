/**
 * heartbeatWorker: push a live instance's expiry out by its liveness TTL.
 *
 * An instance whose TTL has lapsed (expires_at_ms ≤ now, the same boundary
 * the TTL sweep uses) is not revived by a heartbeat: it must register again,
 * so lanes and capabilities are re-announced after a gap.
 */
import type { z } from 'zod';
import type { HeartbeatWorkerResult } from '../../api/workers.js';
import { heartbeatWorkerInput } from '../../api/workers.js';
import type { EngineContext } from '../core/context.js';
import { writeWorkerEvent } from './worker-event.js';
import { defineOperation } from '../operation.js';

export function heartbeatWorker(ctx: EngineContext, input: z.output<typeof heartbeatWorkerInput>, now: number): HeartbeatWorkerResult {
  const row = ctx.db
    .prepare(
      `UPDATE ff_worker_registry
          SET last_heartbeat_ms = :now, expires_at_ms = :now + liveness_ttl_ms
        WHERE namespace = :namespace AND worker_instance_id = :workerInstanceId
          AND state = 'alive' AND expires_at_ms > :now
        RETURNING expires_at_ms`,
    )
    .get<{ expires_at_ms: number }>({ namespace: input.namespace, workerInstanceId: input.workerInstanceId, now });
  if (!row) return { kind: 'not_registered' };
  writeWorkerEvent(ctx, input.namespace, input.workerInstanceId, 'heartbeat', now);
  return { kind: 'refreshed', nextExpiryMs: row.expires_at_ms };
}

export const heartbeatWorkerOp = defineOperation({
  name: 'heartbeatWorker',
  family: 'workers',
  kind: 'write',
  summary: 'Push a live instance\'s expiry out by its liveness TTL.',
  input: heartbeatWorkerInput,
  run: ({ ctx, now }, input): HeartbeatWorkerResult => heartbeatWorker(ctx, input, now),
});
