/**
 * explainExecution: why an execution is where it is, in one plain sentence
 * plus the facts behind it: the upstreams it waits on, the lane no live
 * worker serves, the capability no worker on the lane holds, the time it
 * is delayed until (and whether a paused virtual clock stands in the way),
 * the signals a suspension waits for, the worker running it, or how it
 * ended. Everything comes from the state vector and the rows it points at;
 * nothing is written.
 */
import { executionRef } from '../../api/executions.js';
import type { ExecutionExplanation, ExplainDetails, ExplainReason } from '../../api/reads.js';
import type { EngineContext } from '../core/context.js';
import { defineOperation, type EngineRuntime } from '../operation.js';
import {
  readCurrentAttempt,
  readExplainRow,
  readGroupCounters,
  readLaneWorkers,
  readSuspensionFacts,
  readUpstreams,
  type ExplainRow,
} from './explain-facts.js';
import { at, list, plural, utc } from './explain-words.js';

type Answer = { reason: ExplainReason; sentence: string; details: Partial<ExplainDetails> };

export function explainExecution(ctx: EngineContext, runtime: EngineRuntime, now: number, executionId: string): ExecutionExplanation | null {
  const row = readExplainRow(ctx, executionId);
  if (!row) return null;
  const base: ExplainDetails = { publicState: row.public_state, laneId: row.lane_id, namespace: row.namespace };
  const answer = decide(ctx, runtime, now, row);
  return { executionId, reason: answer.reason, sentence: answer.sentence, details: { ...base, ...answer.details } };
}

function decide(ctx: EngineContext, runtime: EngineRuntime, now: number, row: ExplainRow): Answer {
  switch (row.lifecycle_phase) {
    case 'terminal':
      return ended(ctx, row);
    case 'active':
      return running(ctx, row, now);
    case 'suspended':
      return suspended(ctx, row, now);
    default:
      return waiting(ctx, runtime, now, row);
  }
}

function ended(ctx: EngineContext, row: ExplainRow): Answer {
  const end = row.terminal_at_ms ?? row.created_at_ms;
  const details = { endedAtMs: end };
  const raw = JSON.parse(row.raw_fields) as Record<string, unknown>;
  switch (row.terminal_outcome) {
    case 'success':
      return { reason: 'completed', sentence: `Completed at ${utc(end)} after ${plural(row.attempt_count, 'attempt')}.`, details };
    case 'cancelled': {
      const why = row.cancellation_reason ?? '';
      return { reason: 'cancelled', sentence: `Cancelled at ${utc(end)}${why ? `: ${why}` : ''}.`, details: { ...details, ...(why ? { reasonText: why } : {}) } };
    }
    case 'expired': {
      const deadline = row.deadline_at_ms !== null ? ` (its deadline was ${utc(row.deadline_at_ms)})` : '';
      return { reason: 'expired', sentence: `Expired at ${utc(end)}${deadline}.`, details };
    }
    case 'skipped':
      return { reason: 'skipped', sentence: `Skipped at ${utc(end)}: its upstream dependencies can no longer be met.`, details };
    default: {
      const why = typeof raw['failure_reason'] === 'string' ? raw['failure_reason'] : (readCurrentAttempt(ctx, row)?.failure_reason ?? '');
      return {
        reason: 'failed',
        sentence: `Failed at ${utc(end)} after ${plural(row.attempt_count, 'attempt')}${why ? `: ${why}` : ''}.`,
        details: { ...details, ...(why ? { reasonText: why } : {}) },
      };
    }
  }
}

function running(ctx: EngineContext, row: ExplainRow, now: number): Answer {
  const a = readCurrentAttempt(ctx, row);
  const n = row.attempt_index + 1;
  const who = a?.worker_id ? `worker ${a.worker_id}${a.worker_instance_id ? ` (instance ${a.worker_instance_id})` : ''}` : 'a worker';
  const details: Partial<ExplainDetails> = {
    attemptIndex: row.attempt_index,
    ...(a?.worker_id ? { workerId: a.worker_id } : {}),
    ...(a?.worker_instance_id ? { workerInstanceId: a.worker_instance_id } : {}),
    ...(a?.lease_expires_at_ms != null ? { leaseExpiresAtMs: a.lease_expires_at_ms } : {}),
  };
  const expiry = a?.lease_expires_at_ms ?? null;
  if (row.ownership_state === 'lease_expired_reclaimable') {
    const when = expiry !== null ? ` at ${at(expiry, now)}` : '';
    return { reason: 'lease_expired', sentence: `The lease of attempt ${n} on ${who} expired${when}; it waits to be reclaimed.`, details };
  }
  if (row.ownership_state === 'lease_revoked') {
    return { reason: 'lease_revoked', sentence: `An operator revoked the lease of attempt ${n} on ${who}; it waits to be reclaimed.`, details };
  }
  const lease = expiry === null ? '' : expiry > now ? `, lease until ${at(expiry, now)}` : `; its lease ran out at ${at(expiry, now)} and the lease-expiry scanner has yet to mark it`;
  return { reason: 'running', sentence: `Running attempt ${n} on ${who}${lease}.`, details };
}

function suspended(ctx: EngineContext, row: ExplainRow, now: number): Answer {
  const s = readSuspensionFacts(ctx, row.execution_id);
  if (!s) return { reason: 'suspended', sentence: 'Suspended.', details: { blockingReason: row.blocking_reason } };
  const timeout = s.timeoutAtMs !== null ? `; it times out at ${at(s.timeoutAtMs, now)}` : '';
  const details: Partial<ExplainDetails> = {
    resumeKind: s.condition.kind,
    signalsReceived: s.received,
    blockingReason: row.blocking_reason,
    ...(s.timeoutAtMs !== null ? { untilMs: s.timeoutAtMs } : {}),
  };
  if (s.condition.kind === 'approval') return { reason: 'suspended', sentence: `Suspended, waiting for an approval signal${timeout}.`, details: { ...details, signals: [] } };
  if (s.condition.kind === 'operator_only') return { reason: 'suspended', sentence: `Suspended until an operator resumes it${timeout}.`, details: { ...details, signals: [] } };
  const awaited = s.awaited.length > 0 ? s.awaited : s.condition.signals.map((x) => x.name);
  const which = s.condition.mode === 'any_of' && awaited.length > 1 ? `one of the signals ${list(awaited)}` : `${awaited.length === 1 ? 'the signal' : 'the signals'} ${list(awaited)}`;
  const received = s.received > 0 ? ` (${plural(s.received, 'signal')} received so far)` : '';
  return {
    reason: 'suspended',
    sentence: `Suspended, waiting for ${which}${received}${timeout}.`,
    details: { ...details, signals: awaited, signalMode: s.condition.mode },
  };
}

function waiting(ctx: EngineContext, runtime: EngineRuntime, now: number, row: ExplainRow): Answer {
  switch (row.eligibility_state) {
    case 'blocked_by_dependencies':
      return upstreams(ctx, row);
    case 'not_eligible_until_time':
      return timed(runtime, now, row);
    case 'blocked_by_budget':
      return { reason: 'budget_blocked', sentence: 'Blocked by a budget: it is not claimed until the budget has room again.', details: { eligibilityState: row.eligibility_state } };
    case 'blocked_by_quota':
      return { reason: 'quota_blocked', sentence: 'Blocked by a quota: it is not claimed until the quota admits it.', details: { eligibilityState: row.eligibility_state } };
    case 'blocked_by_route':
    case 'blocked_by_lane_state':
    case 'blocked_by_operator': {
      const what = { blocked_by_route: 'its route', blocked_by_lane_state: `the state of lane ${row.lane_id}`, blocked_by_operator: 'an operator' }[row.eligibility_state];
      return { reason: 'blocked', sentence: `Blocked by ${what}.`, details: { eligibilityState: row.eligibility_state, blockingReason: row.blocking_reason } };
    }
    default:
      return workers(ctx, now, row);
  }
}

function upstreams(ctx: EngineContext, row: ExplainRow): Answer {
  const flowId = row.flow_id ?? '';
  const edges = row.flow_id ? readUpstreams(ctx, row.flow_id, row.execution_id) : [];
  const group = row.flow_id ? readGroupCounters(ctx, row.flow_id, row.execution_id) : undefined;
  const pending = edges.filter((e) => e.edgeState === 'pending').map((e) => e.executionId);
  const rule = group?.policy === 'any_of' ? 'any one of' : group?.policy === 'quorum' ? `${group.k} of` : pending.length === 1 ? '' : 'all of';
  const sentence =
    pending.length > 0
      ? `Waiting on ${rule ? `${rule} ` : ''}${pending.length === 1 ? 'its upstream' : 'its upstreams'} ${list(pending)} in flow ${flowId}.`
      : `Waiting on its dependencies in flow ${flowId}.`;
  return { reason: 'waiting_on_upstreams', sentence, details: { flowId, upstreams: edges, pendingUpstreamIds: pending, ...(group ? { group } : {}) } };
}

function timed(runtime: EngineRuntime, now: number, row: ExplainRow): Answer {
  const until = row.eligible_at_ms ?? now;
  const waitingFor = row.blocking_reason === 'waiting_for_retry_backoff' ? 'retry_backoff' : row.blocking_reason === 'waiting_for_resume_delay' ? 'resume_delay' : 'delay';
  const what =
    waitingFor === 'retry_backoff'
      ? `In retry backoff after attempt ${row.attempt_index + 1} failed, until ${at(until, now)}`
      : waitingFor === 'resume_delay'
        ? `Resumed, and delayed until ${at(until, now)}`
        : `Delayed until ${at(until, now)}`;
  const player = runtime.player?.state();
  if (player && !player.playing && until > now) {
    return {
      reason: 'clock_paused',
      sentence: `${what}, but the virtual clock is paused: that time comes only when the clock is played or advanced.`,
      details: { untilMs: until, waitingFor },
    };
  }
  return { reason: waitingFor === 'retry_backoff' ? 'retry_backoff' : 'delayed', sentence: `${what}.`, details: { untilMs: until, waitingFor } };
}

function workers(ctx: EngineContext, now: number, row: ExplainRow): Answer {
  const lane = row.lane_id;
  const live = readLaneWorkers(ctx, lane, now);
  const required = row.capabilities === null ? [] : (JSON.parse(row.capabilities) as string[]);
  const resumed = row.public_state === 'resumable' ? 'Resumed and r' : 'R';
  if (live.length === 0) {
    return {
      reason: 'no_worker',
      sentence: `${resumed}eady to run, but no worker polls lane ${lane}: no live registered worker lists it among its lanes.`,
      details: { laneWorkers: [], requiredCapabilities: required },
    };
  }
  const capable = live.filter((w) => required.every((c) => w.capabilities.includes(c)));
  if (capable.length === 0) {
    const missing = live
      .map((w) => required.filter((c) => !w.capabilities.includes(c)))
      .reduce((best, m) => (m.length < best.length ? m : best));
    return {
      reason: 'missing_capability',
      sentence: `${resumed}eady to run, but it needs ${missing.length === 1 ? 'capability' : 'capabilities'} ${list(missing)}, which no live registered worker on lane ${lane} holds.`,
      details: { laneWorkers: live.map((w) => w.instanceId), requiredCapabilities: required, missingCapabilities: missing },
    };
  }
  const names = capable.map((w) => w.instanceId);
  return {
    reason: 'waiting_for_worker',
    sentence: `${resumed}eady to run: ${names.length === 1 ? 'registered worker' : 'registered workers'} ${list(names)} ${names.length === 1 ? 'polls' : 'poll'} lane ${lane} and can claim it.`,
    details: { laneWorkers: live.map((w) => w.instanceId), requiredCapabilities: required },
  };
}

export const explainExecutionOp = defineOperation({
  name: 'explainExecution',
  family: 'reads',
  kind: 'read',
  summary:
    'Why an execution is where it is: a reason code, one plain sentence and its facts (upstreams it waits on, a lane no live registered worker polls, a missing capability, the time it is delayed until and whether the virtual clock is paused, awaited signals, the worker running it, how it ended), or `null`.',
  input: executionRef,
  run: ({ ctx, runtime, now }, { executionId }): ExecutionExplanation | null => explainExecution(ctx, runtime, now, executionId),
});
