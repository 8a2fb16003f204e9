/**
 * markWorkerDead: an operator (or the worker itself, on shutdown) declares an
 * instance dead. FlowFabric deletes the row; here it is kept with state
 * `dead` so listWorkers can still show who it was and when it was last seen.
 * Marking an unknown or already dead instance is `not_registered`, as
 * deleting a missing row is in FlowFabric.
 *
 * The instance's leases are left alone: they run out on their own and the
 * lease-expiry scanner makes them reclaimable.
 */
import type { z } from 'zod';
import type { MarkWorkerDeadResult } from '../../api/workers.js';
import { markWorkerDeadInput } from '../../api/workers.js';
import type { EngineContext } from '../core/context.js';
import { writeWorkerEvent } from './worker-event.js';
import { defineOperation } from '../operation.js';

export function markWorkerDead(ctx: EngineContext, input: z.output<typeof markWorkerDeadInput>, now: number): MarkWorkerDeadResult {
  const changed = ctx.db
    .prepare(
      `UPDATE ff_worker_registry SET state = 'dead'
        WHERE namespace = :namespace AND worker_instance_id = :workerInstanceId AND state = 'alive'`,
    )
    .run({ namespace: input.namespace, workerInstanceId: input.workerInstanceId });
  if (changed === 0) return { kind: 'not_registered' };
  writeWorkerEvent(ctx, input.namespace, input.workerInstanceId, 'marked_dead', now, input.reason);
  return { kind: 'marked' };
}

export const markWorkerDeadOp = defineOperation({
  name: 'markWorkerDead',
  family: 'workers',
  kind: 'write',
  summary: 'Declare an instance dead; the row stays, with state `dead`.',
  input: markWorkerDeadInput,
  run: ({ ctx, now }, input): MarkWorkerDeadResult => markWorkerDead(ctx, input, now),
});
