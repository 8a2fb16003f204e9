/**
 * One row of the worker registry. "lapsed" is an instance whose TTL has run
 * out on the engine clock but that the sweep has not yet marked dead; the
 * engine still reads it `alive`, so the row says what is true now.
 */
import { html, type TemplateResult } from 'lit';
import type { WorkerInfo } from '../../api/workers.js';
import { formatTime, formatUntil } from '../format.js';

export interface WorkerTarget {
  workerInstanceId: string;
  namespace: string;
}

export interface WorkerActions {
  heartbeat(target: WorkerTarget): void;
  markDead(target: WorkerTarget): void;
}

export function workerRow(w: WorkerInfo, now: number, actions: WorkerActions): TemplateResult {
  const state = w.state === 'dead' ? 'dead' : w.expiresAtMs <= now ? 'lapsed' : 'alive';
  const target = { workerInstanceId: w.workerInstanceId, namespace: w.namespace };
  return html`<tr data-testid="worker-row" data-instance-id=${w.workerInstanceId} data-namespace=${w.namespace} data-state=${state}>
    <td class="wrap">
      <span class="mono">${w.workerInstanceId}</span>
      <span class="sub">worker <span class="mono">${w.workerId}</span></span>
    </td>
    <td class="wrap">
      <span class="mono" data-testid="worker-lanes-cell">${w.lanes.join(', ') || '—'}</span>
      <span class="sub">capabilities: <span class="mono" data-testid="worker-caps-cell">${w.capabilities.join(', ') || '—'}</span></span>
    </td>
    <td><span class="chip worker-${state}" data-testid="worker-row-state">${state}</span></td>
    <td data-testid="worker-expires" title=${w.state === 'dead' ? '' : formatTime(w.expiresAtMs)}>${w.state === 'dead' ? '—' : formatUntil(w.expiresAtMs, now)}</td>
    <td class="row-actions">
      <div class="row-buttons">
        <button type="button" class="small" data-testid="worker-heartbeat" aria-label="Heartbeat: ${w.workerInstanceId}" @click=${() => actions.heartbeat(target)}>Heartbeat</button>
        <button type="button" class="small danger" data-testid="worker-mark-dead" aria-label="Mark dead: ${w.workerInstanceId}" ?disabled=${w.state === 'dead'} @click=${() => actions.markDead(target)}>Mark dead</button>
      </div>
    </td>
  </tr>`;
}
