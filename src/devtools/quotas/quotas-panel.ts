/**
 * Quotas: create a policy (a sliding rate window and a concurrency cap),
 * watch each policy's window and slots fill up, and check or release an
 * execution's admission (admission-form.ts).
 */
import { html, nothing, type PropertyDeclarations } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { QuotaPolicyInfo } from '../../api/quotas.js';
import { DtElement } from '../base.js';
import { defineElement } from '../define.js';
import { field, panel, valueOf } from '../ui/form-parts.js';
import { quotaRow } from './quota-meter.js';
import './admission-form.js';

const MAX_POLICIES = 100;
const SCOPE = 'quota-form';

export class DtQuotasPanel extends DtElement {
  static override properties: PropertyDeclarations = { policies: { state: true } };
  declare policies: QuotaPolicyInfo[] | null;

  constructor() {
    super();
    this.policies = null;
  }

  override async load(): Promise<void> {
    this.policies = (await this.store.backend.listQuotaPolicies({ limit: MAX_POLICIES })).policies;
  }

  override clear(): void {
    this.policies = null;
  }

  override render(): unknown {
    const policies = this.policies ?? [];
    return panel(
      'quotas',
      'Quotas',
      'A policy admits at most N executions per sliding window and M at once. A slot is held until released or until its execution ends.',
      html`<form class="form" data-testid="quota-form" @submit=${(ev: Event) => void this.create(ev)}>
          <div class="row">
            ${field('Policy id', html`<input value="api-calls" required data-testid="quota-id" class="mono" autocomplete="off" />`)}
            ${field('Window (s)', html`<input type="number" min="1" step="1" value="60" data-testid="quota-window" />`)}
            ${field('Max per window', html`<input type="number" min="0" step="1" value="5" data-testid="quota-rate" />`, '0 = no limit')}
            ${field('Max concurrent', html`<input type="number" min="0" step="1" value="2" data-testid="quota-concurrency" />`, '0 = no limit')}
          </div>
          <div class="row actions"><button type="submit" class="primary" data-testid="quota-create">Create policy</button></div>
          ${this.errorBox(SCOPE)}
        </form>
        <div class="quota-list" data-testid="quota-list">${repeat(policies, (p) => p.quotaPolicyId, quotaRow)}</div>
        ${this.policies !== null && policies.length === 0 ? html`<p class="empty" data-testid="quotas-empty">No quota policies yet.</p>` : nothing}
        <ff-dt-quota-admission .store=${this.store} .policyIds=${policies.map((p) => p.quotaPolicyId)}></ff-dt-quota-admission>`,
    );
  }

  private async create(ev: Event): Promise<void> {
    ev.preventDefault();
    const num = (testid: string): number => Number(valueOf(this, `[data-testid="${testid}"]`) || 0);
    const input = { quotaPolicyId: valueOf(this, '[data-testid="quota-id"]'), windowSeconds: num('quota-window'), maxRequestsPerWindow: num('quota-rate'), maxConcurrent: num('quota-concurrency') };
    const r = await this.store.act(SCOPE, `Creating quota policy '${input.quotaPolicyId}'`, () => this.store.backend.createQuotaPolicy(input));
    if (r) this.store.toast(r.kind === 'created' ? `Policy '${r.quotaPolicyId}' created` : `Policy '${r.quotaPolicyId}' already exists; left unchanged`, r.kind === 'created' ? 'ok' : 'warn');
  }
}
defineElement('ff-dt-quotas', DtQuotasPanel);
