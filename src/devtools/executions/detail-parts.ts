/**
 * The facts of one execution as templates: the key/value list (lane,
 * priority, times, the labelled state vector, retry policy, payload,
 * result) and the attempts table with each attempt's true outcome.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { AttemptInfo, ExecutionDescription } from '../../api/reads.js';
import { formatTime, formatUntil } from '../format.js';
import type { Router } from '../router.js';
import { attemptOutcome, noAttemptsText, payloadText, plural, retryText, vectorParts } from './exec-text.js';

const kv = (key: string, value: unknown, testid?: string): TemplateResult => html`<dt>${key}</dt><dd data-testid=${testid ?? nothing}>${value}</dd>`;

export function factsTemplate(d: ExecutionDescription, now: number, router: Router): TemplateResult {
  return html`<dl class="kv" data-testid="details-facts">
    ${kv('Lane', html`<span class="mono">${d.laneId}</span>`, 'details-lane')} ${kv('Namespace', html`<span class="mono">${d.namespace}</span>`)}
    ${d.flowId !== null ? kv('Flow', html`<a class="mono" data-testid="details-flow" href=${router.href({ view: 'flows', id: d.flowId, params: {} })}>${d.flowId}</a>`) : nothing}
    ${kv('Priority', String(d.priority), 'details-priority')} ${kv('Created', formatTime(d.createdAtMs))}
    ${d.eligibleAtMs !== null && d.publicState === 'delayed' ? kv('Eligible', `${formatTime(d.eligibleAtMs)} (${formatUntil(d.eligibleAtMs, now)})`) : nothing}
    ${d.startedAtMs !== null ? kv('Started', formatTime(d.startedAtMs)) : nothing} ${d.completedAtMs !== null ? kv('Ended', formatTime(d.completedAtMs)) : nothing}
    ${d.deadlineAtMs !== null ? kv('Deadline', `${formatTime(d.deadlineAtMs)} (${formatUntil(d.deadlineAtMs, now)})`) : nothing}
    ${kv('Retry policy', retryText(d.retryPolicy), 'details-retry-policy')}
    ${kv('Retries so far', `${plural(d.retryCount, 'retry', 'retries')}${d.leaseReclaimCount > 0 ? `, ${plural(d.leaseReclaimCount, 'reclaim')}` : ''}`)}
    ${d.attemptTimeoutMs !== null ? kv('Attempt timeout', `${d.attemptTimeoutMs} ms`) : nothing}
    ${d.requiredCapabilities.length ? kv('Needs', d.requiredCapabilities.join(', ')) : nothing}
    ${d.progress.percent !== null || d.progress.message ? kv('Progress', `${d.progress.percent ?? '–'} % ${d.progress.message ?? ''}`) : nothing}
    ${d.payload !== null ? kv('Payload', html`<span class="mono">${payloadText(d.payload)}</span>`, 'details-payload') : nothing}
    ${d.result !== null ? kv('Result', html`<span class="mono">${payloadText(d.result)}</span>`, 'details-result') : nothing}
    ${d.lastFailureReason ? kv('Last failure', d.lastFailureReason) : nothing} ${d.cancellationReason ? kv('Cancelled', d.cancellationReason) : nothing}
  </dl>`;
}

/** The state vector, one named row per part, with the raw value kept for those who know the model. */
export function vectorTemplate(d: ExecutionDescription): TemplateResult {
  return html`<details class="vector" data-testid="details-vector" open>
    <summary>State vector <span class="muted">(how the engine sees it)</span></summary>
    <dl class="kv vector-kv">
      ${vectorParts(d.stateVector).map(
        (p) => html`<dt>${p.label}</dt>
          <dd data-testid="vector-${p.key}" data-value=${p.value}><code>${p.value}</code> <span class="muted">${p.gloss}</span></dd>`,
      )}
    </dl>
  </details>`;
}

export function attemptsTemplate(d: ExecutionDescription, now: number): TemplateResult {
  if (d.attempts.length === 0) return html`<p class="muted" data-testid="details-no-attempts">${noAttemptsText(d)}</p>`;
  const folded = d.foldedAttempts;
  return html`<div class="table-wrap">
    <table class="attempts" data-testid="details-attempts">
      <caption class="visually-hidden">Attempts</caption>
      <thead>
        <tr>
          ${['#', 'Type', 'Worker', 'Epoch', 'Started', 'Lease / ended', 'Outcome'].map((t) => html`<th scope="col">${t}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${d.attempts.map((a) => attemptRow(a, now))}
      </tbody>
    </table>
    ${folded ? html`<p class="muted small" data-testid="details-folded">${plural(folded.count, 'older attempt')} folded away by retention.</p>` : nothing}
  </div>`;
}

function attemptRow(a: AttemptInfo, now: number): TemplateResult {
  const outcome = attemptOutcome(a, now);
  const lease =
    a.terminalAtMs !== null
      ? formatTime(a.terminalAtMs)
      : a.leaseExpiresAtMs === null
        ? '—'
        : a.leaseExpiresAtMs <= now
          ? `lease ran out ${formatUntil(a.leaseExpiresAtMs, now)}`
          : `lease ends ${formatUntil(a.leaseExpiresAtMs, now)}`;
  return html`<tr data-testid="attempt-row" data-outcome=${outcome.key}>
    <td>${a.attemptIndex + 1}</td>
    <td>${a.attemptType}</td>
    <td class="mono">${a.workerInstanceId ?? '—'}</td>
    <td>${a.leaseEpoch}</td>
    <td>${formatTime(a.startedAtMs)}</td>
    <td>${lease}</td>
    <td><span class="chip outcome-${outcome.key}" data-testid="attempt-outcome">${outcome.text}</span>${a.failureReason ? html`<span class="muted"> ${a.failureReason}</span>` : nothing}</td>
  </tr>`;
}
