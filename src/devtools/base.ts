/**
 * The base of every devtools component. Components render into their own
 * element (no shadow root of their own): the one shadow root of
 * `<ff-devtools>` holds the stylesheet, so the host page's CSS never
 * reaches in and ours never leaks out, while a component stays plain DOM
 * inside it. A component that defines `load()` is refreshed by the store.
 */
import { LitElement, html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import type { DevtoolsStore, View } from './store.js';

export abstract class DtElement extends LitElement {
  static override properties: PropertyDeclarations = { store: { attribute: false } };
  declare store: DevtoolsStore;
  private mounted: DevtoolsStore | null = null;

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.mountOnStore();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.mounted?.unmount(this);
    this.mounted = null;
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('store')) this.mountOnStore();
  }

  /** Re-read what this component shows; called on every refresh while it is mounted. */
  load?(view: View): Promise<void> | void;
  /** The database was replaced (reset or import). */
  clear?(): void;

  /** The error of the last failed action under `scope`, drawn beside the form that caused it. */
  protected errorBox(scope: string): TemplateResult | typeof nothing {
    const entry = this.store.errorFor(scope);
    if (!entry) return nothing;
    const issues = Array.isArray(entry.error.details['issues']) ? (entry.error.details['issues'] as { path?: unknown; message?: unknown }[]) : [];
    return html`<div class="inline-error" role="alert" data-testid="inline-error" data-code=${entry.error.code}>
      <span class="error-code" data-testid="error-code">${entry.error.code}</span>
      <div class="error-body">
        <strong>${entry.action} failed</strong>
        <p class="error-message" data-testid="error-message">${entry.error.message}</p>
        ${issues.length > 1 ? html`<ul class="error-issues">${issues.slice(0, 6).map((i) => html`<li>${String(i.path ?? '')}: ${String(i.message ?? '')}</li>`)}</ul>` : nothing}
      </div>
      <button type="button" class="ghost error-dismiss" data-testid="error-dismiss" aria-label="Dismiss this error" @click=${() => this.store.clearError(scope)}>✕</button>
    </div>`;
  }

  private mountOnStore(): void {
    if (!this.isConnected || !this.store || this.mounted === this.store) return;
    this.mounted?.unmount(this);
    this.mounted = this.store;
    // Every component is refreshed, so an action's error (kept on the store) shows beside its form at once.
    this.store.mount(this);
  }
}
