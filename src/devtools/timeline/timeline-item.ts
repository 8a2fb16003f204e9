/**
 * One timeline entry: what an event says in a line, what it is about (an
 * execution, a budget or a flow, each a link), and its engine time, dated.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { BackendChannel, BackendEvent } from '../../worker/protocol.js';
import { formatTime, shortId } from '../format.js';
import { withParams, type Route } from '../router.js';
import type { DevtoolsStore } from '../store.js';

export interface TimelineItem {
  /** The event's cursor: unique per event. */
  key: string;
  channel: BackendChannel;
  /** Event type, outcome or effect (what the type filter picks). */
  type: string;
  eventId: number;
  at: number;
  executionId: string | null;
  budgetId: string | null;
  flowId: string | null;
  /** The line after the subject's link. */
  text: string;
}

export function describeEvent(e: BackendEvent): TimelineItem {
  const base = { key: e.cursor, channel: e.channel, eventId: 'eventId' in e ? e.eventId : 0, executionId: null, budgetId: null, flowId: null };
  switch (e.channel) {
    case 'completion':
      return { ...base, type: e.outcome, at: e.occurredAtMs, executionId: e.executionId, flowId: e.flowId, text: `ended ${e.outcome}` };
    case 'lease':
      return {
        ...base,
        type: e.eventType,
        at: e.occurredAtMs,
        executionId: e.executionId,
        text: `lease ${e.eventType} · attempt ${e.attemptIndex + 1}, epoch ${e.leaseEpoch}${e.workerInstanceId ? ` · ${e.workerInstanceId}` : ''}`,
      };
    case 'budget': {
      const what = e.eventType === 'reset' ? `reset (${String(e.details['trigger'] ?? '')})` : e.eventType === 'breach' ? `hard breach on ${e.dimension}` : `${e.eventType.replace('_', ' ')} on ${e.dimension}`;
      return { ...base, type: e.eventType, at: e.occurredAtMs, budgetId: e.budgetId, text: what };
    }
    case 'operator':
      return { ...base, type: e.eventType, at: e.occurredAtMs, executionId: e.executionId, flowId: e.flowId, text: `operator ${e.eventType.replace(/_/g, ' ')}` };
    case 'signal':
      return { ...base, type: e.effect, at: e.occurredAtMs, executionId: e.executionId, text: `signal ${e.signalName ?? ''} · ${e.effect.replaceAll('_', ' ')}` };
    case 'stream':
      return { ...base, type: e.mode, at: e.occurredAtMs, executionId: e.executionId, text: `frame ${e.frameId} (${e.fields['frame_type'] ?? e.mode})` };
    case 'scanner':
      return {
        ...base,
        type: e.report.scanner,
        at: e.report.at,
        text: `${e.report.scanner}: ${e.report.processed} processed${e.report.errors ? `, ${e.report.errors} errors` : ''}`,
      };
  }
}

/** The subject of an item as a link: its execution (opens the drawer), its budget, or its flow. */
function subject(store: DevtoolsStore, item: TimelineItem): TemplateResult | typeof nothing {
  const here: Route = store.route;
  if (item.executionId !== null) {
    return html`<a class="mono" data-testid="timeline-item-link" title=${item.executionId} href=${store.router.href(withParams(here, { exec: item.executionId }))}>${shortId(item.executionId)}</a> `;
  }
  if (item.budgetId !== null) {
    return html`budget <a data-testid="timeline-item-link" href=${store.router.href({ view: 'budgets', id: null, params: { budget: item.budgetId } })}>${item.budgetId}</a>: `;
  }
  if (item.flowId !== null) {
    return html`flow <a class="mono" data-testid="timeline-item-link" title=${item.flowId} href=${store.router.href({ view: 'flows', id: item.flowId, params: {} })}>${shortId(item.flowId)}</a>: `;
  }
  return nothing;
}

export function itemTemplate(store: DevtoolsStore, item: TimelineItem): TemplateResult {
  const when = new Date(item.at);
  return html`<li class="timeline-item ch-${item.channel} t-${item.type}" data-testid="timeline-item" data-channel=${item.channel} data-type=${item.type} data-at=${item.at}>
    <time class="mono muted" datetime=${when.toISOString()} data-testid="timeline-time">${formatTime(item.at, true)}</time>
    <span class="chip ch-${item.channel}">${item.channel}</span>
    <span class="timeline-text">${subject(store, item)}${item.text}</span>
  </li>`;
}
