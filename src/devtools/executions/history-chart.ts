/**
 * The per-execution history as a Gantt chart on the engine's clock: one row
 * for waiting (queued, delayed, retry backoff), one per attempt (a bar from
 * its start to its end, or to now while it runs, with its lease expiry and
 * renewals as ticks), one for a suspension and its signals, and one of
 * outbox events. Plain positioned elements: no chart library needed.
 */
import type { nothing} from 'lit';
import { html, type TemplateResult } from 'lit';
import type { AttemptInfo, ExecutionDescription } from '../../api/reads.js';
import type { SuspensionInfo } from '../../api/suspension.js';
import type { OutboxEvent } from '../../api/events.js';
import type { RetryPolicy } from '../../api/executions.js';
import { backoffMs } from '../../engine/executions/retry-policy.js';
import { formatDuration, formatTime } from '../format.js';

export interface Segment {
  kind: 'wait' | 'delay' | 'backoff' | 'attempt' | 'suspension';
  from: number;
  to: number;
  label: string;
  /** Outcome class for an attempt bar. */
  tone?: string;
}

export interface Marker {
  at: number;
  label: string;
  kind: string;
}

export interface Row {
  label: string;
  segments: Segment[];
  markers: Marker[];
}

/** An attempt's outcome as its bar says it. */
const OUTCOME_WORDS: Record<string, string> = {
  retry: 'failed, retried',
  interrupted_reclaimed: 'reclaimed',
  attempt_interrupted: 'interrupted',
  lease_expired: 'lease expired',
  lease_revoked: 'lease revoked',
  delayed: 'handed back (delayed)',
};

/** The attempt's real end: a live attempt whose lease expired ended at the expiry, not "now". */
function attemptEnd(a: AttemptInfo, d: ExecutionDescription, now: number): { to: number; outcome: string } {
  if (a.terminalAtMs !== null) return { to: a.terminalAtMs, outcome: a.outcome ?? 'ended' };
  const current = a.attemptIndex === d.currentAttemptIndex;
  const own = d.stateVector.ownershipState;
  if (current && own === 'lease_expired_reclaimable' && a.leaseExpiresAtMs !== null) return { to: a.leaseExpiresAtMs, outcome: 'lease_expired' };
  if (current && own === 'lease_revoked') return { to: now, outcome: 'lease_revoked' };
  if (!current) return { to: a.leaseExpiresAtMs ?? a.startedAtMs, outcome: 'interrupted' };
  return { to: now, outcome: 'running' };
}

export function buildRows(d: ExecutionDescription, suspension: SuspensionInfo | null, events: OutboxEvent[], now: number): Row[] {
  const wait: Row = { label: 'Waiting', segments: [], markers: [{ at: d.createdAtMs, label: 'created', kind: 'created' }] };
  const attempts: Row[] = [];
  const attemptsSorted = [...d.attempts].sort((a, b) => a.attemptIndex - b.attemptIndex);
  let previousEnd = d.createdAtMs;
  let previousOutcome: string | null = null;
  const policy = d.retryPolicy as RetryPolicy | null;
  let retries = 0;
  for (const a of attemptsSorted) {
    if (a.startedAtMs > previousEnd) {
      // After a retry, the policy's backoff; whatever is left of the gap is the wait for a worker.
      const backoffEnd = previousOutcome === 'retry' && policy ? Math.min(a.startedAtMs, previousEnd + backoffMs(policy, retries - 1)) : previousEnd;
      if (backoffEnd > previousEnd) wait.segments.push({ kind: 'backoff', from: previousEnd, to: backoffEnd, label: 'backoff' });
      if (a.startedAtMs > backoffEnd) wait.segments.push({ kind: 'wait', from: backoffEnd, to: a.startedAtMs, label: 'waiting' });
    }
    const end = attemptEnd(a, d, now);
    const renewals = events.filter((e) => e.channel === 'lease' && e.attemptIndex === a.attemptIndex && e.eventType === 'renewed');
    const markers: Marker[] = renewals.map((e) => ({ at: e.occurredAtMs, label: 'lease renewed', kind: 'renewal' }));
    if (a.leaseExpiresAtMs !== null && (end.outcome === 'running' || end.outcome === 'lease_expired')) markers.push({ at: a.leaseExpiresAtMs, label: end.outcome === 'running' ? 'lease expires' : 'lease expired', kind: 'lease-expiry' });
    attempts.push({
      label: `Attempt ${a.attemptIndex + 1}${a.attemptType === 'initial' ? '' : ` (${a.attemptType})`}`,
      segments: [
        {
          kind: 'attempt',
          from: a.startedAtMs,
          to: Math.max(end.to, a.startedAtMs),
          label: `${OUTCOME_WORDS[end.outcome] ?? end.outcome.replaceAll('_', ' ')}${a.failureReason ? `: ${a.failureReason}` : ''}${a.workerInstanceId ? ` · ${a.workerInstanceId}` : ''}`,
          tone: end.outcome,
        },
      ],
      markers,
    });
    previousEnd = Math.max(end.to, a.startedAtMs);
    previousOutcome = end.outcome;
    if (end.outcome === 'retry') retries += 1;
  }
  const terminal = d.stateVector.lifecyclePhase === 'terminal';
  if (!terminal && d.stateVector.lifecyclePhase === 'runnable') {
    // Waiting now: for time (delay or backoff) up to eligibleAt, then for a worker.
    const reason = d.stateVector.blockingReason;
    if (d.eligibleAtMs !== null && d.eligibleAtMs > previousEnd) {
      const kind = reason === 'waiting_for_retry_backoff' ? 'backoff' : 'delay';
      wait.segments.push({ kind, from: previousEnd, to: d.eligibleAtMs, label: kind === 'backoff' ? 'backoff' : 'delayed' });
      wait.markers.push({ at: d.eligibleAtMs, label: 'eligible', kind: 'eligible' });
    } else if (now > previousEnd) {
      wait.segments.push({ kind: 'wait', from: previousEnd, to: now, label: reason === 'waiting_for_children' ? 'waiting on upstreams' : 'waiting' });
    }
  }
  if (d.completedAtMs !== null) wait.markers.push({ at: d.completedAtMs, label: `ended ${d.publicState}`, kind: 'ended' });
  const rows = [wait, ...attempts];
  if (suspension) {
    const signals = events.filter((e) => e.channel === 'signal');
    const markers: Marker[] = signals.map((e) => ({ at: e.occurredAtMs, label: `signal ${e.channel === 'signal' ? (e.signalName ?? '') : ''}`, kind: 'signal' }));
    if (suspension.timeoutAtMs !== null) markers.push({ at: suspension.timeoutAtMs, label: 'times out', kind: 'timeout' });
    rows.push({ label: 'Suspension', segments: [{ kind: 'suspension', from: suspension.suspendedAtMs, to: suspension.satisfiedAtMs ?? now, label: suspension.satisfiedAtMs ? 'suspended (resumed)' : 'suspended' }], markers });
  }
  rows.push({ label: 'Events', segments: [], markers: events.map((e) => ({ at: e.occurredAtMs, label: eventLabel(e), kind: `ev-${e.channel}` })) });
  return rows;
}

export function eventLabel(e: OutboxEvent): string {
  switch (e.channel) {
    case 'completion':
      return `ended ${e.outcome}`;
    case 'lease':
      return `lease ${e.eventType} · attempt ${e.attemptIndex + 1}, epoch ${e.leaseEpoch}${e.workerInstanceId ? ` · ${e.workerInstanceId}` : ''}`;
    case 'operator':
      return `operator ${e.eventType.replace(/_/g, ' ')}`;
    case 'signal':
      return `signal ${e.signalName ?? ''} · ${e.effect.replaceAll('_', ' ')}`;
    case 'stream':
      return `frame ${e.frameId} (${e.fields['frame_type'] ?? e.mode})`;
    case 'budget':
      return `budget ${e.budgetId} ${e.eventType}`;
  }
}

/** The chart: a time axis from `from` to `to`, then each row's bars and ticks at their share of it. */
export function chartTemplate(rows: Row[], from: number, to: number): TemplateResult {
  const span = Math.max(1, to - from);
  const pos = (t: number): number => Math.min(100, Math.max(0, ((t - from) / span) * 100));
  return html`<div class="gantt" role="img" aria-label="Attempts, waits and events from ${formatTime(from)} to ${formatTime(to)}">
    <div class="gantt-axis small muted"><span>${formatTime(from, true)}</span><span>${formatDuration(to - from)}</span><span>${formatTime(to, true)}</span></div>
    ${rows.map(
      (row) => html`<div class="gantt-row" data-testid="history-row">
        <span class="gantt-label small">${row.label}</span>
        <div class="gantt-track">
          ${row.segments.map(
            (s) => html`<span class="gantt-bar bar-${s.kind} ${s.tone ? `tone-${s.tone}` : ''}" data-testid="history-bar" data-kind=${s.kind} data-from=${s.from} data-to=${s.to}
              style="left:${pos(s.from)}%;width:max(3px, ${pos(s.to) - pos(s.from)}%)" title="${s.label}: ${formatTime(s.from, true)} → ${formatTime(s.to, true)} (${formatDuration(s.to - s.from)})"
              ><span class="gantt-bar-label">${s.label}</span></span
            >`,
          )}
          ${row.markers.map((m) => html`<span class="gantt-marker mk-${m.kind}" data-testid="history-marker" data-kind=${m.kind} style="left:${pos(m.at)}%" title="${m.label} · ${formatTime(m.at, true)}"></span>`)}
        </div>
      </div>`,
    )}
  </div>`;
}

export function legendTemplate(): TemplateResult | typeof nothing {
  return html`<p class="gantt-legend small muted">
    <span class="lg bar-attempt tone-success"></span> attempt <span class="lg bar-backoff"></span> backoff <span class="lg bar-delay"></span> delay
    <span class="lg bar-wait"></span> waiting <span class="lg bar-suspension"></span> suspended <span class="lg mk"></span> event / lease tick
  </p>`;
}
