/**
 * revokeLease (FlowFabric's operator revoke_lease): take the lease away from
 * the worker running an execution, so another worker can take over through
 * the reclaim path (issueReclaimGrant, then reclaimExecution).
 *
 * The execution stays `active`, its ownership becomes `lease_revoked` and
 * its attempt ends `attempt_interrupted`. The lease epoch is left as it is:
 * the worker's handle is refused with `state.lease_revoked` (which says
 * why), and the reclaim that follows opens a new attempt under the next
 * epoch. A `revoked` lease event and a `lease_revoked` operator event are
 * written.
 *
 * Nothing to revoke is not an error: `already_satisfied` with FlowFabric's
 * reason, and nothing changes:
 * - `no_active_lease`: not running, or its lease already expired into
 *   `lease_expired_reclaimable` or was revoked;
 * - `different_worker_instance_id`: `workerInstanceId` was given and another
 *   instance holds the lease;
 * - `lease_id_mismatch`: `expectedLeaseId` was given and the lease is another.
 * FlowFabric's fourth reason, `epoch_moved` (a concurrent writer got there
 * between its read and its compare-and-set), cannot happen here: the read
 * and the write are one synchronous transaction of the only writer.
 *
 * (The reference puts the execution back to runnable but leaves it reading
 * `active`, and never marks it reclaimable, so nothing can pick it up
 * through a grant; here the reclaim path is the way on, as RFC-024 has it.)
 */
import type { z } from 'zod';
import { errors } from '../../api/errors.js';
import { revokeLeaseInput, type RevokeLeaseResult } from '../../api/operator.js';
import type { LifecyclePhase, OwnershipState } from '../../api/states.js';
import type { EngineContext } from '../core/context.js';
import { endAttempt } from '../executions/terminal.js';
import { writeLeaseEvent } from '../outbox/outbox.js';
import { writeOperatorEvent } from './operator-event.js';
import { defineOperation } from '../operation.js';

interface RevokeTarget {
  execution_id: string;
  namespace: string;
  instance_tag: string | null;
  flow_id: string | null;
  lifecycle_phase: LifecyclePhase;
  ownership_state: OwnershipState;
  attempt_index: number;
  lease_epoch: number;
  lease_id: string | null;
  worker_instance_id: string | null;
}

export function revokeLease(ctx: EngineContext, input: z.output<typeof revokeLeaseInput>, now: number): RevokeLeaseResult {
  const row = ctx.db
    .prepare(
      `SELECT e.execution_id, e.namespace, json_extract(e.tags, '$."cairn.instance_id"') AS instance_tag, e.flow_id,
              e.lifecycle_phase, e.ownership_state, e.attempt_index, e.lease_epoch, a.lease_id, a.worker_instance_id
         FROM ff_exec_core e
         LEFT JOIN ff_attempt a ON a.execution_id = e.execution_id AND a.attempt_index = e.attempt_index
        WHERE e.execution_id = :executionId`,
    )
    .get<RevokeTarget>({ executionId: input.executionId });
  if (!row) throw errors.notFound('execution', input.executionId);
  const nothing = (reason: 'no_active_lease' | 'different_worker_instance_id' | 'lease_id_mismatch'): RevokeLeaseResult => ({
    kind: 'already_satisfied',
    executionId: row.execution_id,
    reason,
  });
  if (row.lifecycle_phase !== 'active' || row.ownership_state !== 'leased' || row.lease_id === null) return nothing('no_active_lease');
  if (input.workerInstanceId !== undefined && input.workerInstanceId !== row.worker_instance_id) return nothing('different_worker_instance_id');
  if (input.expectedLeaseId !== undefined && input.expectedLeaseId !== row.lease_id) return nothing('lease_id_mismatch');

  endAttempt(ctx, row.execution_id, row.attempt_index, 'attempt_interrupted', now);
  ctx.db
    .prepare(
      `UPDATE ff_exec_core
          SET ownership_state = 'lease_revoked', attempt_state = 'attempt_interrupted', blocking_reason = 'waiting_for_worker'
        WHERE execution_id = :executionId`,
    )
    .run({ executionId: row.execution_id });
  const scope = { executionId: row.execution_id, namespace: row.namespace, instanceTag: row.instance_tag };
  writeLeaseEvent(
    ctx,
    scope,
    { type: 'revoked', attemptIndex: row.attempt_index, leaseId: row.lease_id, leaseEpoch: row.lease_epoch, workerInstanceId: row.worker_instance_id },
    now,
  );
  writeOperatorEvent(
    ctx,
    { ...scope, flowId: row.flow_id },
    'lease_revoked',
    { reason: input.reason, leaseId: row.lease_id, leaseEpoch: row.lease_epoch, attemptIndex: row.attempt_index, workerInstanceId: row.worker_instance_id },
    now,
  );
  return {
    kind: 'revoked',
    executionId: row.execution_id,
    leaseId: row.lease_id,
    leaseEpoch: row.lease_epoch,
    attemptIndex: row.attempt_index,
    workerInstanceId: row.worker_instance_id,
  };
}

export const revokeLeaseOp = defineOperation({
  name: 'revokeLease',
  family: 'operator',
  kind: 'write',
  summary: 'Take the lease from the running worker: the execution becomes `lease_revoked`, reclaimable through a reclaim grant; `already_satisfied` when there is nothing to revoke.',
  input: revokeLeaseInput,
  run: ({ ctx, now }, input): RevokeLeaseResult => revokeLease(ctx, input, now),
});
