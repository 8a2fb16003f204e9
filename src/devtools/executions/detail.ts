/**
 * The execution drawer, shown while the route has `?exec=<id>`: state, why
 * it waits, the facts and labelled state vector, the attempts, the history,
 * then the operator controls, the suspension and the stream. Close (or
 * Escape, handled by the shell) drops `exec` from the route. Cancel asks
 * first; replay needs no confirmation, as it only restarts an ended run.
 */
import { html, nothing, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import type { ExecutionDescription } from '../../api/reads.js';
import { DtElement } from '../base.js';
import { defineElement } from '../define.js';
import { shortId } from '../format.js';
import { withParams } from '../router.js';
import type { View } from '../store.js';
import { ActionResults } from '../ui/action-results.js';
import { attemptsTemplate, factsTemplate, vectorTemplate } from './detail-parts.js';
import './why-waiting.js';
import './history.js';
import './operator-controls.js';
import './suspension-view.js';
import './stream-view.js';

const SCOPE = 'details-lifecycle';

export class DtExecutionDetail extends DtElement {
  static override properties: PropertyDeclarations = {
    executionId: {},
    description: { state: true },
    missing: { state: true },
  };
  declare executionId: string;
  declare description: ExecutionDescription | null;
  declare missing: boolean;
  private readonly results = new ActionResults(this);

  constructor() {
    super();
    this.executionId = '';
    this.description = null;
    this.missing = false;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has('executionId') && changed.get('executionId') !== undefined) {
      // Another execution: nothing of the previous one may show, not even for one frame.
      this.description = null;
      this.missing = false;
      this.results.clear([SCOPE]);
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    // Opening an execution moves keyboard focus into the drawer, so Tab continues there, not behind it.
    if (changed.has('executionId') && this.executionId) this.querySelector<HTMLElement>('[data-testid="details-close"]')?.focus({ preventScroll: true });
  }

  override async load(_view: View): Promise<void> {
    const executionId = this.executionId;
    if (!executionId) return;
    const d = await this.store.backend.describeExecution({ executionId }).catch((err: unknown) => {
      // A malformed id in a hand-edited link is "no such execution", not a page-wide failure.
      if ((err as { code?: unknown }).code === 'validation.invalid_input') return null;
      throw err;
    });
    if (executionId !== this.executionId) return;
    this.description = d;
    this.missing = d === null;
  }

  override clear(): void {
    this.description = null;
  }

  override render(): unknown {
    const d = this.description;
    return html`<aside class="drawer card details" data-testid="exec-details" aria-label="Execution details" data-execution-id=${this.executionId}>
      <header class="card-head drawer-head">
        <h3>Execution <code class="mono" data-testid="details-id">${d?.executionId ?? this.executionId}</code></h3>
        ${d ? html`<span class="chip state-${d.publicState}" data-testid="details-state">${d.publicState}</span>` : nothing}
        <span class="spacer">
          ${d ? this.lifecycleButton(d) : nothing}
          <button type="button" class="ghost small" data-testid="details-close" aria-label="Close details" title="Close (Escape)" @click=${this.close}>✕</button>
        </span>
      </header>
      ${this.results.line(SCOPE, 'lifecycle-result')} ${this.errorBox(SCOPE)} ${this.missing ? this.missingTemplate() : d ? this.bodyTemplate(d) : html`<p class="muted">Loading…</p>`}
    </aside>`;
  }

  private bodyTemplate(d: ExecutionDescription): TemplateResult {
    const store = this.store;
    const id = d.executionId;
    return html`<ff-dt-why-waiting .store=${store} .executionId=${id}></ff-dt-why-waiting>
      <div data-testid="details-main">
        ${factsTemplate(d, store.now, store.router)} ${vectorTemplate(d)}
        <h4>Attempts</h4>
        ${attemptsTemplate(d, store.now)}
      </div>
      <ff-dt-execution-history .store=${store} .executionId=${id}></ff-dt-execution-history>
      <ff-dt-operator-controls .store=${store} .description=${d}></ff-dt-operator-controls>
      <ff-dt-suspension .store=${store} .description=${d}></ff-dt-suspension>
      <ff-dt-stream .store=${store} .description=${d}></ff-dt-stream>`;
  }

  private missingTemplate(): TemplateResult {
    return html`<p class="empty" data-testid="details-missing">
      No execution <code class="mono">${shortId(this.executionId)}</code> in this database: the link may come from another database, or retention removed it.
    </p>`;
  }

  private lifecycleButton(d: ExecutionDescription): TemplateResult {
    return d.stateVector.lifecyclePhase === 'terminal'
      ? html`<button type="button" class="small" data-testid="details-replay" @click=${() => void this.replay(d.executionId)}>Replay</button>`
      : html`<button type="button" class="small danger" data-testid="details-cancel" @click=${() => void this.cancel(d)}>Cancel…</button>`;
  }

  private readonly close = (): void => {
    this.store.router.go(withParams(this.store.route, { exec: null }));
  };

  private async cancel(d: ExecutionDescription): Promise<void> {
    const ok = await this.store.confirm({
      title: 'Cancel this execution?',
      body: `Execution ${shortId(d.executionId)} (${d.publicState}, lane ${d.laneId}) ends cancelled; a worker holding its lease loses it at its next call. Replay can run it again later.`,
      confirmLabel: 'Cancel execution',
      danger: true,
    });
    if (!ok) return;
    await this.results.run(
      SCOPE,
      'Cancelling the execution',
      () => this.store.backend.cancelExecution({ executionId: d.executionId, reason: 'cancelled from the devtools' }),
      (r) => ({ text: r.kind === 'cancelled' ? 'Cancelled (its lease, if any, is revoked).' : `Nothing to cancel: ${r.kind.replaceAll('_', ' ')}.`, kind: r.kind }),
    );
  }

  private async replay(executionId: string): Promise<void> {
    await this.results.run(
      SCOPE,
      'Replaying the execution',
      () => this.store.backend.replayExecution({ executionId }),
      (r) => ({ text: `Replayed: now ${r.publicState.replaceAll('_', ' ')}.`, kind: r.kind }),
    );
  }
}
defineElement('ff-dt-execution-detail', DtExecutionDetail);
