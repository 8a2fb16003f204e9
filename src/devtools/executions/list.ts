/**
 * The executions list (`#/executions`): search by id, filter by lane, state
 * and namespace, page through listExecutions' cursors. The filters and the
 * page live in the route (`?q=…&lane=…&state=…&ns=…&after=<cursor>`), so a
 * filtered page has a link and the back button steps back through filters
 * and pages. Each row links to its execution's drawer.
 */
import { html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import type { ExecutionInfo, ListExecutionsInput } from '../../api/reads.js';
import { PUBLIC_STATES } from '../../api/states.js';
import { DtElement } from '../base.js';
import { defineElement } from '../define.js';
import { formatTime, shortId } from '../format.js';
import { withParams, type Route } from '../router.js';
import { toPlainError, type PlainError, type View } from '../store.js';

/** Rows per page. */
export const PAGE_SIZE = 25;
/** The route parameters the list reads, by listExecutions input. */
const FILTERS = { q: 'search', lane: 'laneId', state: 'publicState', ns: 'namespace' } as const;

export class DtExecutionsList extends DtElement {
  static override properties: PropertyDeclarations = {
    rows: { state: true },
    nextCursor: { state: true },
    lanes: { state: true },
    loadError: { state: true },
  };
  declare rows: ExecutionInfo[] | null;
  declare nextCursor: string | null;
  declare lanes: string[];
  declare loadError: PlainError | null;
  /** The cursor each page was reached from, so "Previous page" knows where to go (cursors only run forward). */
  private readonly previous = new Map<string, string | null>();

  constructor() {
    super();
    this.rows = null;
    this.nextCursor = null;
    this.lanes = [];
    this.loadError = null;
  }

  private unsubscribe: (() => void) | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    // A new route (a filter, a page, the back button) reads its page now rather than at the next refresh tick.
    this.unsubscribe = this.store?.router.subscribe(() => this.store.invalidate()) ?? null;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  override async load(_view: View): Promise<void> {
    const route = this.store.route;
    const input: ListExecutionsInput = { limit: PAGE_SIZE };
    for (const [param, key] of Object.entries(FILTERS)) {
      const value = route.params[param];
      if (value !== undefined) (input as Record<string, unknown>)[key] = value;
    }
    if (route.params['after']) input.cursor = route.params['after'];
    const [lanes, page] = await Promise.all([
      this.store.backend.listLanes(),
      // A bad filter from a hand-edited link is shown on the list, not as a page-wide error.
      this.store.backend.listExecutions(input).catch((err: unknown) => toPlainError(err)),
    ]);
    if (this.store.route.view !== 'executions') return;
    this.lanes = lanes.lanes.map((l) => l.laneId);
    if ('executions' in page) {
      this.rows = page.executions;
      this.nextCursor = page.nextCursor;
      this.loadError = null;
    } else {
      this.rows = [];
      this.nextCursor = null;
      this.loadError = page;
    }
  }

  override clear(): void {
    this.previous.clear();
    this.rows = null;
  }

  override render(): unknown {
    const route = this.store.route;
    const p = route.params;
    return html`<section class="panel exec-list" data-testid="panel-executions-list">
      <header class="panel-head">
        <h2>Executions</h2>
        <p class="blurb">Every execution, oldest first. Search by a piece of its id; the filters are part of this page's link.</p>
      </header>
      <form class="row list-filters" data-testid="list-filters" role="search" @submit=${this.apply} @change=${this.onSelectChange}>
        <label class="field"><span class="field-label">Search id</span><input data-testid="list-search" class="mono" .value=${p['q'] ?? ''} placeholder="e.g. 3f2a9c01" autocomplete="off" /></label>
        <label class="field"
          ><span class="field-label">Lane</span
          ><select data-testid="list-lane">
            <option value="" ?selected=${!p['lane']}>any lane</option>
            ${[...new Set([...this.lanes, ...(p['lane'] ? [p['lane']] : [])])].map((l) => html`<option value=${l} ?selected=${p['lane'] === l}>${l}</option>`)}
          </select></label
        >
        <label class="field"
          ><span class="field-label">State</span
          ><select data-testid="list-state">
            <option value="" ?selected=${!p['state']}>any state</option>
            ${PUBLIC_STATES.map((s) => html`<option value=${s} ?selected=${p['state'] === s}>${s.replaceAll('_', ' ')}</option>`)}
          </select></label
        >
        <label class="field"><span class="field-label">Namespace</span><input data-testid="list-ns" class="mono" .value=${p['ns'] ?? ''} placeholder="any" autocomplete="off" /></label>
        <div class="list-filter-actions">
          <button type="submit" class="primary" data-testid="list-apply">Search</button>
          ${Object.keys(FILTERS).some((k) => p[k]) ? html`<button type="button" data-testid="list-clear" @click=${this.clearFilters}>Clear filters</button>` : nothing}
        </div>
      </form>
      ${this.loadError ? this.loadErrorTemplate(this.loadError) : nothing} ${this.tableTemplate(route)}
    </section>`;
  }

  private tableTemplate(route: Route): TemplateResult {
    const rows = this.rows;
    if (rows === null) return html`<p class="muted">Loading…</p>`;
    const after = route.params['after'];
    const pager = html`<nav class="pager" aria-label="Pages">
      <button type="button" data-testid="list-prev" ?disabled=${!after} @click=${this.prevPage}>Previous page</button>
      <span class="muted" data-testid="list-page-info">${rows.length === 0 ? 'no rows' : `${rows.length} row${rows.length === 1 ? '' : 's'}${after ? ' (a later page)' : ''}`}</span>
      <button type="button" data-testid="list-next" ?disabled=${this.nextCursor === null} @click=${this.nextPage}>Next page</button>
    </nav>`;
    if (rows.length === 0 && !this.loadError) {
      const filtered = Object.keys(FILTERS).some((k) => route.params[k]);
      return html`<p class="empty" data-testid="list-empty">${filtered ? 'No execution matches these filters.' : after ? 'No more executions.' : 'No executions yet.'}</p>
        ${after ? pager : nothing}`;
    }
    return html`<div class="table-wrap">
        <table class="exec-table" data-testid="list-table">
          <thead>
            <tr>
              <th scope="col">Execution</th>
              <th scope="col">State</th>
              <th scope="col">Lane</th>
              <th scope="col">Namespace</th>
              <th scope="col">Attempts</th>
              <th scope="col">Priority</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            ${rows.map((r) => this.rowTemplate(r, route))}
          </tbody>
        </table>
      </div>
      ${pager}`;
  }

  private rowTemplate(info: ExecutionInfo, route: Route): TemplateResult {
    const selected = route.params['exec'] === info.executionId;
    return html`<tr data-testid="list-row" data-execution-id=${info.executionId} class=${selected ? 'selected' : ''}>
      <td>
        <a class="mono" data-testid="list-row-link" href=${this.store.router.href(withParams(route, { exec: info.executionId }))} title=${info.executionId} aria-current=${selected ? 'true' : 'false'}
          >${shortId(info.executionId)}</a
        >
      </td>
      <td><span class="chip state-${info.publicState}" data-testid="list-row-state">${info.publicState.replaceAll('_', ' ')}</span></td>
      <td class="mono">${info.laneId}</td>
      <td class="mono">${info.namespace}</td>
      <td>${info.attemptCount}</td>
      <td>${info.priority}</td>
      <td>${formatTime(info.createdAtMs)}</td>
    </tr>`;
  }

  private loadErrorTemplate(error: PlainError): TemplateResult {
    return html`<div class="inline-error" role="alert" data-testid="inline-error" data-code=${error.code}>
      <span class="error-code" data-testid="error-code">${error.code}</span>
      <div class="error-body"><strong>Listing executions failed</strong><p class="error-message" data-testid="error-message">${error.message}</p></div>
    </div>`;
  }

  private go(route: Route): void {
    this.store.router.go(route);
  }

  private field(testid: string): string {
    return (this.querySelector<HTMLInputElement | HTMLSelectElement>(`[data-testid="${testid}"]`)?.value ?? '').trim();
  }

  /** New filters start again at the first page; `exec` (an open drawer) stays. */
  private filtered(): Route {
    return withParams(this.store.route, { q: this.field('list-search'), lane: this.field('list-lane'), state: this.field('list-state'), ns: this.field('list-ns'), after: null });
  }

  private readonly apply = (ev: Event): void => {
    ev.preventDefault();
    this.go(this.filtered());
  };

  /** The selects act at once; the text boxes wait for Enter or Search. */
  private readonly onSelectChange = (ev: Event): void => {
    if (ev.target instanceof HTMLSelectElement) this.go(this.filtered());
  };

  private readonly clearFilters = (): void => {
    this.go(withParams(this.store.route, { q: null, lane: null, state: null, ns: null, after: null }));
  };

  private readonly nextPage = (): void => {
    if (this.nextCursor === null) return;
    this.previous.set(this.nextCursor, this.store.route.params['after'] ?? null);
    this.go(withParams(this.store.route, { after: this.nextCursor }));
  };

  /** Back to the page this one was reached from; from a page opened by a link, back to the first. */
  private readonly prevPage = (): void => {
    const after = this.store.route.params['after'];
    if (!after) return;
    this.go(withParams(this.store.route, { after: this.previous.get(after) ?? null }));
  };
}
defineElement('ff-dt-executions-list', DtExecutionsList);
