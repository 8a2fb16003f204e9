/**
 * Quotas: create a policy (a sliding rate window and a concurrency cap),
 * check admission for an execution, release it, and watch the window and
 * the slots fill up.
 */
import type { ExecutionInfo, QuotaPolicyInfo } from '../../src/index.js';
import type { App, Panel } from './app.js';
import { byTestId, field, h, panel, setText, syncList, syncOptions } from './dom.js';
import { formatDuration, formatNumber, shortId } from './format.js';

/** Executions offered for admission: ones that have not ended. */
const CANDIDATE_STATES = ['waiting', 'active', 'delayed'] as const;

export class QuotasPanel implements Panel {
  readonly el: HTMLElement;
  private readonly id = h('input', { value: 'api-calls', required: true, testid: 'quota-id', class: 'mono', autocomplete: 'off' });
  private readonly window = h('input', { type: 'number', min: '1', step: '1', value: '60', testid: 'quota-window' });
  private readonly rate = h('input', { type: 'number', min: '0', step: '1', value: '5', testid: 'quota-rate' });
  private readonly concurrent = h('input', { type: 'number', min: '0', step: '1', value: '2', testid: 'quota-concurrency' });
  private readonly policy = h('select', { testid: 'admission-policy', required: true });
  private readonly execution = h('select', { testid: 'admission-execution', required: true });
  private readonly dimension = h('input', { placeholder: 'optional', testid: 'admission-dimension', class: 'mono', autocomplete: 'off' });
  private readonly result = h('output', { class: 'result', testid: 'admission-result', 'aria-live': 'polite' });
  private readonly list = h('div', { class: 'quota-list', testid: 'quota-list' });

  constructor(private readonly app: App) {
    const create = h(
      'form',
      { class: 'form', testid: 'quota-form', onSubmit: (ev: Event) => void this.create(ev) },
      h('div', { class: 'row' }, field('Policy id', this.id), field('Window (s)', this.window), field('Max per window', this.rate, '0 = no limit'), field('Max concurrent', this.concurrent, '0 = no limit')),
      h('div', { class: 'row actions' }, h('button', { type: 'submit', class: 'primary', testid: 'quota-create' }, 'Create policy')),
    );
    const admit = h(
      'form',
      { class: 'form', testid: 'admission-form', onSubmit: (ev: Event) => void this.check(ev) },
      h('h4', null, 'Admission'),
      h('div', { class: 'row' }, field('Policy', this.policy), field('Execution', this.execution), field('Dimension', this.dimension)),
      h(
        'div',
        { class: 'row actions' },
        h('button', { type: 'submit', class: 'primary', testid: 'admission-check' }, 'Check admission'),
        h('button', { type: 'button', testid: 'admission-release', onClick: () => void this.release() }, 'Release'),
      ),
      this.result,
    );
    this.el = panel(
      'quotas',
      'Quotas',
      'A policy admits at most N executions per sliding window and M at once. A slot is held until released or until its execution ends.',
      create,
      this.list,
      h('p', { class: 'empty', testid: 'quotas-empty' }, 'No quota policies yet.'),
      admit,
    );
  }

  async refresh(): Promise<void> {
    const backend = this.app.backend;
    const [{ policies }, ...lists] = await Promise.all([backend.listQuotaPolicies({ limit: 100 }), ...CANDIDATE_STATES.map((s) => backend.listExecutions({ publicState: s, limit: 30 }))]);
    syncList(this.list, policies, (p) => p.quotaPolicyId, quotaRow, (el, p) => updateQuota(el, p));
    byTestId(this.el, 'quotas-empty').hidden = policies.length > 0;
    syncOptions(this.policy, policies.map((p) => ({ value: p.quotaPolicyId, label: p.quotaPolicyId })), policies.length ? undefined : 'create a policy first');
    const executions: ExecutionInfo[] = lists.flatMap((l) => l.executions);
    syncOptions(
      this.execution,
      executions.map((e) => ({ value: e.executionId, label: `${shortId(e.executionId)} · ${e.laneId} · ${e.publicState}` })),
      executions.length ? undefined : 'create an execution first',
    );
  }

  private async create(ev: Event): Promise<void> {
    ev.preventDefault();
    const input = {
      quotaPolicyId: this.id.value.trim(),
      windowSeconds: Number(this.window.value),
      maxRequestsPerWindow: Number(this.rate.value || 0),
      maxConcurrent: Number(this.concurrent.value || 0),
    };
    const r = await this.app.act(`Creating quota policy '${input.quotaPolicyId}'`, () => this.app.backend.createQuotaPolicy(input));
    if (r) this.app.notices.toast(r.kind === 'created' ? `Policy '${r.quotaPolicyId}' created` : `Policy '${r.quotaPolicyId}' already exists; left unchanged`, r.kind === 'created' ? 'ok' : 'warn');
  }

  private async check(ev: Event): Promise<void> {
    ev.preventDefault();
    const dimension = this.dimension.value.trim();
    const r = await this.app.act('Checking admission', () =>
      this.app.backend.checkAdmission({ quotaPolicyId: this.policy.value, executionId: this.execution.value, ...(dimension ? { dimension } : {}) }),
    );
    if (!r) return;
    const text =
      r.kind === 'admitted'
        ? 'Admitted: it holds a slot now'
        : r.kind === 'already_admitted'
          ? 'Already admitted: it already holds a slot'
          : r.kind === 'rate_exceeded'
            ? `Rate exceeded: the window frees a place in ${formatDuration(r.retryAfterMs)}`
            : 'Concurrency exceeded: every slot is taken';
    this.show(r.kind, text, r.kind === 'admitted' || r.kind === 'already_admitted' ? 'ok' : 'bad');
  }

  private async release(): Promise<void> {
    const r = await this.app.act('Releasing the admission', () => this.app.backend.releaseAdmission({ quotaPolicyId: this.policy.value, executionId: this.execution.value }));
    if (r) this.show('released', r.slotFreed ? 'Released: its slot is free' : 'Nothing to release: it held no slot', 'info');
  }

  private show(kind: string, text: string, tone: string): void {
    setText(this.result, text);
    this.result.dataset['kind'] = kind;
    this.result.className = `result tone-${tone}`;
  }
}

function quotaRow(p: QuotaPolicyInfo): HTMLElement {
  return h(
    'div',
    { class: 'quota-row', testid: 'quota-row', 'data-quota-id': p.quotaPolicyId },
    h('span', { class: 'mono quota-name' }, p.quotaPolicyId),
    meter('Window', 'quota-window-usage'),
    meter('Concurrency', 'quota-concurrency-usage'),
  );
}

function meter(label: string, testid: string): HTMLElement {
  return h('div', { class: 'meter' }, h('span', { class: 'stat-label' }, label), h('div', { class: 'bar' }, h('div', { class: 'bar-fill' })), h('span', { class: 'meter-text', testid }));
}

function updateQuota(el: HTMLElement, p: QuotaPolicyInfo): void {
  const [windowMeter, concurrencyMeter] = Array.from(el.querySelectorAll<HTMLElement>('.meter'));
  fill(windowMeter!, p.admissionsInWindow, p.maxRequestsPerWindow, `${formatNumber(p.admissionsInWindow)} / ${p.maxRequestsPerWindow || '∞'} in ${formatDuration(p.windowSeconds * 1000)}`);
  fill(concurrencyMeter!, p.activeConcurrency, p.maxConcurrent, `${formatNumber(p.activeConcurrency)} / ${p.maxConcurrent || '∞'} held`);
}

function fill(meterEl: HTMLElement, used: number, max: number, text: string): void {
  const bar = meterEl.querySelector<HTMLElement>('.bar-fill')!;
  bar.style.width = `${max > 0 ? Math.min(100, (used / max) * 100) : used > 0 ? 100 : 0}%`;
  bar.className = `bar-fill ${max > 0 && used >= max ? 'at-hard' : 'ok'}`;
  setText(meterEl.querySelector('.meter-text'), text);
}
