/**
 * `<ff-dt-why-waiting>`: one plain sentence saying why an execution is
 * where it is, from the engine's `explainExecution`. Upstream executions it
 * waits on are links that open them in the drawer.
 */
import { html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import type { ExecutionExplanation } from '../../api/reads.js';
import { DtElement } from '../base.js';
import { defineElement } from '../define.js';
import { formatTime, formatUntil, shortId } from '../format.js';
import { withParams } from '../router.js';

/** Reasons that are no cause for concern, drawn in a calm tone; the others read as "stuck". */
const CALM = new Set(['running', 'completed', 'delayed', 'retry_backoff', 'waiting_for_worker']);

export class DtWhyWaiting extends DtElement {
  static override properties: PropertyDeclarations = { executionId: {}, explanation: { state: true } };
  declare executionId: string;
  declare explanation: ExecutionExplanation | null | undefined;

  constructor() {
    super();
    this.executionId = '';
    this.explanation = undefined;
  }

  override async load(): Promise<void> {
    if (!this.executionId) return;
    const id = this.executionId;
    const explanation = await this.store.backend.explainExecution({ executionId: id });
    if (id === this.executionId) this.explanation = explanation;
  }

  override clear(): void {
    this.explanation = undefined;
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    super.willUpdate(changed);
    if (changed.has('executionId') && changed.get('executionId') !== undefined) {
      this.explanation = undefined;
      this.store?.invalidate();
    }
  }

  override render(): unknown {
    const x = this.explanation;
    if (x === undefined) return html`<p class="why-waiting muted" data-testid="why-waiting" data-reason="">Looking into it…</p>`;
    if (x === null) return html`<p class="why-waiting muted" data-testid="why-waiting" data-reason="missing">No such execution.</p>`;
    const tone = CALM.has(x.reason) ? 'calm' : ['failed', 'cancelled', 'expired', 'skipped'].includes(x.reason) ? 'ended' : 'stuck';
    return html`<div class="why-waiting why-${tone}" data-testid="why-waiting" data-reason=${x.reason} role="status">
      <p class="why-sentence" data-testid="why-waiting-sentence">${x.sentence}</p>
      ${this.factsTemplate(x)}
    </div>`;
  }

  /** The facts a reader acts on: links to upstreams, the local time of what it waits for. */
  private factsTemplate(x: ExecutionExplanation): TemplateResult | typeof nothing {
    const d = x.details;
    const parts: TemplateResult[] = [];
    if (d.upstreams && d.upstreams.length > 0) {
      parts.push(html`<span>Upstreams:
        ${d.upstreams.map(
          (u) => html`<a class="mono why-upstream" data-testid="why-upstream" data-edge-state=${u.edgeState} title=${u.executionId} href=${this.store.router.href(withParams(this.store.route, { exec: u.executionId }))}
              >${shortId(u.executionId)}</a
            ><span class="chip edge-${u.edgeState}">${u.edgeState}${u.publicState ? ` · ${u.publicState}` : ''}</span> `,
        )}</span>`);
    }
    if (d.untilMs !== undefined) parts.push(html`<span>Until <time datetime=${new Date(d.untilMs).toISOString()}>${formatTime(d.untilMs)}</time> (${formatUntil(d.untilMs, this.store.now)})</span>`);
    if (d.leaseExpiresAtMs !== undefined && x.reason === 'running') parts.push(html`<span>Lease ends ${formatUntil(d.leaseExpiresAtMs, this.store.now)}</span>`);
    if (d.missingCapabilities && d.missingCapabilities.length > 0) parts.push(html`<span>Missing: ${d.missingCapabilities.map((c) => html`<code class="chip">${c}</code> `)}</span>`);
    if (parts.length === 0) return nothing;
    return html`<p class="why-facts small">${parts}</p>`;
  }
}
defineElement('ff-dt-why-waiting', DtWhyWaiting);
