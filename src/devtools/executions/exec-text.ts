/**
 * Executions in words: the retry policy, payloads, the state vector with a
 * label and a plain gloss for each part, an attempt's true outcome, and the
 * empty-attempts line. Pure functions of the data and the engine clock, so
 * the board, the list and the drawer say the same thing.
 */
import type { AttemptInfo, ExecutionInfo } from '../../api/reads.js';
import type { StateVector } from '../../api/states.js';
import type { Payload } from '../../api/common.js';

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "up to 2 retries, fixed 1000 ms apart" — never "1 retries". */
export function retryText(policy: unknown): string {
  if (!policy || typeof policy !== 'object') return 'no retries: a failure is final';
  const p = policy as { maxRetries?: number; backoff?: { type?: string; delayMs?: number; initialDelayMs?: number; multiplier?: number; maxDelayMs?: number } };
  const max = p.maxRetries ?? 0;
  if (max === 0) return 'no retries: a failure is final';
  const b = p.backoff ?? {};
  const backoff =
    b.type === 'exponential'
      ? `exponential backoff from ${b.initialDelayMs} ms ×${b.multiplier}, at most ${b.maxDelayMs} ms`
      : `fixed backoff of ${b.delayMs ?? 0} ms`;
  return `up to ${plural(max, 'retry', 'retries')}, ${backoff}`;
}

/** Text as it is (cut at 300 characters), bytes as a count. */
export function payloadText(payload: Payload): string {
  if (typeof payload === 'string') return payload.length > 300 ? `${payload.slice(0, 300)}…` : payload;
  return `${payload.byteLength} bytes`;
}

const words = (s: string): string => s.replaceAll('_', ' ');

/** Each part of the state vector: its name, its raw value, and what the value means. */
export interface VectorPart {
  key: keyof StateVector;
  label: string;
  value: string;
  gloss: string;
}

const GLOSS: Record<string, string> = {
  submitted: 'accepted, not yet runnable',
  runnable: 'may be claimed once eligible',
  active: 'an attempt is running',
  suspended: 'paused until a signal or timeout',
  terminal: 'finished for good',
  unowned: 'no worker holds it',
  leased: 'a worker holds a lease on it',
  lease_expired_reclaimable: 'the lease ran out: reclaimable',
  lease_revoked: 'an operator took the lease: reclaimable',
  eligible_now: 'can be claimed now',
  not_eligible_until_time: 'not before a set time',
  blocked_by_dependencies: 'waits on upstream executions',
  blocked_by_budget: 'a budget is exhausted',
  blocked_by_quota: 'a quota is full',
  blocked_by_route: 'no route to a worker',
  blocked_by_lane_state: 'its lane is paused',
  blocked_by_operator: 'held by an operator',
  not_applicable: 'does not apply in this phase',
  none: 'nothing',
  pending_first_attempt: 'its first attempt has not started',
  running_attempt: 'an attempt is running',
  attempt_interrupted: 'the attempt was interrupted',
  pending_retry_attempt: 'a retry is due',
  pending_replay_attempt: 'a replay is due',
  attempt_terminal: 'the last attempt ended',
  success: 'completed',
  failed: 'failed',
  cancelled: 'cancelled',
  expired: 'its deadline passed',
  skipped: 'skipped by its flow',
};

export function vectorParts(v: StateVector): VectorPart[] {
  const part = (key: keyof StateVector, label: string): VectorPart => ({ key, label, value: v[key], gloss: GLOSS[v[key]] ?? words(v[key]) });
  return [
    part('lifecyclePhase', 'Lifecycle phase'),
    part('ownershipState', 'Ownership'),
    part('eligibilityState', 'Eligibility'),
    { key: 'blockingReason', label: 'Blocking reason', value: v.blockingReason, gloss: v.blockingReason === 'none' ? 'nothing blocks it' : words(v.blockingReason) },
    part('attemptState', 'Attempt state'),
    { key: 'terminalOutcome', label: 'Terminal outcome', value: v.terminalOutcome, gloss: v.terminalOutcome === 'none' ? 'not finished' : (GLOSS[v.terminalOutcome] ?? v.terminalOutcome) },
  ];
}

/**
 * What an attempt came to. An open attempt whose lease time has passed is
 * not running any more, even before the lease-expiry scanner marks it.
 */
export function attemptOutcome(a: AttemptInfo, now: number): { key: string; text: string } {
  if (a.outcome !== null) return { key: a.outcome, text: words(a.outcome) };
  if (a.leaseExpiresAtMs !== null && a.leaseExpiresAtMs <= now) return { key: 'lease_expired', text: 'lease expired' };
  return { key: 'running', text: 'running' };
}

/** Why there are no attempts: said only as far as it is true. */
export function noAttemptsText(info: ExecutionInfo): string {
  const v = info.stateVector;
  if (v.lifecyclePhase === 'terminal') return `No attempts: it ended ${info.publicState} before any worker ran it.`;
  if (info.publicState === 'delayed') return 'No attempts yet: it is delayed, see the start time above.';
  if (info.publicState === 'waiting' && v.eligibilityState === 'eligible_now') return 'No attempts yet: no worker has claimed it.';
  return `No attempts yet: it is ${words(info.publicState)} (${words(v.blockingReason)}).`;
}
