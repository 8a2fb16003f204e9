/**
 * registerWorker: add a worker instance to the registry, or refresh it.
 *
 * A live instance registered again keeps its registration time and gets a
 * fresh heartbeat, lanes and capabilities (`refreshed`). While it is alive,
 * an instance id stays bound to its worker id: registering it under another
 * one is an input error. A dead instance (marked dead or swept) registers
 * from scratch, as FlowFabric does after it deleted the row; here the row is
 * kept for the UI, so it is overwritten instead.
 */
import type { z } from 'zod';
import { errors } from '../../api/errors.js';
import type { RegisterWorkerResult, WorkerState } from '../../api/workers.js';
import { registerWorkerInput } from '../../api/workers.js';
import type { EngineContext } from '../core/context.js';
import { writeWorkerEvent } from './worker-event.js';
import { defineOperation } from '../operation.js';

/** A set as stored: sorted, de-duplicated JSON. */
export function storedSet(values: readonly string[]): string {
  return JSON.stringify([...new Set(values)].sort());
}

export function registerWorker(ctx: EngineContext, input: z.output<typeof registerWorkerInput>, now: number): RegisterWorkerResult {
  const key = { namespace: input.namespace, workerInstanceId: input.workerInstanceId };
  const existing = ctx.db
    .prepare('SELECT worker_id, state FROM ff_worker_registry WHERE namespace = :namespace AND worker_instance_id = :workerInstanceId')
    .get<{ worker_id: string; state: WorkerState }>(key);
  const alive = existing?.state === 'alive';
  if (alive && existing.worker_id !== input.workerId) {
    throw errors.invalid(
      'workerId',
      `instance_id reassigned: instance ${input.workerInstanceId} is registered under worker ${existing.worker_id}, not ${input.workerId}`,
      { registeredWorkerId: existing.worker_id },
    );
  }

  ctx.db
    .prepare(
      `INSERT INTO ff_worker_registry (namespace, worker_instance_id, worker_id, lanes, capabilities,
         last_heartbeat_ms, liveness_ttl_ms, registered_at_ms, expires_at_ms, state)
       VALUES (:namespace, :workerInstanceId, :workerId, :lanes, :capabilities, :now, :ttl, :now, :expiresAt, 'alive')
       ON CONFLICT (namespace, worker_instance_id) DO UPDATE
          SET worker_id = excluded.worker_id, lanes = excluded.lanes, capabilities = excluded.capabilities,
              last_heartbeat_ms = excluded.last_heartbeat_ms, liveness_ttl_ms = excluded.liveness_ttl_ms,
              expires_at_ms = excluded.expires_at_ms, state = 'alive',
              -- A live instance keeps its registration time; a dead one starts over.
              registered_at_ms = CASE WHEN state = 'alive' THEN registered_at_ms ELSE excluded.registered_at_ms END`,
    )
    .run({
      ...key,
      workerId: input.workerId,
      lanes: storedSet(input.lanes),
      capabilities: storedSet(input.capabilities),
      now,
      ttl: input.livenessTtlMs,
      expiresAt: now + input.livenessTtlMs,
    });
  writeWorkerEvent(ctx, input.namespace, input.workerInstanceId, 'registered', now);
  return { kind: alive ? 'refreshed' : 'registered' };
}

export const registerWorkerOp = defineOperation({
  name: 'registerWorker',
  family: 'workers',
  kind: 'write',
  summary: 'Register a worker instance, or refresh a live one (heartbeat, lanes, capabilities).',
  input: registerWorkerInput,
  run: ({ ctx, now }, input): RegisterWorkerResult => registerWorker(ctx, input, now),
});
