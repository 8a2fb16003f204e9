/**
 * The worker registry: register an instance (lanes, capabilities, liveness
 * TTL), heartbeat it, mark it dead, and watch registrations lapse on the
 * engine clock (the TTL sweep marks them dead; the rows stay).
 */
import type { WorkerInfo } from '../../src/index.js';
import type { App, Panel, View } from './app.js';
import { byTestId, field, h, panel, setText, splitList, syncList } from './dom.js';
import { formatUntil } from './format.js';

export class WorkersPanel implements Panel {
  readonly el: HTMLElement;
  private readonly workerId = h('input', { value: 'billing', required: true, testid: 'reg-worker-id', class: 'mono', autocomplete: 'off' });
  private readonly instanceId = h('input', { value: 'billing-1', required: true, testid: 'reg-instance-id', class: 'mono', autocomplete: 'off' });
  private readonly lanes = h('input', { value: 'default', testid: 'reg-lanes', class: 'mono', autocomplete: 'off' });
  private readonly capabilities = h('input', { placeholder: 'none', testid: 'reg-capabilities', class: 'mono', autocomplete: 'off' });
  private readonly ttl = h('input', { type: 'number', min: '1', step: '1', value: '30', testid: 'reg-ttl' });
  private readonly rows = h('tbody', { testid: 'worker-rows' });

  constructor(private readonly app: App) {
    const form = h(
      'form',
      { class: 'form', testid: 'register-form', onSubmit: (ev: Event) => void this.register(ev) },
      h('div', { class: 'row' }, field('Worker id', this.workerId), field('Instance id', this.instanceId), field('Lanes', this.lanes), field('Capabilities', this.capabilities), field('Liveness TTL (s)', this.ttl)),
      h('div', { class: 'row actions' }, h('button', { type: 'submit', class: 'primary', testid: 'reg-submit' }, 'Register')),
    );
    const table = h(
      'table',
      {
        class: 'workers',
        onClick: (ev: Event) => {
          const button = (ev.target as HTMLElement).closest<HTMLButtonElement>('button[data-action]');
          const row = button?.closest<HTMLElement>('[data-instance-id]');
          if (!button || !row) return;
          const target = { workerInstanceId: row.dataset['instanceId']!, namespace: row.dataset['namespace']! };
          if (button.dataset['action'] === 'heartbeat') void this.heartbeat(target);
          else void this.markDead(target);
        },
      },
      h('thead', null, h('tr', null, ['Instance', 'Worker', 'Lanes', 'Capabilities', 'State', 'Expires', ''].map((t) => h('th', null, t)))),
      this.rows,
    );
    this.el = panel(
      'workers',
      'Worker registry',
      'Workers announce themselves with a liveness TTL and heartbeat to stay alive. Move the clock past the TTL and the sweep marks them dead.',
      form,
      h('div', { class: 'table-wrap' }, table),
      h('p', { class: 'empty', testid: 'workers-empty' }, 'No workers registered. Start the in-page worker, or register one here.'),
    );
  }

  async refresh(view: View): Promise<void> {
    const { workers } = await this.app.backend.listWorkers({ limit: 200 });
    syncList(this.rows, workers, (w) => `${w.namespace}/${w.workerInstanceId}`, workerRow, (el, w) => updateRow(el, w, view.now));
    byTestId(this.el, 'workers-empty').hidden = workers.length > 0;
  }

  private async register(ev: Event): Promise<void> {
    ev.preventDefault();
    const input = {
      workerId: this.workerId.value.trim(),
      workerInstanceId: this.instanceId.value.trim(),
      lanes: splitList(this.lanes.value),
      capabilities: splitList(this.capabilities.value),
      livenessTtlMs: Math.round(Number(this.ttl.value) * 1000),
    };
    const r = await this.app.act(`Registering '${input.workerInstanceId}'`, () => this.app.backend.registerWorker(input));
    if (r) this.app.notices.toast(`${input.workerInstanceId}: ${r.kind}`, 'ok');
  }

  private async heartbeat(target: { workerInstanceId: string; namespace: string }): Promise<void> {
    const r = await this.app.act(`Heartbeat for '${target.workerInstanceId}'`, () => this.app.backend.heartbeatWorker(target));
    if (r) this.app.notices.toast(r.kind === 'refreshed' ? `${target.workerInstanceId}: alive ${formatUntil(r.nextExpiryMs, this.app.now)} more` : `${target.workerInstanceId}: not registered (dead or lapsed): register it again`, r.kind === 'refreshed' ? 'ok' : 'warn');
  }

  private async markDead(target: { workerInstanceId: string; namespace: string }): Promise<void> {
    const r = await this.app.act(`Marking '${target.workerInstanceId}' dead`, () => this.app.backend.markWorkerDead({ ...target, reason: 'marked dead in the playground' }));
    if (r) this.app.notices.toast(r.kind === 'marked' ? `${target.workerInstanceId}: marked dead` : `${target.workerInstanceId}: already dead or unknown`, 'info');
  }
}

function workerRow(w: WorkerInfo): HTMLElement {
  return h(
    'tr',
    { testid: 'worker-row', 'data-instance-id': w.workerInstanceId, 'data-namespace': w.namespace },
    h('td', { class: 'mono' }, w.workerInstanceId),
    h('td', { class: 'mono' }, w.workerId),
    h('td', { class: 'mono', testid: 'worker-lanes-cell' }),
    h('td', { class: 'mono', testid: 'worker-caps-cell' }),
    h('td', null, h('span', { class: 'chip', testid: 'worker-row-state' })),
    h('td', { testid: 'worker-expires' }),
    h(
      'td',
      { class: 'row-actions' },
      h('button', { type: 'button', class: 'small', 'data-action': 'heartbeat', testid: 'worker-heartbeat' }, 'Heartbeat'),
      h('button', { type: 'button', class: 'small danger', 'data-action': 'dead', testid: 'worker-mark-dead' }, 'Mark dead'),
    ),
  );
}

function updateRow(el: HTMLElement, w: WorkerInfo, now: number): void {
  const lapsed = w.state === 'alive' && w.expiresAtMs <= now;
  const state = w.state === 'dead' ? 'dead' : lapsed ? 'lapsed' : 'alive';
  setText(byTestId(el, 'worker-lanes-cell'), w.lanes.join(', ') || '—');
  setText(byTestId(el, 'worker-caps-cell'), w.capabilities.join(', ') || '—');
  const chip = byTestId(el, 'worker-row-state');
  setText(chip, state);
  chip.className = `chip worker-${state}`;
  setText(byTestId(el, 'worker-expires'), w.state === 'dead' ? '—' : formatUntil(w.expiresAtMs, now));
  el.dataset['state'] = state;
  el.querySelectorAll('button').forEach((b) => (b.disabled = w.state === 'dead' && b.dataset['action'] === 'dead'));
}
