/**
 * `<ff-devtools>`: every devtools panel as one element. Give it a backend
 * (`element.backend = await createBrowserBackend(...)`) and it shows the
 * clock, budgets, executions, flows, the event timeline and status.
 *
 * It renders into its own shadow root, which holds the whole stylesheet:
 * nothing of the host page's CSS applies inside, and nothing of ours
 * leaks out. Attributes:
 *   layout="page" | "panel"   a full page, or a docked panel (default panel)
 *   routing="hash" | "memory" keep the route in the page URL (links, back
 *                             button) or privately (default memory)
 *   heading="…"               the title in its header
 * Light-DOM children with slot="overview" are shown on the overview, after
 * the executions board (the playground puts its in-page worker there).
 */
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import type { BrowserBackend } from '../client/browser-backend.js';
import { defineElement } from './define.js';
import { VIEWS, withParams, type Route, type RoutingMode, type ViewName } from './router.js';
import { DevtoolsStore, type DevtoolsSettings } from './store.js';
import { basePanelsStyles } from './styles/index.js';
import { confirmTemplate, noticesTemplate, toastsTemplate } from './ui/shell-parts.js';
import './clock/clock-bar.js';
import './status/status-pill.js';
import './status/status-panel.js';
import './budgets/budgets-panel.js';
import './quotas/quotas-panel.js';
import './workers/workers-panel.js';
import './executions/board.js';
import './executions/list.js';
import './executions/detail.js';
import './timeline/timeline-panel.js';
import { startTimelineFeed } from './timeline/timeline-feed.js';
import './flows/flows-list.js';
import './flows/flow-view.js';

const VIEW_LABELS: Record<ViewName, string> = {
  overview: 'Overview',
  executions: 'Executions',
  flows: 'Flows',
  timeline: 'Timeline',
  budgets: 'Budgets & quotas',
  status: 'Status',
};

export class FfDevtools extends LitElement {
  static override styles = basePanelsStyles;
  static override properties = {
    backend: { attribute: false },
    settings: { attribute: false },
    layout: { reflect: true },
    routing: {},
    heading: {},
    description: {},
    route: { state: true },
  };

  declare backend: BrowserBackend | undefined;
  declare settings: DevtoolsSettings;
  declare layout: 'page' | 'panel';
  declare routing: RoutingMode;
  declare heading: string;
  declare description: string;
  declare route: Route;
  /** Set once a backend is given; panels read and act through it. */
  store: DevtoolsStore | null = null;
  private unsubscribers: (() => void)[] = [];
  private focusedConfirmation: unknown = null;

  constructor() {
    super();
    this.settings = {};
    this.layout = 'panel';
    this.routing = 'memory';
    this.heading = 'FlowFabric devtools';
    this.description = '';
    this.route = { view: 'overview', id: null, params: {} };
  }

  override connectedCallback(): void {
    super.connectedCallback();
    addEventListener('keydown', this.onKeydown);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    removeEventListener('keydown', this.onKeydown);
    this.teardown();
  }

  /** Navigate, e.g. `devtools.go('#/executions?exec=…')`. */
  go(route: Route | string): void {
    this.store?.router.go(route);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('backend') || changed.has('routing')) && this.backend && this.store?.backend !== this.backend) this.setup(this.backend);
  }

  override render(): unknown {
    const store = this.store;
    if (!store) return html`<p class="boot" data-testid="devtools-waiting">Waiting for a backend…</p>`;
    const route = this.route;
    return html`<div class="shell" @click=${this.onClick}>
      <header class="top">
        <div class="brand">
          <h1>${this.heading}</h1>
          ${this.description ? html`<p>${this.description}</p>` : nothing}
        </div>
        <ff-dt-status-pill .store=${store}></ff-dt-status-pill>
      </header>
      <div class="clock-slot"><ff-dt-clock .store=${store}></ff-dt-clock></div>
      ${noticesTemplate(store)}
      <nav class="views" aria-label="Views">
        ${VIEWS.map(
          (view) => html`<a href=${store.router.href({ view, id: null, params: {} })} data-testid="nav-${view}" aria-current=${route.view === view ? 'page' : 'false'}>${VIEW_LABELS[view]}</a>`,
        )}
        ${toastsTemplate(store)}
      </nav>
      ${this.layout === 'page'
        ? html`<main class="view" data-view=${route.view}>${this.viewTemplate(store, route)}</main>`
        : // Docked in someone's app, whose page has its own main landmark.
          html`<section class="view" data-view=${route.view} aria-label=${VIEW_LABELS[route.view]}>${this.viewTemplate(store, route)}</section>`}
      ${route.params['exec'] ? html`<ff-dt-execution-detail .store=${store} .executionId=${route.params['exec']}></ff-dt-execution-detail>` : nothing}
      ${confirmTemplate(store)}
    </div>`;
  }

  private viewTemplate(store: DevtoolsStore, route: Route): unknown {
    switch (route.view) {
      case 'overview':
        return html`<div class="grid overview">
          <ff-dt-budgets .store=${store}></ff-dt-budgets>
          <ff-dt-executions-board .store=${store}></ff-dt-executions-board>
          <slot name="overview"></slot>
          <ff-dt-timeline .store=${store}></ff-dt-timeline>
          <ff-dt-quotas .store=${store}></ff-dt-quotas>
          <ff-dt-workers .store=${store}></ff-dt-workers>
          <ff-dt-status .store=${store}></ff-dt-status>
        </div>`;
      case 'executions':
        return html`<ff-dt-executions-list .store=${store}></ff-dt-executions-list>`;
      case 'flows':
        return route.id === null ? html`<ff-dt-flows .store=${store}></ff-dt-flows>` : html`<ff-dt-flow .store=${store} .flowId=${route.id}></ff-dt-flow>`;
      case 'timeline':
        return html`<ff-dt-timeline .store=${store} full></ff-dt-timeline>`;
      case 'budgets':
        return html`<div class="grid"><ff-dt-budgets .store=${store}></ff-dt-budgets><ff-dt-quotas .store=${store}></ff-dt-quotas></div>`;
      case 'status':
        return html`<div class="grid"><ff-dt-status .store=${store}></ff-dt-status><ff-dt-workers .store=${store}></ff-dt-workers></div>`;
    }
  }

  private setup(backend: BrowserBackend): void {
    this.teardown();
    const store = new DevtoolsStore(backend, this.settings, this.routing);
    this.store = store;
    this.route = store.route;
    this.unsubscribers = [store.router.subscribe((route) => (this.route = route)), store.onShellChange(() => this.requestUpdate())];
    // The page's one event subscription, whatever view is open: it feeds the timeline and store.onEvent listeners.
    this.unsubscribers.push(startTimelineFeed(store));
    store.start();
  }

  private teardown(): void {
    for (const u of this.unsubscribers) u();
    this.unsubscribers = [];
    this.store?.stop();
    this.store = null;
  }

  /** In memory routing, in-app links (`#/…`) move the private history instead of the page URL. */
  private readonly onClick = (event: MouseEvent): void => {
    if (!this.store || this.store.router.mode !== 'memory' || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey) return;
    const anchor = event.composedPath().find((n): n is HTMLAnchorElement => n instanceof HTMLAnchorElement);
    const href = anchor?.getAttribute('href');
    if (!href?.startsWith('#/')) return;
    event.preventDefault();
    this.store.router.go(href);
  };

  /** A confirm dialog that opens takes the focus, on Cancel: Enter never destroys by accident. */
  protected override updated(): void {
    const asking = this.store?.confirmation ?? null;
    if (asking && asking !== this.focusedConfirmation) this.renderRoot.querySelector<HTMLElement>('[data-testid="confirm-cancel"]')?.focus();
    this.focusedConfirmation = asking;
  }

  /** Escape answers an open confirm dialog with no; otherwise it closes the execution drawer. */
  private readonly onKeydown = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape' || !this.store) return;
    if (this.store.confirmation) {
      this.store.confirmation.resolve(false);
      return;
    }
    if (this.route.params['exec']) this.store.router.go(withParams(this.route, { exec: null }));
  };
}

defineElement('ff-devtools', FfDevtools);

declare global {
  interface HTMLElementTagNameMap {
    'ff-devtools': FfDevtools;
  }
}
