/**
 * The in-page worker: createWorkerRuntime on this page's backend client. It
 * claims from its lanes, "works" for a chosen time (writing stream frames),
 * then completes or fails as chosen, or suspends waiting for an approval,
 * renewing its lease meanwhile; it can also keep a registration in the
 * worker registry alive with heartbeats. The job itself is worker-job.ts.
 */
import { createWorkerRuntime, type JobContext, type TimeoutBehavior, type WorkerRuntime, type WorkerRuntimeEvent } from '../../src/index.js';
import type { App, Panel } from './app.js';
import { byTestId, field, h, panel, setText, splitList, syncList } from './dom.js';
import { formatDuration, shortId } from './format.js';
import { runJob, type JobPlan, type Outcome } from './worker-job.js';

/** How often the registration is refreshed (real time); well inside the 30 s liveness TTL. */
const HEARTBEAT_MS = 5_000;
const LIVENESS_TTL_MS = 30_000;
const ACTIVITY_KEPT = 14;
/** What a suspension's timeout does (the engine's `timeout.behavior`). */
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

export class WorkerPanel implements Panel {
  readonly el: HTMLElement;
  private runtime: WorkerRuntime | null = null;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private activity: { id: number; text: string; tone: string }[] = [];
  private nextActivityId = 1;
  private readonly lanes = h('input', { value: 'default', testid: 'worker-lanes', class: 'mono', autocomplete: 'off' });
  private readonly capabilities = h('input', { placeholder: 'none', testid: 'worker-capabilities', class: 'mono', autocomplete: 'off' });
  private readonly concurrency = h('input', { type: 'number', min: '1', max: '32', step: '1', value: '2', testid: 'worker-concurrency' });
  private readonly delay = h('input', { type: 'number', min: '0', step: 'any', value: '800', testid: 'worker-delay' });
  private readonly outcome = h('select', { testid: 'worker-outcome' }, OUTCOMES.map(([v, label]) => h('option', { value: v }, label)));
  private readonly lease = h('input', { type: 'number', min: '1', step: '1', value: '30', testid: 'worker-lease' });
  private readonly register = h('input', { type: 'checkbox', checked: true, testid: 'worker-register' });
  private readonly frames = h('input', { type: 'checkbox', checked: true, testid: 'worker-frames' });
  private readonly approval = h('input', { type: 'checkbox', testid: 'worker-approval' });
  private readonly approvalTimeout = h('input', { type: 'number', min: '1', step: '1', value: '3600', testid: 'worker-approval-timeout' });
  private readonly approvalBehavior = h('select', { testid: 'worker-approval-behavior' }, APPROVAL_BEHAVIORS.map((b) => h('option', { value: b }, b)));
  private readonly toggle = h('button', { type: 'submit', class: 'primary', testid: 'worker-toggle' }, 'Start worker');

  constructor(private readonly app: App) {
    const form = h(
      'form',
      { class: 'form', onSubmit: (ev: Event) => void this.onToggle(ev) },
      h(
        'div',
        { class: 'row' },
        field('Lanes', this.lanes, 'comma list'),
        field('Capabilities', this.capabilities),
        field('Concurrency', this.concurrency),
        field('Lease TTL (s)', this.lease),
      ),
      h('div', { class: 'row' }, field('Each job works for (ms)', this.delay, 'real time'), field('Then it should', this.outcome)),
      h(
        'div',
        { class: 'row' },
        h('label', { class: 'check' }, this.frames, ' Write stream frames (3 progress frames, summary patches)'),
        h('label', { class: 'check' }, this.approval, ' Wait for approval: suspend instead, complete once approved'),
        field('Approval times out after (s)', this.approvalTimeout, 'engine clock'),
        field('Then', this.approvalBehavior),
      ),
      h('p', { class: 'muted small' }, 'Suspending needs a waitpoint secret in the database: the playground seeds a random one when it has none.'),
      h(
        'div',
        { class: 'row actions' },
        h('label', { class: 'check' }, this.register, ' Register in the worker registry (heartbeats)'),
        this.toggle,
        h('span', { class: 'chip', testid: 'worker-state' }, 'stopped'),
      ),
    );
    this.el = panel(
      'worker',
      'In-page worker',
      'A worker runtime on this page: claims under a lease, renews it while working and writes stream frames, then completes or fails, or suspends until approved. The form applies to the next job.',
      form,
      h('div', { class: 'stats' }, STATS.map((s) => h('div', { class: 'stat' }, h('span', { class: 'stat-label' }, STAT_LABEL[s]), h('span', { class: 'stat-value', testid: `worker-stat-${s}` }, '0')))),
      h('h4', null, 'Activity'),
      h('ol', { class: 'activity', testid: 'worker-activity' }),
    );
  }

  refresh(): void {
    const status = this.runtime?.status();
    setText(byTestId(this.el, 'worker-state'), status?.state ?? 'stopped');
    byTestId(this.el, 'worker-state').className = `chip worker-${status?.state ?? 'stopped'}`;
    for (const s of STATS) setText(byTestId(this.el, `worker-stat-${s}`), status ? status[s] : 0);
    setText(this.toggle, status?.running ? 'Stop worker' : status?.state === 'stopping' ? 'Stopping…' : 'Start worker');
    this.toggle.disabled = status?.state === 'stopping';
    for (const input of [this.lanes, this.capabilities, this.concurrency, this.lease, this.register]) input.disabled = status?.running === true;
    syncList(
      byTestId(this.el, 'worker-activity'),
      this.activity,
      (a) => String(a.id),
      (a) => h('li', { class: `tone-${a.tone}` }, a.text),
      () => {},
    );
  }

  private async onToggle(ev: Event): Promise<void> {
    ev.preventDefault();
    if (this.runtime?.status().running) await this.stop();
    else await this.start();
  }

  private async start(): Promise<void> {
    const lanes = splitList(this.lanes.value);
    const capabilities = splitList(this.capabilities.value);
    const runtime = await this.app.act('Starting the worker', async () => {
      const handler = (job: JobContext): Promise<unknown> => runJob(job, this.plan(), () => this.app.backend.now());
      const rt = createWorkerRuntime(this.app.backend, {
        lanes,
        capabilities,
        concurrency: Number(this.concurrency.value),
        leaseTtlMs: Math.round(Number(this.lease.value) * 1000),
        workerId: 'playground-worker',
        handlers: Object.fromEntries(lanes.map((l) => [l, handler])),
      });
      if (this.register.checked) await this.app.backend.registerWorker({ workerId: rt.workerId, workerInstanceId: rt.workerInstanceId, lanes, capabilities, livenessTtlMs: LIVENESS_TTL_MS });
      return rt;
    });
    if (!runtime) return;
    this.runtime = runtime;
    runtime.onEvent((e) => this.log(e));
    runtime.start();
    if (this.register.checked) this.heartbeat = setInterval(() => void this.beat(runtime, lanes, capabilities), HEARTBEAT_MS);
    this.note(`started ${runtime.workerInstanceId} on ${lanes.join(', ')}`, 'ok');
  }

  private async stop(): Promise<void> {
    const runtime = this.runtime;
    if (!runtime) return;
    clearInterval(this.heartbeat);
    this.app.invalidate();
    const abandoned = await runtime.stop({ graceMs: 10_000 });
    this.note(`stopped${abandoned ? `, ${abandoned} job(s) abandoned (their leases will expire)` : ''}`, abandoned ? 'warn' : 'info');
    if (this.register.checked) {
      await this.app.act('Marking the worker dead', () => this.app.backend.markWorkerDead({ workerInstanceId: runtime.workerInstanceId, reason: 'stopped in the playground' }));
    }
    this.app.invalidate();
  }

  /** Keep the registration alive; after a lapse (say the clock jumped a day) register again. */
  private async beat(runtime: WorkerRuntime, lanes: string[], capabilities: string[]): Promise<void> {
    if (!runtime.status().running) return;
    try {
      const r = await this.app.backend.heartbeatWorker({ workerInstanceId: runtime.workerInstanceId });
      if (r.kind === 'not_registered') {
        await this.app.backend.registerWorker({ workerId: runtime.workerId, workerInstanceId: runtime.workerInstanceId, lanes, capabilities, livenessTtlMs: LIVENESS_TTL_MS });
        this.note('registration had lapsed: registered again', 'warn');
      }
    } catch (err) {
      this.note(`heartbeat failed: ${String((err as Error).message ?? err)}`, 'bad');
    }
  }

  /** Read when each job starts, so a change applies to the next job. */
  private plan(): JobPlan {
    return {
      workMs: Number(this.delay.value) || 0,
      outcome: this.outcome.value as Outcome,
      frames: this.frames.checked,
      approval: this.approval.checked
        ? { timeoutMs: Math.max(1, Math.round(Number(this.approvalTimeout.value) || 3600)) * 1000, behavior: this.approvalBehavior.value as TimeoutBehavior }
        : null,
    };
  }

  private log(e: WorkerRuntimeEvent): void {
    const id = e.type === 'error' ? '' : `${shortId(e.executionId)} #${e.attemptIndex + 1} `;
    switch (e.type) {
      case 'claimed':
        return this.note(`${id}claimed`, 'info');
      case 'completed':
        return this.note(`${id}completed`, 'ok');
      case 'retry_scheduled':
        return this.note(`${id}failed: retry ${e.retryCount} due in ${formatDuration(e.delayUntil - this.app.now)}`, 'warn');
      case 'failed':
        return this.note(`${id}failed for good (${e.failureClass}): ${e.reason}`, 'bad');
      case 'delayed':
        return this.note(`${id}handed back`, 'info');
      case 'suspended':
        return this.note(`${id}suspended: waiting for an approval`, 'warn');
      case 'lease_lost':
        return this.note(`${id}lease lost (${e.code}): result dropped`, 'bad');
      case 'error':
        return this.note(`${e.op} error${e.code ? ` (${e.code})` : ''}: ${e.message}`, 'bad');
    }
  }

  private note(text: string, tone: string): void {
    this.activity = [{ id: this.nextActivityId++, text, tone }, ...this.activity].slice(0, ACTIVITY_KEPT);
    this.app.invalidate();
  }
}
