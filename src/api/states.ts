/**
 * FlowFabric's execution state vector. Values are the canonical snake_case
 * literals of ff-core; the engine stores exactly these (never aliases).
 */
export const LIFECYCLE_PHASES = ['submitted', 'runnable', 'active', 'suspended', 'terminal'] as const;
export type LifecyclePhase = (typeof LIFECYCLE_PHASES)[number];

export const OWNERSHIP_STATES = ['unowned', 'leased', 'lease_expired_reclaimable', 'lease_revoked'] as const;
export type OwnershipState = (typeof OWNERSHIP_STATES)[number];

export const ELIGIBILITY_STATES = [
  'eligible_now',
  'not_eligible_until_time',
  'blocked_by_dependencies',
  'blocked_by_budget',
  'blocked_by_quota',
  'blocked_by_route',
  'blocked_by_lane_state',
  'blocked_by_operator',
  'not_applicable',
] as const;
export type EligibilityState = (typeof ELIGIBILITY_STATES)[number];

export const ATTEMPT_STATES = [
  'none',
  'pending_first_attempt',
  'running_attempt',
  'attempt_interrupted',
  'pending_retry_attempt',
  'pending_replay_attempt',
  'attempt_terminal',
] as const;
export type AttemptState = (typeof ATTEMPT_STATES)[number];

export const BLOCKING_REASONS = [
  'none',
  'waiting_for_worker',
  'waiting_for_retry_backoff',
  'waiting_for_resume_delay',
  'waiting_for_delay',
  'waiting_for_signal',
  'waiting_for_approval',
  'waiting_for_callback',
  'waiting_for_tool_result',
  'waiting_for_children',
  'waiting_for_budget',
  'waiting_for_quota',
  'waiting_for_capable_worker',
  'waiting_for_locality_match',
  'paused_by_operator',
  'paused_by_policy',
  'paused_by_flow_cancel',
] as const;
export type BlockingReason = (typeof BLOCKING_REASONS)[number];

export const TERMINAL_OUTCOMES = ['none', 'success', 'failed', 'cancelled', 'expired', 'skipped'] as const;
export type TerminalOutcome = (typeof TERMINAL_OUTCOMES)[number];

export const PUBLIC_STATES = [
  'waiting',
  'delayed',
  'rate_limited',
  'waiting_children',
  'active',
  'suspended',
  'resumable',
  'completed',
  'failed',
  'cancelled',
  'expired',
  'skipped',
] as const;
export type PublicState = (typeof PUBLIC_STATES)[number];

export interface StateVector {
  lifecyclePhase: LifecyclePhase;
  ownershipState: OwnershipState;
  eligibilityState: EligibilityState;
  blockingReason: BlockingReason;
  terminalOutcome: TerminalOutcome;
  attemptState: AttemptState;
  publicState: PublicState;
}

/**
 * The ff-core derivation of the public state from the other dimensions.
 * `resumable` has no derivation rule: a satisfied suspension sets it
 * explicitly (see the suspension family).
 */
export function derivePublicState(
  phase: LifecyclePhase,
  eligibility: EligibilityState,
  outcome: TerminalOutcome,
): PublicState {
  switch (phase) {
    case 'terminal':
      return outcome === 'success'
        ? 'completed'
        : outcome === 'cancelled' || outcome === 'expired' || outcome === 'skipped'
          ? outcome
          : 'failed';
    case 'suspended':
      return 'suspended';
    case 'active':
      return 'active';
    case 'submitted':
      return 'waiting';
    case 'runnable':
      switch (eligibility) {
        case 'not_eligible_until_time':
          return 'delayed';
        case 'blocked_by_dependencies':
          return 'waiting_children';
        case 'blocked_by_budget':
        case 'blocked_by_quota':
          return 'rate_limited';
        default:
          return 'waiting';
      }
  }
}

/** Attempt outcomes recorded on `ff_attempt.outcome`. */
export const ATTEMPT_OUTCOMES = [
  'success',
  'retry',
  'failed',
  'delayed',
  'cancelled',
  'interrupted_reclaimed',
  'attempt_interrupted',
  'lease_expired',
] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

/** Failure classes (FlowFabric `FailureClass`); transient and infra_crash are retryable. */
export const FAILURE_CLASSES = ['transient', 'infra_crash', 'permanent', 'timeout', 'cancelled'] as const;
export type FailureClass = (typeof FAILURE_CLASSES)[number];

export const LEASE_EVENT_TYPES = ['acquired', 'renewed', 'released', 'expired', 'revoked', 'reclaimed'] as const;
export type LeaseEventType = (typeof LEASE_EVENT_TYPES)[number];
