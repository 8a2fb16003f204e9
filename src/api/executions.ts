/**
 * Inputs and results of the execution family: create, claim, leases,
 * complete, fail, delay, progress.
 */
import { z } from 'zod';
import {
  capabilities,
  durationMs,
  executionId,
  name,
  payload,
  priority,
  tags,
  timestampMs,
  uuid,
} from './common.js';
import { handle } from './handle.js';
import { FAILURE_CLASSES, type PublicState } from './states.js';

export const backoff = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('fixed'),
    /** @default 1000 */
    delayMs: z.number().int().min(0).max(30 * 24 * 3600 * 1000).default(1000),
  }),
  z.strictObject({
    type: z.literal('exponential'),
    /** @default 1000 */
    initialDelayMs: z.number().int().min(0).max(30 * 24 * 3600 * 1000).default(1000),
    /** @default 60000 */
    maxDelayMs: z.number().int().min(0).max(30 * 24 * 3600 * 1000).default(60_000),
    /** @default 2 */
    multiplier: z.number().min(1).max(100).default(2),
  }),
]);
export type Backoff = z.infer<typeof backoff>;

export const retryPolicy = z.strictObject({
  /** Retries after the first attempt; 0 means a failure is final. @default 0 */
  maxRetries: z.number().int().min(0).max(10_000).default(0),
  /** @default { type: 'fixed', delayMs: 1000 } */
  backoff: backoff.default({ type: 'fixed', delayMs: 1000 }),
});
export type RetryPolicy = z.infer<typeof retryPolicy>;

export const createExecutionInput = z.strictObject({
  /** `{fp:N}:<uuid>`; minted when omitted. Creating the same id twice is a `duplicate`. */
  executionId: executionId.optional(),
  laneId: name,
  /** @default 'default' */
  namespace: name.default('default'),
  /** @default 'default' */
  executionKind: name.default('default'),
  /** Higher is claimed first. @default 0 */
  priority: priority.default(0),
  tags: tags.default({}),
  /** A worker must hold every one of these to claim the execution. @default [] */
  requiredCapabilities: capabilities.default([]),
  payload: payload.optional(),
  payloadEncoding: name.optional(),
  retryPolicy: retryPolicy.optional(),
  /**
   * Longest one attempt may run, counted from its claim (every attempt,
   * retries and reclaims included, gets the whole of it; renewing the lease
   * does not extend it). Past it the attempt_timeout scanner fails the
   * attempt with reason `timeout`, retried under `retryPolicy` like a
   * transient failure. @default no limit
   */
  attemptTimeoutMs: durationMs.optional(),
  /** Times a lease may be reclaimed after expiry before the execution fails. @default 1000 */
  maxReclaimCount: z.number().int().min(0).max(1_000_000).optional(),
  /** Not claimable before this instant. */
  delayUntil: timestampMs.optional(),
  /**
   * The execution's deadline, whatever its state: once the engine clock
   * reaches it, the execution_deadline scanner ends a non-terminal execution
   * `expired` (a running attempt loses its lease), and a flow member's
   * dependents are resolved as for any other failed member. @default none
   */
  deadlineAtMs: timestampMs.optional(),
  creatorIdentity: name.optional(),
  idempotencyKey: name.optional(),
  /**
   * Create it as a member of this flow, in the same transaction (the flow
   * must exist and not have ended). The same as addExecutionToFlow right
   * after creation: the flow's graph revision goes up by one.
   */
  flowId: uuid.optional(),
});
export type CreateExecutionInput = z.input<typeof createExecutionInput>;

export type CreateExecutionResult =
  | {
      kind: 'created';
      executionId: string;
      publicState: PublicState;
      /** With `flowId`: the flow's graph revision after adding it (for stageDependencyEdge). */
      graphRevision?: number;
    }
  | { kind: 'duplicate'; executionId: string };

export const createExecutionsInput = z.strictObject({
  executions: z.array(createExecutionInput).min(1).max(10_000),
});
export type CreateExecutionsInput = z.input<typeof createExecutionsInput>;
export interface CreateExecutionsResult {
  kind: 'created_batch';
  results: CreateExecutionResult[];
}

export const claimInput = z.strictObject({
  laneId: name,
  workerId: name,
  workerInstanceId: name,
  /** The worker's capability tokens; matched exactly and case-sensitively. @default [] */
  capabilities: capabilities.default([]),
  leaseTtlMs: durationMs,
});
export type ClaimInput = z.input<typeof claimInput>;

export const renewLeaseInput = z.strictObject({
  handle,
  /** @default the TTL the lease was granted with */
  leaseTtlMs: durationMs.optional(),
});
export type RenewLeaseInput = z.input<typeof renewLeaseInput>;
export interface RenewLeaseResult {
  kind: 'renewed';
  expiresAtMs: number;
  leaseEpoch: number;
}

export const progressInput = z.strictObject({
  handle,
  percent: z.number().int().min(0).max(100).optional(),
  message: z.string().max(4096).optional(),
});
export type ProgressInput = z.input<typeof progressInput>;
export interface ProgressResult {
  kind: 'recorded';
}

export const completeExecutionInput = z.strictObject({
  handle,
  result: payload.optional(),
});
export type CompleteExecutionInput = z.input<typeof completeExecutionInput>;
export interface CompleteExecutionResult {
  kind: 'completed';
  executionId: string;
  publicState: 'completed';
}

export const failExecutionInput = z.strictObject({
  handle,
  reason: z.string().max(4096).default(''),
  /** transient and infra_crash retry under the retry policy; the rest fail at once. @default 'transient' */
  failureClass: z.enum(FAILURE_CLASSES).default('transient'),
});
export type FailExecutionInput = z.input<typeof failExecutionInput>;
export type FailExecutionResult =
  | {
      kind: 'retry_scheduled';
      executionId: string;
      delayUntil: number;
      nextAttemptIndex: number;
      retryCount: number;
    }
  | { kind: 'terminal_failed'; executionId: string; publicState: 'failed' };

export const delayExecutionInput = z.strictObject({
  handle,
  delayUntil: timestampMs,
});
export type DelayExecutionInput = z.input<typeof delayExecutionInput>;
export type DelayExecutionResult =
  | { kind: 'delayed'; executionId: string; delayUntil: number }
  /** The execution belongs to a cancelled flow: handing it back ended it `cancelled`. */
  | { kind: 'cancelled'; executionId: string; publicState: 'cancelled'; reason: 'flow_cancelled' };

export const executionRef = z.strictObject({ executionId });
export type ExecutionRef = z.input<typeof executionRef>;
