/**
 * The base of every devtools component. Components render into their own
 * element (no shadow root of their own): the one shadow root of
 * `<ff-devtools>` holds the stylesheet, so the host page's CSS never
 * reaches in and ours never leaks out, while a component stays plain DOM
 * inside it. A component that defines `load()` is refreshed by the store.
 */
import { LitElement, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import type { DevtoolsStore, View } from './store.js';
import { errorTemplate } from './ui/error-template.js';

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
    return errorTemplate('inline', { ...entry, onDismiss: () => this.store.clearError(scope) });
  }

  private mountOnStore(): void {
    if (!this.isConnected || !this.store || this.mounted === this.store) return;
    this.mounted?.unmount(this);
    this.mounted = this.store;
    // Every component is refreshed, so an action's error (kept on the store) shows beside its form at once.
    this.store.mount(this);
  }
}
