/**
 * Check an execution's admission under a quota policy, or release its
 * slot. Offers the executions that have not ended. The result line is the
 * last action's: cleared when the next starts, and replaced by the error
 * (beside this form) when it fails.
 */
import { html, type PropertyDeclarations } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { ExecutionInfo } from '../../api/reads.js';
import { DtElement } from '../base.js';
import { defineElement } from '../define.js';
import { formatDuration, shortId } from '../format.js';
import { field, options, valueOf } from '../ui/form-parts.js';

/** Executions offered for admission: ones that have not ended. */
const CANDIDATE_STATES = ['waiting', 'active', 'delayed'] as const;
const CANDIDATES_PER_STATE = 30;
const SCOPE = 'quota-admission';

interface Shown {
  kind: string;
  text: string;
  tone: 'ok' | 'bad' | 'info';
}

export class DtQuotaAdmission extends DtElement {
  static override properties: PropertyDeclarations = {
    policyIds: { attribute: false },
    executions: { state: true },
    result: { state: true },
  };
  declare policyIds: string[];
  declare executions: ExecutionInfo[];
  declare result: Shown | null;
  private policy = '';
  private execution = '';

  constructor() {
    super();
    this.policyIds = [];
    this.executions = [];
    this.result = null;
  }

  override async load(): Promise<void> {
    const lists = await Promise.all(CANDIDATE_STATES.map((s) => this.store.backend.listExecutions({ publicState: s, limit: CANDIDATES_PER_STATE })));
    this.executions = lists.flatMap((l) => l.executions);
  }

  override clear(): void {
    this.executions = [];
    this.result = null;
  }

  override render(): unknown {
    const policies = this.policyIds.map((id) => ({ value: id, label: id }));
    const executions = this.executions.map((e) => ({ value: e.executionId, label: `${shortId(e.executionId)} · ${e.laneId} · ${e.publicState}` }));
    const r = this.result;
    return html`<form class="form admission-form" data-testid="admission-form" @submit=${(ev: Event) => void this.check(ev)}>
      <h3 class="h4">Admission</h3>
      <div class="row">
        ${field('Policy', html`<select data-testid="admission-policy" required @change=${(e: Event) => (this.policy = (e.target as HTMLSelectElement).value)}>${options(policies, this.policy, 'create a policy first')}</select>`)}
        ${field('Execution', html`<select data-testid="admission-execution" required @change=${(e: Event) => (this.execution = (e.target as HTMLSelectElement).value)}>${options(executions, this.execution, 'create an execution first')}</select>`)}
        ${field('Dimension', html`<input placeholder="optional" data-testid="admission-dimension" class="mono" autocomplete="off" />`)}
      </div>
      <div class="row actions">
        <button type="submit" class="primary" data-testid="admission-check">Check admission</button>
        <button type="button" data-testid="admission-release" @click=${() => void this.release()}>Release</button>
      </div>
      ${this.errorBox(SCOPE)}
      <output class="result ${r ? `tone-${r.tone}` : ''}" data-testid="admission-result" data-kind=${ifDefined(r?.kind)} aria-live="polite">${r?.text ?? ''}</output>
    </form>`;
  }

  private target(): { quotaPolicyId: string; executionId: string } {
    return { quotaPolicyId: valueOf(this, '[data-testid="admission-policy"]'), executionId: valueOf(this, '[data-testid="admission-execution"]') };
  }

  private async check(ev: Event): Promise<void> {
    ev.preventDefault();
    const dimension = valueOf(this, '[data-testid="admission-dimension"]');
    const target = this.target();
    this.result = null;
    const r = await this.store.act(SCOPE, 'Checking admission', () => this.store.backend.checkAdmission({ ...target, ...(dimension ? { dimension } : {}) }));
    if (!r) return;
    const text =
      r.kind === 'admitted'
        ? 'Admitted: it holds a slot now'
        : r.kind === 'already_admitted'
          ? 'Already admitted: it already holds a slot'
          : r.kind === 'rate_exceeded'
            ? `Rate exceeded: the window frees a place in ${formatDuration(r.retryAfterMs)}`
            : 'Concurrency exceeded: every slot is taken';
    this.result = { kind: r.kind, text, tone: r.kind === 'admitted' || r.kind === 'already_admitted' ? 'ok' : 'bad' };
  }

  private async release(): Promise<void> {
    const target = this.target();
    this.result = null;
    const r = await this.store.act(SCOPE, 'Releasing the admission', () => this.store.backend.releaseAdmission(target));
    if (r) this.result = { kind: 'released', text: r.slotFreed ? 'Released: its slot is free' : 'Nothing to release: it held no slot', tone: 'info' };
  }
}
defineElement('ff-dt-quota-admission', DtQuotaAdmission);
