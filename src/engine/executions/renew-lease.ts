/**
 * renewLease: extend a live lease; fenced like every handle-taking operation.
 * Without an explicit TTL the lease keeps the TTL it was granted with, read
 * from the attempt: the handle is caller data, and its TTL is not trusted.
 */
import type { z } from 'zod';
import type { RenewLeaseResult } from '../../api/executions.js';
import { renewLeaseInput } from '../../api/executions.js';
import type { EngineContext } from '../core/context.js';
import { fence, leaseEvent } from './fence.js';
import { defineOperation } from '../operation.js';

export function renewLease(ctx: EngineContext, input: z.output<typeof renewLeaseInput>, now: number): RenewLeaseResult {
  const row = fence(ctx, input.handle, now);
  const ttl = input.leaseTtlMs ?? row.lease_ttl_ms ?? input.handle.leaseTtlMs;
  const expiresAtMs = now + ttl;
  ctx.db
    .prepare(
      `UPDATE ff_attempt SET lease_expires_at_ms = :expiresAt, lease_ttl_ms = :ttl
        WHERE execution_id = :executionId AND attempt_index = :attemptIndex`,
    )
    .run({ executionId: row.execution_id, attemptIndex: row.attempt_index, expiresAt: expiresAtMs, ttl });
  leaseEvent(ctx, row, 'renewed', now);
  return { kind: 'renewed', expiresAtMs, leaseEpoch: row.lease_epoch };
}

export const renewLeaseOp = defineOperation({
  name: 'renewLease',
  family: 'executions',
  kind: 'write',
  summary: "Extend the handle's lease, by `leaseTtlMs` or else by the TTL it was granted with.",
  input: renewLeaseInput,
  run: ({ ctx, now }, input): RenewLeaseResult => renewLease(ctx, input, now),
});
