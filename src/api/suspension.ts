/**
 * Inputs and results of the suspension family: the waitpoint HMAC keystore,
 * suspend and waitpoints, signals, and resuming.
 */
import { z } from 'zod';
import { durationMs, executionId, name, pageLimit, payload, timestampMs, uuid, type Payload } from './common.js';
import { handle, type Handle } from './handle.js';
import type { PublicState } from './states.js';

/** A signing key id: printable, no `:` (the token's separator). */
export const kid = name.refine((v) => !v.includes(':'), 'must not contain ":"');
/** 32 bytes as 64 hex characters. */
export const secretHex = z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters (a 256-bit secret)');

export const seedWaitpointHmacSecretInput = z.strictObject({ kid, secretHex });
export type SeedWaitpointHmacSecretInput = z.input<typeof seedWaitpointHmacSecretInput>;
export type SeedWaitpointHmacSecretResult = { kind: 'seeded'; kid: string } | { kind: 'already_seeded'; kid: string; sameSecret: boolean };

const graceMs = z.number().int('must be an integer').min(0).max(30 * 24 * 3600 * 1000, 'must be at most 30 days');

export const rotateWaitpointHmacSecretAllInput = z.strictObject({
  /** The kid new waitpoints are signed with: not empty, no ':'. */
  newKid: kid,
  /** 64 hex characters (32 bytes). */
  newSecretHex: secretHex,
  /** How long tokens signed by the outgoing kid keep verifying, on the engine clock; 0 retires them at once. */
  graceMs,
});
export type RotateWaitpointHmacSecretAllInput = z.input<typeof rotateWaitpointHmacSecretAllInput>;
export type RotateWaitpointHmacSecretAllResult =
  | { kind: 'rotated'; previousKid: string | null; newKid: string; previousKidRetiresAtMs: number | null }
  | { kind: 'noop'; kid: string };

/** A signal the resume condition waits for: its name, and optionally the waitpoint it must arrive on. */
export const awaitedSignal = z.strictObject({ name, waitpointKey: name.optional() });

export const resumeCondition = z.discriminatedUnion('kind', [
  /** `all_of`: every listed signal; `any_of`: one of them. */
  z.strictObject({ kind: z.literal('signals'), mode: z.enum(['all_of', 'any_of']), signals: z.array(awaitedSignal).min(1).max(64) }),
  /** An approval: a signal named `approved` (a `rejected` one is recorded but does not resume). */
  z.strictObject({ kind: z.literal('approval'), waitpointKey: name.optional() }),
  /** No signal resumes it: only resumeExecution (or a `resume` timeout). */
  z.strictObject({ kind: z.literal('operator_only') }),
]);
export type ResumeCondition = z.infer<typeof resumeCondition>;

export const TIMEOUT_BEHAVIORS = ['fail', 'cancel', 'expire', 'resume'] as const;
export type TimeoutBehavior = (typeof TIMEOUT_BEHAVIORS)[number];

export const waitpointBinding = z.discriminatedUnion('kind', [
  /** A new waitpoint; its id is minted when omitted. */
  z.strictObject({ kind: z.literal('fresh'), waitpointKey: name, waitpointId: uuid.optional() }),
  /** A waitpoint made earlier with createWaitpoint for this execution. */
  z.strictObject({ kind: z.literal('use_pending'), waitpointId: uuid }),
]);

export const SUSPENSION_REASONS = ['waiting_for_signal', 'waiting_for_approval', 'waiting_for_callback', 'waiting_for_tool_result', 'manual_pause'] as const;

export const suspendInput = z.strictObject({
  handle,
  /** Fresh waitpoints, or pending ones from createWaitpoint; each comes back with its token. */
  waitpoints: z.array(waitpointBinding).min(1, 'at least one waitpoint').max(64),
  /** What resumes it: all or any of named signals, an approval, or only the operator. */
  resumeCondition,
  /** Why it waits (its blocking reason); without it, waiting_for_approval for an approval condition, else waiting_for_signal. */
  reasonCode: z.enum(SUSPENSION_REASONS).optional(),
  /** When the suspension times out (engine clock, after now), and what happens then. */
  timeout: z.strictObject({ atMs: timestampMs, behavior: z.enum(TIMEOUT_BEHAVIORS) }).optional(),
  /** A repeated suspend of the same execution with the same key returns the first outcome and writes nothing. */
  idempotencyKey: name.optional(),
  /** Minted when omitted. */
  suspensionId: uuid.optional(),
});
export type SuspendInput = z.input<typeof suspendInput>;

export interface IssuedWaitpoint {
  waitpointId: string;
  waitpointKey: string;
  /** `<kid>:<64 lowercase hex>`: present it to deliverSignal. */
  token: string;
}

export interface SuspendResult {
  kind: 'suspended';
  executionId: string;
  suspensionId: string;
  waitpoints: IssuedWaitpoint[];
  timeoutAtMs: number | null;
  /** The worker's handle, kind `suspended`: stale for every fenced call (observeSignals takes it). */
  handle: Handle;
  /** True when this is the replay of an earlier suspend with the same idempotency key. */
  replayed: boolean;
}

export const createWaitpointInput = z.strictObject({
  handle,
  /** The key signals to it are filed under (what a resume condition names). */
  waitpointKey: name,
  /** The pending waitpoint (and its token) expires after this long; never when omitted. */
  expiresInMs: durationMs.optional(),
});
export type CreateWaitpointInput = z.input<typeof createWaitpointInput>;
export interface CreateWaitpointResult extends IssuedWaitpoint {
  kind: 'created';
  expiresAtMs: number | null;
}

export const listPendingWaitpointsInput = z.strictObject({
  executionId,
  /** The previous page's `nextCursor`. */
  after: uuid.optional(),
  /** @default 100 */
  limit: pageLimit.default(100),
});
export type ListPendingWaitpointsInput = z.input<typeof listPendingWaitpointsInput>;
export interface PendingWaitpointInfo {
  waitpointId: string;
  executionId: string;
  waitpointKey: string;
  state: 'pending' | 'active';
  createdAtMs: number;
  activatedAtMs: number | null;
  expiresAtMs: number | null;
  /** Signal names the condition wants here; empty means any. */
  requiredSignalNames: string[];
  /** The token, redacted: the kid that signed it and the first 16 hex characters of its digest. */
  tokenKid: string;
  tokenFingerprint: string;
}
export interface ListPendingWaitpointsResult {
  entries: PendingWaitpointInfo[];
  nextCursor: string | null;
}

export const readWaitpointTokenInput = z.strictObject({ waitpointId: uuid });
export type ReadWaitpointTokenInput = z.input<typeof readWaitpointTokenInput>;

export const deliverSignalInput = z.strictObject({
  executionId,
  waitpointId: uuid,
  /** The token issued for this waitpoint. */
  waitpointToken: z.string().max(1024),
  /** What a resume condition matches on. */
  signalName: name,
  /** @default 'external' */
  signalCategory: name.default('external'),
  /** @default 'external' */
  sourceType: name.default('external'),
  /** @default '' */
  sourceIdentity: z.string().max(256).default(''),
  payload: payload.optional(),
  correlationId: z.string().max(256).optional(),
  /** A delivery to the same execution with the same key counts once and returns the first outcome. */
  idempotencyKey: name.optional(),
  /** Minted when omitted. */
  signalId: uuid.optional(),
});
export type DeliverSignalInput = z.input<typeof deliverSignalInput>;

export type SignalEffect = 'appended_to_waitpoint' | 'resume_condition_satisfied' | 'timeout_resumed';

export interface DeliverSignalResult {
  kind: 'accepted';
  signalId: string;
  effect: SignalEffect;
  /** True when an earlier delivery with the same idempotency key answered. */
  duplicate: boolean;
}

export const deliverApprovalSignalInput = z.strictObject({
  executionId,
  /** Must be the execution's lane. */
  laneId: name,
  waitpointId: uuid,
  /** @default 'approved' ('rejected' is recorded and does not resume) */
  signalName: name.default('approved'),
  /** With it, the delivery's idempotency key is `approval:<signalName>:<suffix>`. */
  idempotencySuffix: name.optional(),
  /** @default '' */
  sourceIdentity: z.string().max(256).default(''),
});
export type DeliverApprovalSignalInput = z.input<typeof deliverApprovalSignalInput>;

export const observeSignalsInput = z.strictObject({ handle });
export type ObserveSignalsInput = z.input<typeof observeSignalsInput>;
export interface ResumeSignal {
  signalId: string;
  signalName: string;
  signalCategory: string;
  sourceType: string;
  sourceIdentity: string;
  correlationId: string | null;
  waitpointKey: string;
  acceptedAtMs: number;
  payload: Payload | null;
}

export const claimResumedExecutionInput = z.strictObject({
  /** A `resumable` execution. */
  executionId,
  workerId: name,
  workerInstanceId: name,
  leaseTtlMs: durationMs,
});
export type ClaimResumedExecutionInput = z.input<typeof claimResumedExecutionInput>;

export const resumeExecutionInput = z.strictObject({
  executionId,
  /** Claimable after this long; at once when 0. @default 0 */
  resumeDelayMs: z.number().int('must be an integer').min(0).max(30 * 24 * 3600 * 1000).default(0),
  /** @default 'operator' */
  source: name.default('operator'),
});
export type ResumeExecutionInput = z.input<typeof resumeExecutionInput>;
export interface ResumeExecutionResult {
  kind: 'resumed';
  executionId: string;
  publicState: Extract<PublicState, 'waiting' | 'delayed'>;
  eligibleAtMs: number | null;
}

export const readSuspensionInput = z.strictObject({ executionId });
export type ReadSuspensionInput = z.input<typeof readSuspensionInput>;
export interface SuspensionInfo {
  executionId: string;
  suspensionId: string;
  reasonCode: string;
  resumeCondition: ResumeCondition;
  suspendedAtMs: number;
  /** When the condition was met (or a `resume` timeout fired); null while waiting. */
  satisfiedAtMs: number | null;
  /** null once satisfied, or when it has none. */
  timeoutAtMs: number | null;
  timeoutBehavior: TimeoutBehavior;
  /** Signals received so far, matched or not. */
  signalsReceived: number;
}
