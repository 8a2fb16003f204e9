/**
 * The worker registry: register an instance (lanes, capabilities, liveness
 * TTL), heartbeat it, mark it dead (after a confirm), and watch
 * registrations lapse on the engine clock (the TTL sweep marks them dead;
 * the rows stay).
 */
import { html, nothing, type PropertyDeclarations } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { WorkerInfo } from '../../api/workers.js';
import { DtElement } from '../base.js';
import { defineElement } from '../define.js';
import { formatUntil } from '../format.js';
import { field, panel, splitList, valueOf } from '../ui/form-parts.js';
import { workerRow, type WorkerTarget } from './worker-row.js';

const MAX_WORKERS = 200;
const SCOPE = 'worker-register';

export class DtWorkersPanel extends DtElement {
  static override properties: PropertyDeclarations = { workers: { state: true } };
  declare workers: WorkerInfo[] | null;

  constructor() {
    super();
    this.workers = null;
  }

  override async load(): Promise<void> {
    this.workers = (await this.store.backend.listWorkers({ limit: MAX_WORKERS })).workers;
  }

  override clear(): void {
    this.workers = null;
  }

  override render(): unknown {
    const workers = this.workers ?? [];
    const now = this.store.now;
    const actions = { heartbeat: (t: WorkerTarget) => void this.heartbeat(t), markDead: (t: WorkerTarget) => void this.markDead(t) };
    return panel(
      'workers',
      'Worker registry',
      'Workers announce themselves with a liveness TTL and heartbeat to stay alive. Move the clock past the TTL and the sweep marks them dead.',
      html`<form class="form" data-testid="register-form" @submit=${(ev: Event) => void this.register(ev)}>
          <div class="row">
            ${field('Worker id', html`<input value="billing" required data-testid="reg-worker-id" class="mono" autocomplete="off" />`)}
            ${field('Instance id', html`<input value="billing-1" required data-testid="reg-instance-id" class="mono" autocomplete="off" />`)}
            ${field('Lanes', html`<input value="default" data-testid="reg-lanes" class="mono" autocomplete="off" />`, 'comma-separated')}
            ${field('Capabilities', html`<input placeholder="none" data-testid="reg-capabilities" class="mono" autocomplete="off" />`, 'comma-separated')}
            ${field('Liveness TTL (s)', html`<input type="number" min="1" step="1" value="30" data-testid="reg-ttl" />`)}
          </div>
          <div class="row actions"><button type="submit" class="primary" data-testid="reg-submit">Register</button></div>
          ${this.errorBox(SCOPE)}
        </form>
        ${this.errorBox('worker-row')}
        <div class="table-wrap">
          <table class="workers">
            <thead><tr><th>Instance</th><th>Lanes</th><th>State</th><th>Expires</th><th><span class="visually-hidden">Actions</span></th></tr></thead>
            <tbody data-testid="worker-rows">${repeat(workers, (w) => `${w.namespace}/${w.workerInstanceId}`, (w) => workerRow(w, now, actions))}</tbody>
          </table>
        </div>
        ${this.workers !== null && workers.length === 0
          ? html`<p class="empty" data-testid="workers-empty">No workers registered. Start a worker runtime, or register one here.</p>`
          : nothing}`,
    );
  }

  private async register(ev: Event): Promise<void> {
    ev.preventDefault();
    const input = {
      workerId: valueOf(this, '[data-testid="reg-worker-id"]'),
      workerInstanceId: valueOf(this, '[data-testid="reg-instance-id"]'),
      lanes: splitList(valueOf(this, '[data-testid="reg-lanes"]')),
      capabilities: splitList(valueOf(this, '[data-testid="reg-capabilities"]')),
      livenessTtlMs: Math.round(Number(valueOf(this, '[data-testid="reg-ttl"]')) * 1000),
    };
    const r = await this.store.act(SCOPE, `Registering '${input.workerInstanceId}'`, () => this.store.backend.registerWorker(input));
    if (r) this.store.toast(`${input.workerInstanceId}: ${r.kind}`, 'ok');
  }

  private async heartbeat(target: WorkerTarget): Promise<void> {
    const r = await this.store.act('worker-row', `Heartbeat for '${target.workerInstanceId}'`, () => this.store.backend.heartbeatWorker(target));
    if (!r) return;
    if (r.kind === 'refreshed') this.store.toast(`${target.workerInstanceId}: alive ${formatUntil(r.nextExpiryMs, this.store.now)} more`, 'ok');
    else this.store.toast(`${target.workerInstanceId}: not registered (dead or lapsed): register it again`, 'warn');
  }

  /** Marking dead cannot be undone (the instance must register again), so it asks first. */
  private async markDead(target: WorkerTarget): Promise<void> {
    const ok = await this.store.confirm({
      title: `Mark '${target.workerInstanceId}' dead?`,
      body: `The registration of '${target.workerInstanceId}' (namespace '${target.namespace}') ends now: it no longer counts as a worker polling its lanes, and heartbeats are refused until it registers again.`,
      confirmLabel: 'Mark dead',
      danger: true,
    });
    if (!ok) return;
    const r = await this.store.act('worker-row', `Marking '${target.workerInstanceId}' dead`, () =>
      this.store.backend.markWorkerDead({ ...target, reason: 'marked dead in the devtools' }),
    );
    if (r) this.store.toast(r.kind === 'marked' ? `${target.workerInstanceId}: marked dead` : `${target.workerInstanceId}: already dead or unknown`, 'info');
  }
}
defineElement('ff-dt-workers', DtWorkersPanel);
