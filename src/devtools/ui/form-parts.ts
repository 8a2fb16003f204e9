/**
 * Small templates the panels share: a panel
 * with its heading and one-line explanation, and a labelled form field
 * (the label wraps its control, so every input has an accessible name).
 */
import { html, nothing, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';

/** A panel card: heading, one-line explanation, body. `id` names the panel (testid `panel-<id>`). */
export function panel(id: string, title: string, blurb: string, body: unknown): TemplateResult {
  return html`<section class="panel panel-${id}" data-testid="panel-${id}" aria-labelledby="panel-${id}-title">
    <header class="panel-head">
      <h2 id="panel-${id}-title">${title}</h2>
      <p class="blurb">${blurb}</p>
    </header>
    ${body}
  </section>`;
}

export function field(label: string, control: unknown, hint?: string): TemplateResult {
  return html`<label class="field"><span class="field-label">${label}</span>${control}${hint ? html`<span class="field-hint">${hint}</span>` : nothing}</label>`;
}

/** Comma-separated list → trimmed, non-empty items. */
export function splitList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** The trimmed value of the input or select matching `selector` inside `root` ('' when absent). */
export function valueOf(root: ParentNode, selector: string): string {
  return root.querySelector<HTMLInputElement | HTMLSelectElement>(selector)?.value.trim() ?? '';
}

/**
 * A select's options, keyed by value so a refresh keeps the elements (and
 * the person's choice) when the list is unchanged; `selected` (kept by the
 * caller from the select's change event) stays chosen while it is offered.
 */
export function options(list: readonly { value: string; label: string }[], selected: string, placeholder?: string): unknown {
  if (list.length === 0 && placeholder !== undefined) return html`<option value="">${placeholder}</option>`;
  return repeat(
    list,
    (o) => o.value,
    (o) => html`<option value=${o.value} ?selected=${o.value === selected}>${o.label}</option>`,
  );
}
