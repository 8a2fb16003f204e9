/**
 * One failed action, drawn the same wherever it shows: beside the form it
 * came from (`inline-error`) or in the page-wide banner (`error-entry`).
 * Its EngineError code, what was being done, the message, the validation
 * issues when there are several, and a dismiss button.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { PlainError } from '../store.js';

export interface ErrorView {
  action: string;
  error: PlainError;
  /** How many times in a row the same error came (the banner folds repeats). */
  repeat?: number;
  onDismiss: () => void;
}

export function errorTemplate(where: 'inline' | 'banner', e: ErrorView): TemplateResult {
  const issues = Array.isArray(e.error.details['issues']) ? (e.error.details['issues'] as { path?: unknown; message?: unknown }[]) : [];
  const cls = where === 'inline' ? 'inline-error' : 'error-entry';
  return html`<div class=${cls} role="alert" data-testid=${cls} data-code=${e.error.code}>
    <span class="error-code" data-testid="error-code">${e.error.code}</span>
    <div class="error-body">
      <strong>${e.action} failed</strong>
      ${(e.repeat ?? 1) > 1 ? html`<span class="error-repeat">×${e.repeat}</span>` : nothing}
      <p class="error-message" data-testid="error-message">${e.error.message}</p>
      ${issues.length > 1 ? html`<ul class="error-issues">${issues.slice(0, 6).map((i) => html`<li>${String(i.path ?? '')}: ${String(i.message ?? '')}</li>`)}</ul>` : nothing}
    </div>
    <button type="button" class="ghost error-dismiss" data-testid="error-dismiss" aria-label="Dismiss this error" @click=${e.onDismiss}>✕</button>
  </div>`;
}
