/**
 * The selected execution, in full: state vector, retry policy, every
 * attempt (worker, lease epoch, outcome, failure reason), payload and
 * result; with cancel and replay. Below it, kept across re-renders so their
 * inputs and answers stay put: the operator controls, the suspension
 * (waitpoints, signals, countdown) and the stream with its summary.
 */
import type { AttemptInfo, ExecutionDescription, Payload } from '../../src/index.js';
import type { App, View } from './app.js';
import { h } from './dom.js';
import { formatTime, formatUntil } from './format.js';
import { OperatorControls } from './operator-controls.js';
import { StreamView } from './stream-view.js';
import { SuspensionView } from './suspension-view.js';

export class ExecutionDetails {
  readonly el = h('aside', { class: 'card details', testid: 'exec-details', hidden: true, 'aria-live': 'polite' });
  private executionId: string | null = null;
  private lastRendered = '';
  /** Set on selection: the sections are reset from the first description read. */
  private fresh = false;
  private readonly main = h('div', { testid: 'details-main' });
  private readonly operator: OperatorControls;
  private readonly suspension: SuspensionView;
  private readonly stream: StreamView;

  constructor(private readonly app: App) {
    this.operator = new OperatorControls(app);
    this.suspension = new SuspensionView(app, app.waitpointSecret);
    this.stream = new StreamView(app);
    this.el.append(this.main, this.operator.el, this.suspension.el, this.stream.el);
  }

  get selectedId(): string | null {
    return this.executionId;
  }

  show(executionId: string): void {
    this.executionId = executionId;
    this.lastRendered = '';
    this.fresh = true;
    this.el.hidden = false;
    this.stream.select(executionId);
    void this.suspension.select(executionId).catch((err: unknown) => this.app.notices.error(err, 'Reading the signals'));
    this.app.invalidate();
  }

  hide(): void {
    this.executionId = null;
    this.el.hidden = true;
    this.main.replaceChildren();
  }

  async refresh(view: View): Promise<void> {
    if (!this.executionId) return;
    const d = await this.app.backend.describeExecution({ executionId: this.executionId });
    if (!d) return this.hide();
    if (d.executionId !== this.executionId) return;
    if (this.fresh) {
      this.fresh = false;
      this.operator.select(d);
    }
    await Promise.all([this.suspension.update(d, view.now), this.stream.update(d)]);
    // Re-render only on change (plus countdowns), so text stays selectable.
    const signature = JSON.stringify([d, d.publicState === 'active' || d.publicState === 'delayed' ? Math.floor(view.now / 1000) : 0]);
    if (signature === this.lastRendered) return;
    this.lastRendered = signature;
    this.main.replaceChildren(...this.render(d, view.now));
  }

  private render(d: ExecutionDescription, now: number): Node[] {
    const ended = d.stateVector.lifecyclePhase === 'terminal';
    const v = d.stateVector;
    return [
      h(
        'header',
        { class: 'card-head' },
        h('h3', null, 'Execution ', h('code', { class: 'mono', testid: 'details-id' }, d.executionId)),
        h('span', { class: `chip state-${d.publicState}`, testid: 'details-state' }, d.publicState),
        h(
          'span',
          { class: 'spacer' },
          ended
            ? h('button', { type: 'button', class: 'small', testid: 'details-replay', onClick: () => void this.replay(d.executionId) }, 'Replay')
            : h('button', { type: 'button', class: 'small danger', testid: 'details-cancel', onClick: () => void this.cancel(d.executionId) }, 'Cancel'),
          h('button', { type: 'button', class: 'ghost small', testid: 'details-close', 'aria-label': 'Close details', onClick: () => this.hide() }, '✕'),
        ),
      ),
      h(
        'dl',
        { class: 'kv' },
        kv('Lane', d.laneId),
        kv('Priority', String(d.priority)),
        kv('Created', formatTime(d.createdAtMs)),
        d.eligibleAtMs !== null && d.publicState === 'delayed' ? kv('Eligible', `${formatTime(d.eligibleAtMs)} (${formatUntil(d.eligibleAtMs, now)})`) : null,
        kv('State vector', `${v.lifecyclePhase} · ${v.ownershipState} · ${v.eligibilityState} · ${v.blockingReason} · ${v.attemptState}`),
        kv('Retry policy', retryText(d.retryPolicy)),
        d.requiredCapabilities.length ? kv('Needs', d.requiredCapabilities.join(', ')) : null,
        d.progress.percent !== null || d.progress.message ? kv('Progress', `${d.progress.percent ?? '–'} % ${d.progress.message ?? ''}`) : null,
        d.payload !== null ? kv('Payload', payloadText(d.payload)) : null,
        d.result !== null ? kv('Result', payloadText(d.result)) : null,
        d.lastFailureReason ? kv('Last failure', d.lastFailureReason) : null,
        d.cancellationReason ? kv('Cancelled', d.cancellationReason) : null,
      ),
      d.attempts.length === 0
        ? h('p', { class: 'muted' }, 'No attempts yet: start the in-page worker, or claim it from your own code.')
        : h(
            'table',
            { class: 'attempts', testid: 'details-attempts' },
            h('thead', null, h('tr', null, ['#', 'Type', 'Worker', 'Epoch', 'Started', 'Lease / ended', 'Outcome'].map((t) => h('th', null, t)))),
            h('tbody', null, d.attempts.map((a) => attemptRow(a, now))),
          ),
    ];
  }

  private async cancel(executionId: string): Promise<void> {
    const r = await this.app.act('Cancelling the execution', () => this.app.backend.cancelExecution({ executionId, reason: 'cancelled from the playground' }));
    if (r) this.app.notices.toast(r.kind === 'cancelled' ? 'Cancelled (its lease, if any, is revoked)' : `Nothing to cancel: ${r.kind}`, 'ok');
  }

  private async replay(executionId: string): Promise<void> {
    const r = await this.app.act('Replaying the execution', () => this.app.backend.replayExecution({ executionId }));
    if (r) this.app.notices.toast(`Replayed: now ${r.publicState}`, 'ok');
  }
}

function kv(key: string, value: string): HTMLElement[] {
  return [h('dt', null, key), h('dd', null, value)];
}

function attemptRow(a: AttemptInfo, now: number): HTMLElement {
  const lease = a.terminalAtMs !== null ? formatTime(a.terminalAtMs) : a.leaseExpiresAtMs !== null ? `lease ends ${formatUntil(a.leaseExpiresAtMs, now)}` : '—';
  return h(
    'tr',
    { testid: 'attempt-row' },
    h('td', null, String(a.attemptIndex + 1)),
    h('td', null, a.attemptType),
    h('td', { class: 'mono' }, a.workerInstanceId ?? '—'),
    h('td', null, String(a.leaseEpoch)),
    h('td', null, formatTime(a.startedAtMs)),
    h('td', null, lease),
    h('td', null, h('span', { class: `chip outcome-${a.outcome ?? 'running'}` }, a.outcome ?? 'running'), a.failureReason ? h('span', { class: 'muted' }, ` ${a.failureReason}`) : null),
  );
}

function retryText(policy: unknown): string {
  if (!policy || typeof policy !== 'object') return 'none: a failure is final';
  const p = policy as { maxRetries?: number; backoff?: { type?: string; delayMs?: number; initialDelayMs?: number; multiplier?: number; maxDelayMs?: number } };
  const b = p.backoff ?? {};
  const backoff = b.type === 'exponential' ? `exponential from ${b.initialDelayMs} ms ×${b.multiplier} up to ${b.maxDelayMs} ms` : `fixed ${b.delayMs} ms`;
  return `${p.maxRetries ?? 0} retries, ${backoff}`;
}

function payloadText(payload: Payload): string {
  if (typeof payload === 'string') return payload.length > 300 ? `${payload.slice(0, 300)}…` : payload;
  return `${payload.byteLength} bytes`;
}
