/**
 * One flow (`#/flows/<id>`): its state and counters, the DAG of its
 * members, the selected edge, each edge group's policy and counters, and
 * the forms that grow the flow. A member's box opens its drawer with the
 * flow's route kept, so closing the drawer comes back here.
 */
import { html, nothing, type PropertyDeclarations } from 'lit';
import type { EdgeInfo, FlowDescription } from '../../api/flows.js';
import { DtElement } from '../base.js';
import { defineElement } from '../define.js';
import { formatTime, formatUntil, shortId } from '../format.js';
import { withParams } from '../router.js';
import { dagTemplate, edgeLook } from './flow-dag.js';
import type { LayoutFn } from './flow-geometry.js';
import { groupsTemplate } from './flow-groups.js';
import './flow-forms.js';

/**
 * The graph layout (dagre) is its own chunk, fetched when a flow is first
 * shown: the rest of the devtools never needs it.
 */
let layoutFn: LayoutFn | null = null;
let layoutLoading: Promise<void> | null = null;
function loadLayout(): Promise<void> {
  return (layoutLoading ??= import('./flow-layout.js').then((m) => {
    layoutFn = m.layoutFlow;
  }));
}

/** The tag the devtools (and the sample data) put a readable name in. */
export const LABEL_TAG = 'devtools.label';

export class DtFlowView extends DtElement {
  static override properties: PropertyDeclarations = {
    ...DtElement.properties,
    flowId: {},
    flow: { state: true },
    selectedEdge: { state: true },
  };
  declare flowId: string;
  declare flow: FlowDescription | null | undefined;
  declare selectedEdge: EdgeInfo | null;
  /** Labels never change once set by the forms, so each member's is read once. */
  private readonly labels = new Map<string, string | null>();

  constructor() {
    super();
    this.flowId = '';
    this.flow = undefined;
    this.selectedEdge = null;
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    super.willUpdate(changed);
    // Another flow: nothing of the previous one stays on screen while the new one loads.
    if (changed.has('flowId') && changed.get('flowId') !== undefined) {
      this.flow = undefined;
      this.selectedEdge = null;
    }
  }

  override async load(): Promise<void> {
    const backend = this.store.backend;
    const flowId = this.flowId;
    const layoutReady = loadLayout();
    // A malformed id in the URL is "no such flow", not a page-wide error on every refresh.
    const flow = await backend.describeFlow({ flowId }).catch(() => null);
    if (flowId !== this.flowId) return;
    const unknown = (flow?.members ?? []).filter((m) => !this.labels.has(m.executionId));
    const read = await Promise.all(unknown.map((m) => backend.getExecutionTag({ executionId: m.executionId, key: LABEL_TAG }).catch(() => null)));
    unknown.forEach((m, i) => this.labels.set(m.executionId, read[i] ?? null));
    const selected = this.selectedEdge;
    this.selectedEdge = selected && flow ? await backend.describeEdge({ flowId, edgeId: selected.edgeId }) : null;
    await layoutReady;
    this.flow = flow;
  }

  override clear(): void {
    this.labels.clear();
    this.flow = undefined;
    this.selectedEdge = null;
  }

  label = (executionId: string): string => this.labels.get(executionId) ?? shortId(executionId);

  override render(): unknown {
    const flow = this.flow;
    const back = html`<a class="back-link" href=${this.store.router.href({ view: 'flows', id: null, params: {} })} data-testid="flow-back">← All flows</a>`;
    if (flow === undefined) return html`<section class="panel panel-flow">${back}<p class="muted">Loading the flow…</p></section>`;
    if (flow === null) {
      return html`<section class="panel panel-flow">${back}<p class="empty" data-testid="flow-missing">No flow with id <code class="wrap">${this.flowId}</code> in this database.</p></section>`;
    }
    const counts = Object.entries(flow.countsByState);
    return html`<section class="panel panel-flow" data-testid="flow-view" data-flow-id=${flow.flowId}>
      ${back}
      <div class="panel-head flow-head">
        <h2>Flow <code class="wrap" data-testid="flow-id">${flow.flowId}</code></h2>
        <span class="chip flow-state-${flow.publicFlowState}" data-testid="flow-state">${flow.publicFlowState}</span>
        ${flow.publicFlowState === 'open' || flow.publicFlowState === 'running'
          ? html`<button type="button" class="danger small" data-testid="flow-cancel" @click=${() => void this.cancel(flow)}>Cancel flow…</button>`
          : nothing}
      </div>
      ${this.errorBox('flow-cancel')}
      <dl class="kv flow-kv">
        <dt>Kind</dt><dd>${flow.flowKind}</dd>
        <dt>Namespace</dt><dd>${flow.namespace}</dd>
        <dt>Created</dt><dd>${formatTime(flow.createdAtMs)} (${formatUntil(flow.createdAtMs, this.store.now)})</dd>
        ${flow.terminalAtMs !== null ? html`<dt>Ended</dt><dd>${formatTime(flow.terminalAtMs)}</dd>` : nothing}
        <dt>Graph revision</dt><dd data-testid="flow-revision">${flow.graphRevision}</dd>
        <dt>Members</dt>
        <dd data-testid="flow-counts">${flow.nodeCount} ${counts.length ? html`(${counts.map(([s, n], i) => html`${i ? ', ' : ''}<span class="chip state-${s}">${n} ${s.replaceAll('_', ' ')}</span>`)})` : nothing}</dd>
        ${flow.cancelReason ? html`<dt>Cancelled</dt><dd class="wrap">${flow.cancellationPolicy}: ${flow.cancelReason || 'no reason given'}</dd>` : nothing}
      </dl>
      ${this.legend()}
      ${dagTemplate(flow, {
        label: this.label,
        href: (id) => this.store.router.href(withParams(this.store.route, { exec: id })),
        open: (id) => this.store.router.go(withParams(this.store.route, { exec: id })),
        selectEdge: (edgeId) => {
          this.selectedEdge = flow.edges.find((e) => e.edgeId === edgeId) ?? null;
          this.store.invalidate();
        },
        selectedEdge: this.selectedEdge?.edgeId ?? null,
      }, layoutFn)}
      ${this.edgeDetails(flow)}
      ${groupsTemplate(flow, this.label)}
      <ff-dt-flow-forms .store=${this.store} .flow=${flow} .label=${this.label}></ff-dt-flow-forms>
    </section>`;
  }

  private legend(): unknown {
    return html`<p class="dag-legend small muted">Edges:
      <span class="legend edge-pending">pending</span> <span class="legend edge-satisfied">satisfied</span>
      <span class="legend edge-failed">failed</span> <span class="legend edge-skipped">skipped</span>
      <span class="legend edge-staged">staged, not applied</span> · click a box for its execution, an arrow for its edge</p>`;
  }

  private edgeDetails(flow: FlowDescription): unknown {
    const e = this.selectedEdge;
    if (!e) return nothing;
    const look = edgeLook(e);
    return html`<div class="card edge-details" data-testid="edge-details" data-edge-id=${e.edgeId}>
      <div class="card-head">
        <h3>${this.label(e.upstreamExecutionId)} → ${this.label(e.downstreamExecutionId)}</h3>
        <span class="chip edge-chip edge-${look}" data-testid="edge-state">${look}</span>
        <button type="button" class="ghost small" aria-label="Close the edge details" @click=${() => (this.selectedEdge = null)}>✕</button>
      </div>
      <dl class="kv">
        <dt>Edge id</dt><dd class="mono wrap">${e.edgeId}</dd>
        <dt>Kind</dt><dd>${e.dependencyKind}</dd>
        <dt>Staged</dt><dd>${formatTime(e.stagedAtMs)}</dd>
        <dt>Applied</dt><dd>${e.appliedAtMs === null ? 'not yet: it gates nothing until applied' : formatTime(e.appliedAtMs)}</dd>
        <dt>Resolved</dt><dd>${e.resolvedAtMs === null ? 'not yet' : formatTime(e.resolvedAtMs)}</dd>
        ${e.dataPassingRef ? html`<dt>Data ref</dt><dd class="mono wrap">${e.dataPassingRef}</dd>` : nothing}
      </dl>
      ${e.appliedAtMs === null
        ? html`<button type="button" class="primary small" data-testid="edge-apply" @click=${() => void this.apply(flow, e)}>Apply this edge</button>${this.errorBox('flow-edge-apply')}`
        : nothing}
    </div>`;
  }

  private async apply(flow: FlowDescription, edge: EdgeInfo): Promise<void> {
    const r = await this.store.act('flow-edge-apply', 'Applying the edge', () => this.store.backend.applyDependencyToChild({ flowId: flow.flowId, edgeId: edge.edgeId }));
    if (r) this.store.toast(`Edge applied: ${this.label(edge.downstreamExecutionId)} now waits on ${this.label(edge.upstreamExecutionId)}`, 'ok');
  }

  private async cancel(flow: FlowDescription): Promise<void> {
    const ok = await this.store.confirm({
      title: 'Cancel this flow?',
      body: `Every member of flow ${flow.flowId} that has not ended is cancelled, running ones included. This cannot be undone.`,
      confirmLabel: 'Cancel the flow',
      danger: true,
    });
    if (!ok) return;
    const r = await this.store.act('flow-cancel', 'Cancelling the flow', () => this.store.backend.cancelFlow({ flowId: flow.flowId, reason: 'cancelled from the devtools' }));
    if (r) this.store.toast('Flow cancelled', 'warn');
  }
}
defineElement('ff-dt-flow', DtFlowView);
