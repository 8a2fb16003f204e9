/**
 * listWorkers: registered instances, alive and dead, ordered by namespace
 * then instance id (the registry's primary key), with keyset pagination.
 *
 * Unlike FlowFabric's SQLite backend, the namespace is optional: without
 * it every namespace is listed, which is what a playground UI wants.
 */
import type { z } from 'zod';
import type { ListWorkersResult, WorkerState } from '../../api/workers.js';
import { listWorkersInput } from '../../api/workers.js';
import type { EngineContext } from '../core/context.js';
import { decodeCursor, encodeCursor } from '../core/keyset-cursor.js';
import { defineOperation } from '../operation.js';

interface WorkerRow {
  namespace: string;
  worker_instance_id: string;
  worker_id: string;
  lanes: string;
  capabilities: string;
  last_heartbeat_ms: number;
  liveness_ttl_ms: number;
  registered_at_ms: number;
  expires_at_ms: number;
  state: WorkerState;
}

export function listWorkers(ctx: EngineContext, input: z.output<typeof listWorkersInput>): ListWorkersResult {
  const where: string[] = [];
  const params: Record<string, string | number> = { limit: input.limit };
  if (input.namespace !== undefined) {
    where.push('namespace = :namespace');
    params['namespace'] = input.namespace;
  }
  if (input.cursor !== undefined) {
    const [afterNamespace, afterInstance] = decodeCursor('listWorkers', input.cursor, ['string', 'string']);
    where.push('(namespace, worker_instance_id) > (:afterNamespace, :afterInstance)');
    params['afterNamespace'] = afterNamespace;
    params['afterInstance'] = afterInstance;
  }
  const rows = ctx.db
    .prepare(
      `SELECT namespace, worker_instance_id, worker_id, lanes, capabilities, last_heartbeat_ms, liveness_ttl_ms,
              registered_at_ms, expires_at_ms, state
         FROM ff_worker_registry
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY namespace, worker_instance_id LIMIT :limit`,
    )
    .all<WorkerRow>(params);
  const last = rows[rows.length - 1];
  return {
    workers: rows.map((r) => ({
      workerId: r.worker_id,
      workerInstanceId: r.worker_instance_id,
      namespace: r.namespace,
      state: r.state,
      lanes: JSON.parse(r.lanes) as string[],
      capabilities: JSON.parse(r.capabilities) as string[],
      lastHeartbeatMs: r.last_heartbeat_ms,
      livenessTtlMs: r.liveness_ttl_ms,
      registeredAtMs: r.registered_at_ms,
      expiresAtMs: r.expires_at_ms,
    })),
    nextCursor: rows.length === input.limit && last ? encodeCursor('listWorkers', [last.namespace, last.worker_instance_id]) : null,
  };
}

export const listWorkersOp = defineOperation({
  name: 'listWorkers',
  family: 'workers',
  kind: 'read',
  summary: 'Registered instances, alive and dead, of one namespace or of all.',
  input: listWorkersInput,
  run: ({ ctx }, input): ListWorkersResult => listWorkers(ctx, input),
});
