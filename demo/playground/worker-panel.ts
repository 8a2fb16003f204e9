/**
 * `<ff-playground-worker>`: the playground's in-page worker, shown in the
 * devtools' overview slot. It is createWorkerRuntime on the page's backend:
 * it claims from its lanes under a lease, "works" for a chosen time
 * (writing stream frames), then completes or fails as chosen, or suspends
 * waiting for an approval; it can keep a registration in the worker
 * registry alive with heartbeats. "Load sample data" lives here too, since
 * this worker is what runs the sample: its default lanes are the sample's.
 *
 * It is light DOM of the page (slotted into `<ff-devtools>`), so it keeps
 * its own shadow root and adopts the devtools' stylesheet there.
 */
import { adoptStyles, css, html, type PropertyDeclarations } from 'lit';
import { createWorkerRuntime, type JobContext, type TimeoutBehavior, type WorkerRuntime } from '../../src/index.js';
import { DtElement } from '../../src/devtools/base.js';
import { defineElement } from '../../src/devtools/define.js';
import { splitList } from '../../src/devtools/ui/form-parts.js';
import { basePanelsStyles } from '../../src/devtools/styles/index.js';
import { ActivityLog } from './worker-activity.js';
import { runJob, type JobPlan, type Outcome } from './worker-job.js';
import { loadSample, SAMPLE_LANES } from './sample.js';

/** How often the registration is refreshed (real time); well inside the 30 s liveness TTL. */
const HEARTBEAT_MS = 5_000;
const LIVENESS_TTL_MS = 30_000;
const APPROVAL_BEHAVIORS: readonly TimeoutBehavior[] = ['fail', 'cancel', 'expire', 'resume'];
const OUTCOMES: [Outcome, string][] = [
  ['complete', 'complete'],
  ['fail-first', 'fail the first attempt, then complete'],
  ['fail', 'fail (retried while retries last)'],
  ['fail-permanent', 'fail permanently (no retry)'],
];
const STATS = ['inFlight', 'claimed', 'completed', 'retryScheduled', 'suspended', 'failed', 'leaseLost', 'errors'] as const;
const STAT_LABEL: Record<(typeof STATS)[number], string> = {
  inFlight: 'In flight',
  claimed: 'Claimed',
  completed: 'Completed',
  retryScheduled: 'Retries scheduled',
  suspended: 'Suspended',
  failed: 'Failed',
  leaseLost: 'Leases lost',
  errors: 'Errors',
};

/** The host sits in the devtools' overview grid, in the worker's cell. */
const hostStyles = css`
  :host { display: block; background: transparent; min-width: 0; }
  @media (min-width: 1180px) { :host { grid-area: worker; } }
  [data-testid='worker-lanes'] { width: 14rem; }
  .activity-head { margin: 0.9rem 0 0.4rem; font-size: 0.85rem; color: var(--muted); text-transform: uppercase; letter-spacing: 0.04em; }
`;

export class PlaygroundWorker extends DtElement {
  static override properties: PropertyDeclarations = { ...DtElement.properties, busy: { state: true } };
  declare busy: boolean;
  private runtime: WorkerRuntime | null = null;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private readonly activity = new ActivityLog();

  constructor() {
    super();
    this.busy = false;
  }

  // DtElement renders into the element itself; this one is outside the devtools' shadow root, so it needs its own.
  protected override createRenderRoot(): HTMLElement {
    const root = this.shadowRoot ?? this.attachShadow({ mode: 'open' });
    adoptStyles(root, [...basePanelsStyles, hostStyles]);
    return root as unknown as HTMLElement;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.heartbeat);
  }

  override render(): unknown {
    const status = this.runtime?.status();
    const running = status?.running === true;
    const state = status?.state ?? 'stopped';
    return html`<section class="panel panel-worker" data-testid="panel-worker" aria-labelledby="worker-heading">
      <div class="panel-head">
        <h2 id="worker-heading">In-page worker</h2>
        <p class="blurb">A worker runtime on this page: claims under a lease, renews it while working and writes stream frames, then completes or fails, or suspends until approved. The form applies to the next job.</p>
      </div>
      <form class="form" @submit=${(ev: Event) => void this.onToggle(ev)}>
        <div class="row">
          ${this.input('Lanes', html`<input name="lanes" class="mono" data-testid="worker-lanes" value=${SAMPLE_LANES.join(', ')} autocomplete="off" ?disabled=${running} />`, 'comma list')}
          ${this.input('Capabilities', html`<input name="capabilities" class="mono" data-testid="worker-capabilities" placeholder="none" autocomplete="off" ?disabled=${running} />`)}
          ${this.input('Concurrency', html`<input name="concurrency" type="number" min="1" max="32" step="1" value="2" data-testid="worker-concurrency" ?disabled=${running} />`)}
          ${this.input('Lease TTL (s)', html`<input name="lease" type="number" min="1" step="1" value="30" data-testid="worker-lease" ?disabled=${running} />`)}
        </div>
        <div class="row">
          ${this.input('Each job works for (ms)', html`<input name="delay" type="number" min="0" step="any" value="800" data-testid="worker-delay" />`, 'real time')}
          ${this.input('Then it should', html`<select name="outcome" data-testid="worker-outcome">${OUTCOMES.map(([v, label]) => html`<option value=${v}>${label}</option>`)}</select>`)}
        </div>
        <div class="row">
          <label class="check"><input name="frames" type="checkbox" checked data-testid="worker-frames" /> Write stream frames (3 progress frames, summary patches)</label>
          <label class="check"><input name="approval" type="checkbox" data-testid="worker-approval" /> Wait for approval: suspend instead, complete once approved</label>
          ${this.input('Approval times out after (s)', html`<input name="approvalTimeout" type="number" min="1" step="1" value="3600" data-testid="worker-approval-timeout" />`, 'engine clock')}
          ${this.input('Then', html`<select name="approvalBehavior" data-testid="worker-approval-behavior">${APPROVAL_BEHAVIORS.map((b) => html`<option value=${b}>${b}</option>`)}</select>`)}
        </div>
        <p class="muted small">Suspending needs a waitpoint secret in the database: the playground seeds a random one when it has none.</p>
        <div class="row actions">
          <label class="check"><input name="register" type="checkbox" checked data-testid="worker-register" ?disabled=${running} /> Register in the worker registry (heartbeats)</label>
          <button type="submit" class="primary" data-testid="worker-toggle" ?disabled=${state === 'stopping' || this.busy}>${running ? 'Stop worker' : state === 'stopping' ? 'Stopping…' : 'Start worker'}</button>
          <span class="chip worker-${state}" data-testid="worker-state">${state}</span>
          <button type="button" data-testid="status-sample" ?disabled=${this.busy} @click=${() => void this.sample()}>Load sample data</button>
        </div>
        ${this.errorBox('worker')}${this.errorBox('sample')}
      </form>
      <div class="stats">
        ${STATS.map((s) => html`<div class="stat"><span class="stat-label">${STAT_LABEL[s]}</span><span class="stat-value" data-testid="worker-stat-${s}">${status ? status[s] : 0}</span></div>`)}
      </div>
      <h3 class="activity-head">Activity</h3>
      <ol class="activity" data-testid="worker-activity">${this.activity.lines.map((a) => html`<li class="tone-${a.tone}">${a.text}</li>`)}</ol>
    </section>`;
  }

  private input(label: string, control: unknown, hint?: string): unknown {
    return html`<label class="field"><span class="field-label">${label}</span>${control}${hint ? html`<span class="field-hint">${hint}</span>` : ''}</label>`;
  }

  private value(name: string): string {
    return (this.renderRoot.querySelector(`[name="${name}"]`) as HTMLInputElement | HTMLSelectElement).value;
  }

  private checked(name: string): boolean {
    return (this.renderRoot.querySelector(`[name="${name}"]`) as HTMLInputElement).checked;
  }

  private async onToggle(ev: Event): Promise<void> {
    ev.preventDefault();
    if (this.runtime?.status().running) await this.stop();
    else await this.start();
  }

  private async start(): Promise<void> {
    const lanes = splitList(this.value('lanes'));
    const capabilities = splitList(this.value('capabilities'));
    const register = this.checked('register');
    const backend = this.store.backend;
    const runtime = await this.store.act('worker', 'Starting the worker', async () => {
      const handler = (job: JobContext): Promise<unknown> => runJob(job, this.plan(), () => backend.now());
      const rt = createWorkerRuntime(backend, {
        lanes,
        capabilities,
        concurrency: Number(this.value('concurrency')),
        leaseTtlMs: Math.round(Number(this.value('lease')) * 1000),
        workerId: 'playground-worker',
        handlers: Object.fromEntries(lanes.map((l) => [l, handler])),
      });
      if (register) await backend.registerWorker({ workerId: rt.workerId, workerInstanceId: rt.workerInstanceId, lanes, capabilities, livenessTtlMs: LIVENESS_TTL_MS });
      return rt;
    });
    if (!runtime) return;
    this.runtime = runtime;
    runtime.onEvent((e) => {
      this.activity.event(e, this.store.now);
      this.store.invalidate();
    });
    runtime.start();
    if (register) this.heartbeat = setInterval(() => void this.beat(runtime, lanes, capabilities), HEARTBEAT_MS);
    this.note(`started ${runtime.workerInstanceId} on ${lanes.join(', ')}`, 'ok');
  }

  private async stop(): Promise<void> {
    const runtime = this.runtime;
    if (!runtime) return;
    clearInterval(this.heartbeat);
    this.store.invalidate();
    const abandoned = await runtime.stop({ graceMs: 10_000 });
    this.note(`stopped${abandoned ? `, ${abandoned} job(s) abandoned (their leases will expire)` : ''}`, abandoned ? 'warn' : 'info');
    if (this.checked('register')) {
      await this.store.act('worker', 'Marking the worker dead', () =>
        this.store.backend.markWorkerDead({ workerInstanceId: runtime.workerInstanceId, reason: 'stopped in the playground' }),
      );
    }
    this.store.invalidate();
  }

  /** Keep the registration alive; after a lapse (say the clock jumped a day) register again. */
  private async beat(runtime: WorkerRuntime, lanes: string[], capabilities: string[]): Promise<void> {
    if (!runtime.status().running) return;
    try {
      const r = await this.store.backend.heartbeatWorker({ workerInstanceId: runtime.workerInstanceId });
      if (r.kind === 'not_registered') {
        await this.store.backend.registerWorker({ workerId: runtime.workerId, workerInstanceId: runtime.workerInstanceId, lanes, capabilities, livenessTtlMs: LIVENESS_TTL_MS });
        this.note('registration had lapsed: registered again', 'warn');
      }
    } catch (err) {
      this.note(`heartbeat failed: ${String((err as Error).message ?? err)}`, 'bad');
    }
  }

  /**
   * A flow member is gated only once its edges are applied, so a worker
   * claiming while the sample flow is being built could run a downstream
   * step early. A running worker stops claiming first (backend calls are
   * served in order, so no claim of its lands among the sample's), and
   * claims again once the jobs it was running have finished.
   */
  private async sample(): Promise<void> {
    this.busy = true;
    const runtime = this.runtime?.status().running ? this.runtime : null;
    const stopped = runtime?.stop({ graceMs: Infinity });
    try {
      const loaded = await this.store.act('sample', 'Loading sample data', () => loadSample(this.store.backend));
      if (!loaded) return;
      const lanes = splitList(this.value('lanes'));
      const missing = SAMPLE_LANES.filter((l) => !lanes.includes(l));
      const runs = runtime
        ? missing.length === 0
          ? 'The in-page worker runs it now.'
          : `The in-page worker does not poll ${missing.join(', ')}: stop it, add those lanes and start it again.`
        : `Start the in-page worker (lanes ${lanes.join(', ')}) to run it${missing.length ? `, after adding ${missing.join(', ')} to its lanes` : ''}.`;
      this.store.toast(`${loaded.message} ${runs}`, 'ok');
    } finally {
      this.busy = false;
    }
    if (runtime && stopped) {
      await stopped;
      runtime.start();
      this.store.invalidate();
    }
  }

  /** Read when each job starts, so a change applies to the next job. */
  private plan(): JobPlan {
    return {
      workMs: Number(this.value('delay')) || 0,
      outcome: this.value('outcome') as Outcome,
      frames: this.checked('frames'),
      approval: this.checked('approval')
        ? { timeoutMs: Math.max(1, Math.round(Number(this.value('approvalTimeout')) || 3600)) * 1000, behavior: this.value('approvalBehavior') as TimeoutBehavior }
        : null,
    };
  }

  private note(text: string, tone: 'ok' | 'warn' | 'bad' | 'info'): void {
    this.activity.note(text, tone);
    this.store.invalidate();
  }
}
defineElement('ff-playground-worker', PlaygroundWorker);
