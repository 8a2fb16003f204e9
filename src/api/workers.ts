/**
 * Inputs and results of the worker registry (FlowFabric RFC-025):
 * registerWorker, heartbeatWorker, markWorkerDead, listWorkers.
 *
 * Glossary:
 * - worker id: the logical worker (a deployment, a service); many instances
 *   share it.
 * - worker instance id: one running process of that worker. The registry is
 *   keyed by (namespace, worker instance id), and an instance stays bound to
 *   the worker id it first registered under while it is alive.
 * - liveness TTL: how long a registration stays alive without a heartbeat;
 *   `expiresAtMs` is always `lastHeartbeatMs + livenessTtlMs`.
 */
import { z } from 'zod';
import { capabilities, durationMs, name, pageLimit } from './common.js';

/** Longest accepted `markWorkerDead` reason, in UTF-8 bytes (FlowFabric's bound). */
export const MAX_DEATH_REASON_BYTES = 256;

/** Lanes a worker serves: a set, stored sorted and de-duplicated. */
export const lanes = z.array(name).max(256, 'at most 256 lanes');

const namespace = name.default('default');

/** Free text for the audit trail: at most 256 UTF-8 bytes, no control characters. */
export const deathReason = z.string().superRefine((value, ctx) => {
  const bytes = new TextEncoder().encode(value).byteLength;
  if (bytes > MAX_DEATH_REASON_BYTES) {
    ctx.addIssue({ code: 'custom', message: `exceeds ${MAX_DEATH_REASON_BYTES} bytes (got ${bytes})` });
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) ctx.addIssue({ code: 'custom', message: 'must not contain control characters' });
});

export const WORKER_STATES = ['alive', 'dead'] as const;
export type WorkerState = (typeof WORKER_STATES)[number];

export const registerWorkerInput = z.strictObject({
  workerId: name,
  workerInstanceId: name,
  /** @default 'default' */
  namespace,
  /** The lanes this instance serves (may be empty). */
  lanes,
  /** The instance's capability tokens (may be empty). */
  capabilities,
  /** The registration lapses this long after the last heartbeat. */
  livenessTtlMs: durationMs,
});
export type RegisterWorkerInput = z.input<typeof registerWorkerInput>;
/** `registered`: a new (or previously dead) instance; `refreshed`: a live one registered again. */
export type RegisterWorkerResult = { kind: 'registered' } | { kind: 'refreshed' };

export const heartbeatWorkerInput = z.strictObject({
  workerInstanceId: name,
  /** @default 'default' */
  namespace,
});
export type HeartbeatWorkerInput = z.input<typeof heartbeatWorkerInput>;
/** `not_registered`: unknown, dead, or its TTL already lapsed (register again). */
export type HeartbeatWorkerResult = { kind: 'refreshed'; nextExpiryMs: number } | { kind: 'not_registered' };

export const markWorkerDeadInput = z.strictObject({
  workerInstanceId: name,
  /** @default 'default' */
  namespace,
  /** Why, for the audit trail: at most 256 UTF-8 bytes, no control characters. */
  reason: deathReason,
});
export type MarkWorkerDeadInput = z.input<typeof markWorkerDeadInput>;
/** `not_registered`: unknown, or already dead. */
export type MarkWorkerDeadResult = { kind: 'marked' } | { kind: 'not_registered' };

export const listWorkersInput = z.strictObject({
  /** Only this namespace. @default every namespace */
  namespace: name.optional(),
  /** @default 1000 */
  limit: pageLimit.default(1000),
  /** `nextCursor` of the previous page. */
  cursor: z.string().max(4096).optional(),
});
export type ListWorkersInput = z.input<typeof listWorkersInput>;

export interface WorkerInfo {
  workerId: string;
  workerInstanceId: string;
  namespace: string;
  /** `dead` once marked dead or swept after its TTL lapsed. A lapsed but not yet swept instance still reads `alive`: compare `expiresAtMs`. */
  state: WorkerState;
  lanes: string[];
  capabilities: string[];
  lastHeartbeatMs: number;
  livenessTtlMs: number;
  registeredAtMs: number;
  /** `lastHeartbeatMs + livenessTtlMs`. */
  expiresAtMs: number;
}

export interface ListWorkersResult {
  /** Ordered by namespace, then worker instance id. */
  workers: WorkerInfo[];
  /** Set while more rows may follow; pass it back as `cursor`. */
  nextCursor: string | null;
}
