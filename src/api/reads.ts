/** Inputs and results of the read family. */
import { z } from 'zod';
import { name, pageLimit, type Payload } from './common.js';
import { PUBLIC_STATES, type AttemptOutcome, type BlockingReason, type EligibilityState, type PublicState, type StateVector } from './states.js';

export interface ExecutionInfo {
  executionId: string;
  namespace: string;
  executionKind: string;
  laneId: string;
  flowId: string | null;
  priority: number;
  stateVector: StateVector;
  publicState: PublicState;
  createdAtMs: number;
  /** First claim. */
  startedAtMs: number | null;
  /** Terminal transition. */
  completedAtMs: number | null;
  /** When a delayed execution becomes claimable. */
  eligibleAtMs: number | null;
  deadlineAtMs: number | null;
  /** Index of the latest attempt; meaningful once `attemptCount > 0`. */
  currentAttemptIndex: number;
  attemptCount: number;
  retryCount: number;
  leaseReclaimCount: number;
  tags: Record<string, string>;
  requiredCapabilities: string[];
}

export interface AttemptInfo {
  attemptIndex: number;
  attemptType: 'initial' | 'retry' | 'reclaim' | 'resume' | 'replay';
  attemptId: string;
  workerId: string | null;
  workerInstanceId: string | null;
  leaseEpoch: number;
  leaseExpiresAtMs: number | null;
  /** When the attempt_timeout scanner fails it, if the execution has an `attemptTimeoutMs`. */
  timeoutAtMs: number | null;
  startedAtMs: number;
  terminalAtMs: number | null;
  /** null while the attempt is live. */
  outcome: AttemptOutcome | null;
  failureReason: string | null;
}

/**
 * The attempts retention folded away. An execution keeps its first attempt
 * and its newest N (`scanners.retention.attemptsKept`), and only its first
 * and last once the trimmer has taken its history; the ones between are
 * deleted and counted here.
 */
export interface FoldedAttempts {
  /** How many attempts were folded. */
  count: number;
  /** The lowest and highest index among them (the range may have kept rows on neither side). */
  firstAttemptIndex: number;
  lastAttemptIndex: number;
  /** When the earliest of them started, and when the latest of them ended. */
  firstStartedAtMs: number;
  lastEndedAtMs: number | null;
  /** Their outcomes counted (`none` for one that never recorded an outcome). */
  outcomes: Partial<Record<AttemptOutcome | 'none', number>>;
  /** Their attempt types counted. */
  attemptTypes: Partial<Record<AttemptInfo['attemptType'], number>>;
}

export interface ExecutionDescription extends ExecutionInfo {
  /**
   * The attempts kept, oldest first: every attempt, unless retention folded
   * some (then the first, and the newest N or, once the execution's history
   * is trimmed, the last; always including the current one).
   */
  attempts: AttemptInfo[];
  /** The attempts folded away, or null when every attempt is still in `attempts`. */
  foldedAttempts: FoldedAttempts | null;
  payload: Payload | null;
  result: Payload | null;
  retryPolicy: unknown;
  /** Each attempt's allowed running time, or null for no limit. */
  attemptTimeoutMs: number | null;
  progress: { percent: number | null; message: string | null };
  lastFailureReason: string | null;
  cancellationReason: string | null;
}

export const listExecutionsInput = z.strictObject({
  laneId: name.optional(),
  publicState: z.enum(PUBLIC_STATES).optional(),
  namespace: name.optional(),
  /**
   * Only executions whose id contains this text, ignoring ASCII case: a
   * pasted id, its uuid, or the first digits of it as the devtools show them.
   */
  search: name.optional(),
  /** @default 50 */
  limit: pageLimit.default(50),
  /** `nextCursor` of the previous page. */
  cursor: z.string().max(512).optional(),
});
export type ListExecutionsInput = z.input<typeof listExecutionsInput>;

export interface ListExecutionsResult {
  executions: ExecutionInfo[];
  /** Present only when there may be more; pass it back as `cursor`. */
  nextCursor: string | null;
}

export interface LaneInfo {
  laneId: string;
  registeredAtMs: number;
  /** Executions in the lane by public state (states with none are omitted). */
  counts: Partial<Record<PublicState, number>>;
}

export interface ListLanesResult {
  lanes: LaneInfo[];
}

/**
 * Why an execution is where it is, as `explainExecution` names it:
 * - running: `running`, `lease_expired` (waits to be reclaimed), `lease_revoked`;
 * - waiting for time: `delayed`, `retry_backoff`, or `clock_paused` when that
 *   time comes only once a paused virtual clock is played or advanced;
 * - waiting for something else: `waiting_on_upstreams` (flow dependencies),
 *   `suspended` (signals, an approval or the operator), `no_worker` (no live
 *   registered worker serves the lane), `missing_capability`,
 *   `waiting_for_worker` (a capable worker is registered: it is next claimed
 *   at that worker's poll), `budget_blocked`, `quota_blocked`, `blocked`
 *   (route, lane state or operator);
 * - ended: `completed`, `failed`, `cancelled`, `expired`, `skipped`.
 */
export const EXPLAIN_REASONS = [
  'running',
  'lease_expired',
  'lease_revoked',
  'delayed',
  'retry_backoff',
  'clock_paused',
  'waiting_on_upstreams',
  'suspended',
  'no_worker',
  'missing_capability',
  'waiting_for_worker',
  'budget_blocked',
  'quota_blocked',
  'blocked',
  'completed',
  'failed',
  'cancelled',
  'expired',
  'skipped',
] as const;
export type ExplainReason = (typeof EXPLAIN_REASONS)[number];

/** An upstream of a flow member, as the member waits on it. */
export interface ExplainUpstream {
  executionId: string;
  edgeId: string;
  /** `pending` until the upstream ends. */
  edgeState: 'pending' | 'satisfied' | 'failed' | 'skipped';
  /** The upstream's own public state (null if it no longer exists). */
  publicState: PublicState | null;
}

/** The structured facts behind an explanation; only the ones that apply are set. */
export interface ExplainDetails {
  publicState: PublicState;
  laneId: string;
  namespace: string;
  /** When the time it waits for comes (delay, backoff, resume delay, suspension timeout). */
  untilMs?: number;
  /** For `clock_paused`: what it waits for once the clock moves. */
  waitingFor?: 'delay' | 'retry_backoff' | 'resume_delay';
  flowId?: string;
  /** Every applied upstream edge, pending ones first. */
  upstreams?: ExplainUpstream[];
  /** The upstreams not yet ended. */
  pendingUpstreamIds?: string[];
  /** The downstream's group policy and counters. */
  group?: { policy: 'all_of' | 'any_of' | 'quorum'; k: number; total: number; successCount: number; failCount: number; skipCount: number; runningCount: number };
  requiredCapabilities?: string[];
  /** Capabilities the closest live worker on the lane lacks. */
  missingCapabilities?: string[];
  /** Live registered worker instances whose lanes include this one. */
  laneWorkers?: string[];
  workerId?: string;
  workerInstanceId?: string;
  attemptIndex?: number;
  leaseExpiresAtMs?: number;
  /** Signal names a suspension waits for (empty for an approval or operator-only resume). */
  signals?: string[];
  signalMode?: 'all_of' | 'any_of';
  resumeKind?: 'signals' | 'approval' | 'operator_only';
  signalsReceived?: number;
  /** A failure or cancellation reason. */
  reasonText?: string;
  endedAtMs?: number;
  eligibilityState?: EligibilityState;
  blockingReason?: BlockingReason;
}

export interface ExecutionExplanation {
  executionId: string;
  reason: ExplainReason;
  /** One plain sentence, engine times in UTC. */
  sentence: string;
  details: ExplainDetails;
}
