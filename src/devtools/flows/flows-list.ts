/**
 * The flows list (`#/flows`): a page of flows at a time through listFlows'
 * cursors (oldest first), of one namespace or all, each with its state, member and edge counts and
 * members by state, linking to its own page; and a form that creates a
 * flow and opens it.
 */
import { html, nothing, type PropertyDeclarations } from 'lit';
import type { FlowDescription, FlowSummary } from '../../api/flows.js';
import { DtElement } from '../base.js';
import { defineElement } from '../define.js';
import { formatTime } from '../format.js';

/** Flows per page; each row also reads its members by state. */
export const FLOWS_PAGE = 20;

export class DtFlowsList extends DtElement {
  static override properties: PropertyDeclarations = {
    ...DtElement.properties,
    flows: { state: true },
    nextCursor: { state: true },
  };
  declare flows: FlowSummary[] | null;
  declare nextCursor: string | null;
  /** The cursor of each page shown so far; the last one is the current page's (undefined: the first page). */
  private cursors: (string | undefined)[] = [undefined];
  private counts = new Map<string, FlowDescription['countsByState']>();
  private shownNamespace = '';

  constructor() {
    super();
    this.flows = null;
    this.nextCursor = null;
  }

  override async load(): Promise<void> {
    const cursor = this.cursors[this.cursors.length - 1];
    const namespace = this.namespace();
    if (namespace !== this.shownNamespace) {
      // Cursors belong to one listing: a new filter starts again from its first page.
      this.shownNamespace = namespace;
      this.cursors = [undefined];
      return this.load();
    }
    const page = await this.store.backend.listFlows({ limit: FLOWS_PAGE, ...(cursor === undefined ? {} : { cursor }), ...(namespace ? { namespace } : {}) });
    const described = await Promise.all(page.flows.map((f) => this.store.backend.describeFlow({ flowId: f.flowId })));
    this.counts = new Map(described.filter((d): d is FlowDescription => d !== null).map((d) => [d.flowId, d.countsByState]));
    if (cursor !== this.cursors[this.cursors.length - 1]) return;
    this.flows = page.flows;
    this.nextCursor = page.nextCursor;
  }

  override clear(): void {
    this.cursors = [undefined];
    this.flows = null;
    this.nextCursor = null;
  }

  override render(): unknown {
    const page = this.cursors.length;
    return html`<section class="panel panel-flows" data-testid="panel-flows">
      <div class="panel-head">
        <h2>Flows</h2>
        <p class="blurb">A flow is a set of executions with dependency edges between them: a downstream member waits until its edge group is satisfied. Open one to see its graph.</p>
      </div>
      ${this.createForm()}
      <form class="filters" role="search" aria-label="Filter flows" @submit=${(ev: Event) => this.filter(ev)}>
        <label class="field"><span class="field-label">Namespace</span>
          <input data-testid="flows-namespace" name="ns" .value=${this.namespace()} placeholder="all" autocomplete="off" /></label>
        <button type="submit" class="small" data-testid="flows-filter">Filter</button>
      </form>
      ${this.flows === null
        ? html`<p class="muted">Loading…</p>`
        : this.flows.length === 0 && page === 1
          ? html`<p class="empty" data-testid="flows-empty">No flows yet. Create one above, or load the sample data (it has one).</p>`
          : html`<div class="table-wrap"><table data-testid="flows-table">
              <thead><tr><th scope="col">Flow</th><th scope="col">Kind</th><th scope="col">Namespace</th><th scope="col">State</th><th scope="col">Members</th><th scope="col">Edges</th><th scope="col">Created</th></tr></thead>
              <tbody>${this.flows.map((f) => this.row(f))}</tbody>
            </table></div>`}
      <div class="row pager">
        <button type="button" class="small" data-testid="flows-prev" ?disabled=${page === 1} @click=${() => this.turn(-1)}>← Previous page</button>
        <span class="muted small" data-testid="flows-page">Page ${page}</span>
        <button type="button" class="small" data-testid="flows-next" ?disabled=${this.nextCursor === null} @click=${() => this.turn(1)}>Next page →</button>
      </div>
    </section>`;
  }

  private row(f: FlowSummary): unknown {
    const counts = Object.entries(this.counts.get(f.flowId) ?? {});
    return html`<tr data-testid="flow-row" data-flow-id=${f.flowId}>
      <td><a class="mono wrap" data-testid="flow-link" href=${this.store.router.href({ view: 'flows', id: f.flowId, params: {} })}>${f.flowId}</a></td>
      <td>${f.flowKind}</td>
      <td>${f.namespace}</td>
      <td><span class="chip flow-state-${f.publicFlowState}" data-testid="flow-row-state">${f.publicFlowState}</span></td>
      <td data-testid="flow-row-members">${f.nodeCount}${counts.length
          ? html` <span class="muted small">(${counts.map(([s, n]) => `${n} ${s.replaceAll('_', ' ')}`).join(', ')})</span>`
          : nothing}</td>
      <td>${f.edgeCount}</td>
      <td class="small">${formatTime(f.createdAtMs)}</td>
    </tr>`;
  }

  private createForm(): unknown {
    return html`<form class="form card flow-create" data-testid="flow-create-form" @submit=${(ev: Event) => void this.create(ev)}>
      <h3>New flow</h3>
      <div class="row">
        <label class="field"><span class="field-label">Kind</span><input data-testid="flow-kind" name="kind" value="default" autocomplete="off" /></label>
        <label class="field"><span class="field-label">Namespace</span><input data-testid="flow-namespace" name="namespace" value="default" autocomplete="off" /></label>
        <label class="field"><span class="field-label">Flow id</span><input class="mono" data-testid="flow-id-input" name="flowId" placeholder="minted when empty" autocomplete="off" /></label>
      </div>
      <div class="row actions"><button type="submit" class="primary" data-testid="flow-create">Create flow</button></div>
      ${this.errorBox('flow-create')}
    </form>`;
  }

  private async create(ev: Event): Promise<void> {
    ev.preventDefault();
    const data = new FormData(ev.currentTarget as HTMLFormElement);
    const text = (k: string): string => String(data.get(k) ?? '').trim();
    const flowId = text('flowId');
    const r = await this.store.act('flow-create', 'Creating the flow', () =>
      this.store.backend.createFlow({ flowKind: text('kind'), namespace: text('namespace'), ...(flowId ? { flowId } : {}) }),
    );
    if (!r) return;
    this.store.toast(r.kind === 'created' ? 'Flow created: add its members and edges' : 'That flow already exists', r.kind === 'created' ? 'ok' : 'info');
    this.store.router.go({ view: 'flows', id: r.flowId, params: {} });
  }

  /** The namespace filter lives in the route (`#/flows?ns=…`), so a filtered list has a link. */
  private namespace(): string {
    return this.store.route.params['ns'] ?? '';
  }

  private filter(ev: Event): void {
    ev.preventDefault();
    const ns = String(new FormData(ev.currentTarget as HTMLFormElement).get('ns') ?? '').trim();
    this.store.router.go({ view: 'flows', id: null, params: ns ? { ns } : {} });
    this.flows = null;
  }

  private turn(step: 1 | -1): void {
    if (step === 1 && this.nextCursor !== null) this.cursors = [...this.cursors, this.nextCursor];
    else if (step === -1 && this.cursors.length > 1) this.cursors = this.cursors.slice(0, -1);
    this.flows = null;
    this.store.invalidate();
  }
}
defineElement('ff-dt-flows', DtFlowsList);
