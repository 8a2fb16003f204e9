import { z } from 'zod';
import { durationMs, executionId, name, uuid } from './common.js';

export const HANDLE_KINDS = ['fresh', 'resumed', 'suspended', 'reclaimed'] as const;
export type HandleKind = (typeof HANDLE_KINDS)[number];

/** Backends FlowFabric handles can come from; this one is `sqlite` (wire tag 0x03). */
export const BACKEND_TAGS = ['valkey', 'postgres', 'sqlite'] as const;
export type BackendTag = (typeof BACKEND_TAGS)[number];

/**
 * A worker's proof of holding a lease: plain, serializable data. Every
 * handle-taking operation checks it against the execution (phase, attempt,
 * lease id, epoch, expiry) before doing anything.
 */
export interface Handle {
  backend: BackendTag;
  kind: HandleKind;
  executionId: string;
  attemptIndex: number;
  attemptId: string;
  leaseId: string;
  /** Fencing token; bumped by every claim, reclaim and revoke of the execution. */
  leaseEpoch: number;
  leaseTtlMs: number;
  laneId: string;
  workerInstanceId: string;
}

export const handle = z.strictObject({
  backend: z.enum(BACKEND_TAGS),
  kind: z.enum(HANDLE_KINDS),
  executionId,
  attemptIndex: z.number().int().min(0).max(0xffffffff),
  attemptId: uuid,
  leaseId: uuid,
  leaseEpoch: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  // Every lease this backend grants is at most 30 days (durationMs).
  leaseTtlMs: durationMs,
  laneId: name,
  workerInstanceId: name,
});
