/**
 * The parts of the shell every view shares: page-wide errors (those with no
 * form to sit beside), toasts in a reserved strip so they never cover
 * content, and the confirm dialog destructive actions go through.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { DevtoolsStore } from '../store.js';
import { errorTemplate } from './error-template.js';

export function noticesTemplate(store: DevtoolsStore): TemplateResult {
  return html`<div class="errors" data-testid="error-banner" role="region" aria-label="Errors" ?hidden=${store.notices.length === 0}>
    ${store.notices.map((n) => errorTemplate('banner', { ...n, onDismiss: () => store.dismissNotice(n.id) }))}
  </div>`;
}

export function toastsTemplate(store: DevtoolsStore): TemplateResult {
  return html`<div class="toasts" aria-live="polite">
    ${store.toasts.map((t) => html`<div class="toast toast-${t.kind}" role="status" data-testid="toast" data-kind=${t.kind}>${t.message}</div>`)}
  </div>`;
}

export function confirmTemplate(store: DevtoolsStore): TemplateResult | typeof nothing {
  const c = store.confirmation;
  if (!c) return nothing;
  return html`<div class="confirm-backdrop">
    <div class="confirm card" role="alertdialog" aria-modal="true" aria-labelledby="ff-confirm-title" aria-describedby="ff-confirm-body" data-testid="confirm-dialog"
      @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && (e.stopPropagation(), c.resolve(false))}>
      <h3 id="ff-confirm-title">${c.title}</h3>
      <p id="ff-confirm-body">${c.body}</p>
      <div class="row">
        ${c.extra ? html`<button type="button" class="secondary" data-testid="confirm-extra" @click=${() => void c.extra!.run()}>${c.extra.label}</button>` : nothing}
        <button type="button" class="secondary" data-testid="confirm-cancel" @click=${() => c.resolve(false)}>Cancel</button>
        <button type="button" class=${c.danger ? 'danger' : ''} data-testid="confirm-ok" autofocus @click=${() => c.resolve(true)}>${c.confirmLabel}</button>
      </div>
    </div>
  </div>`;
}
