/**
 * Every path that hands a worker a lease on an execution (claim, claim from
 * a grant, claim of a resumed execution) does the same three things in its
 * transaction: open the attempt, mark its flow running, and write the
 * `acquired` lease event.
 */
import type { Handle } from '../../api/handle.js';
import type { EngineContext } from '../core/context.js';
import { markFlowRunning } from '../flows/flow-state.js';
import { writeLeaseEvent } from '../outbox/outbox.js';
import { openAttempt, type AttemptType, type LeaseHolder } from './open-attempt.js';

export interface StartTarget {
  execution_id: string;
  lane_id: string;
  attempt_count: number;
  lease_epoch: number;
  flow_id: string | null;
  namespace: string | null;
  instance_tag: string | null;
}

export function startAttempt(ctx: EngineContext, row: StartTarget, holder: LeaseHolder, attemptType: AttemptType, now: number): Handle {
  const handle = openAttempt(
    ctx,
    { executionId: row.execution_id, laneId: row.lane_id, attemptCount: row.attempt_count, leaseEpoch: row.lease_epoch },
    holder,
    attemptType,
    now,
  );
  if (row.flow_id !== null) markFlowRunning(ctx, row.flow_id);
  writeLeaseEvent(
    ctx,
    { executionId: row.execution_id, namespace: row.namespace, instanceTag: row.instance_tag },
    { type: 'acquired', attemptIndex: handle.attemptIndex, leaseId: handle.leaseId, leaseEpoch: handle.leaseEpoch, workerInstanceId: holder.workerInstanceId },
    now,
  );
  return handle;
}
