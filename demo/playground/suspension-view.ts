/**
 * The suspension part of an execution's details: its waitpoints (key, the
 * token as kid + fingerprint, expiry), the resume condition in words, the
 * signals received so far, a countdown to the timeout on the engine clock,
 * and the two ways to wake it: Approve (the operator's approval signal) and
 * a Deliver-signal form that signs nothing itself but presents the
 * waitpoint's real token, read with readWaitpointToken.
 */
import type { BackendEvent, ExecutionDescription, PendingWaitpointInfo, ResumeCondition, SignalDeliveryEvent, SuspensionInfo } from '../../src/index.js';
import type { App } from './app.js';
import { byTestId, field, h, setAttr, setText, syncList, syncOptions } from './dom.js';
import { formatTime, formatUntil, shortId } from './format.js';
import { InlineResult } from './inline-result.js';
import type { WaitpointSecret } from './waitpoint-secret.js';

/** Signal events read back when an execution is selected (newest of the outbox). */
const SIGNAL_BACKLOG = 1000;

const EFFECT_TEXT: Record<string, string> = {
  appended_to_waitpoint: 'appended: recorded, the condition is not met yet',
  resume_condition_satisfied: 'resumed: the condition is met, the execution is resumable',
  timeout_resumed: 'resumed by its timeout',
};

export class SuspensionView {
  readonly el = h('section', { class: 'details-section', testid: 'details-suspension', hidden: true });
  private executionId: string | null = null;
  private signals: SignalDeliveryEvent[] = [];
  private waitpoints: PendingWaitpointInfo[] = [];
  private laneId = '';
  private lastInfo = '';
  private readonly approveResult = new InlineResult('approve-result');
  private readonly signalResult = new InlineResult('signal-result');
  private readonly waitpointSelect = h('select', { testid: 'signal-waitpoint' });
  private readonly signalName = h('input', { value: 'approved', testid: 'signal-name', class: 'mono', autocomplete: 'off', required: true });
  private readonly approve = h('button', { type: 'button', class: 'primary small', testid: 'details-approve', onClick: () => void this.onApprove() }, 'Approve');

  constructor(
    private readonly app: App,
    private readonly secret: WaitpointSecret,
  ) {
    app.onEvent((e) => this.onEvent(e));
    this.el.append(
      h('h4', null, 'Suspension ', h('span', { class: 'chip', testid: 'suspension-state' })),
      h('div', { testid: 'suspension-info' }),
      h('p', { class: 'countdown' }, 'Times out ', h('strong', { testid: 'suspension-countdown' }), h('span', { class: 'muted', testid: 'suspension-timeout' })),
      h('h5', null, 'Waitpoints'),
      h('ul', { class: 'plain-list mono', testid: 'waitpoints' }),
      h('h5', null, 'Signals received'),
      h('ul', { class: 'plain-list', testid: 'signals-received' }),
      h('div', { class: 'row actions' }, this.approve, this.approveResult.el),
      h(
        'form',
        { class: 'form inline-form', testid: 'signal-form', onSubmit: (ev: Event) => void this.onDeliver(ev) },
        field('Waitpoint', this.waitpointSelect),
        field('Signal name', this.signalName),
        h('button', { type: 'submit', class: 'small', testid: 'signal-deliver' }, 'Deliver signal'),
        this.signalResult.el,
      ),
      h('p', { class: 'muted small', testid: 'suspension-secret-note' }),
    );
  }

  /** Another execution was selected: forget this one's signals and results. */
  async select(executionId: string): Promise<void> {
    this.executionId = executionId;
    this.signals = [];
    this.lastInfo = '';
    this.approveResult.clear();
    this.signalResult.clear();
    const head = await this.app.backend.readEvents({ channel: 'signal', afterEventId: 0, limit: 1 });
    const { events } = await this.app.backend.readEvents({ channel: 'signal', afterEventId: Math.max(0, head.lastEventId - SIGNAL_BACKLOG), limit: SIGNAL_BACKLOG });
    if (this.executionId !== executionId) return;
    for (const e of events) if (e.channel === 'signal') this.addSignal(e);
  }

  async update(d: ExecutionDescription, now: number): Promise<void> {
    const executionId = d.executionId;
    const s = await this.app.backend.readSuspension({ executionId });
    const open = s !== null && s.satisfiedAtMs === null;
    this.waitpoints = open ? (await this.app.backend.listPendingWaitpoints({ executionId })).entries : [];
    if (executionId !== this.executionId) return;
    this.laneId = d.laneId;
    // Shown while it has a suspension, or while a result of ours is on screen.
    this.el.hidden = s === null && this.signals.length === 0 && !this.approveResult.el.textContent && !this.signalResult.el.textContent;
    if (this.el.hidden) return;
    const state = s === null ? 'none' : open ? 'waiting' : 'satisfied';
    setText(byTestId(this.el, 'suspension-state'), state === 'none' ? 'ended' : state);
    byTestId(this.el, 'suspension-state').className = `chip suspension-${state}`;
    this.renderInfo(s);
    setText(byTestId(this.el, 'suspension-countdown'), s?.timeoutAtMs != null ? formatUntil(s.timeoutAtMs, now) : 'never');
    setAttr(byTestId(this.el, 'suspension-countdown'), 'data-timeout-at-ms', s?.timeoutAtMs != null ? String(s.timeoutAtMs) : null);
    setText(byTestId(this.el, 'suspension-timeout'), s?.timeoutAtMs != null ? ` (${formatTime(s.timeoutAtMs)}, then ${s.timeoutBehavior})` : '');
    syncList(byTestId(this.el, 'waitpoints'), this.waitpoints, (w) => w.waitpointId, () => h('li', { testid: 'waitpoint' }), (el, w) => setText(el, waitpointText(w, now)));
    syncList(byTestId(this.el, 'signals-received'), this.signals, (e) => String(e.eventId), signalItem, () => {});
    syncOptions(
      this.waitpointSelect,
      this.waitpoints.map((w) => ({ value: w.waitpointId, label: `${w.waitpointKey} (${shortId(w.waitpointId)})` })),
    );
    this.approve.disabled = !open || this.waitpoints.length === 0;
    setText(
      byTestId(this.el, 'suspension-secret-note'),
      `Tokens are HMAC-signed with this database's waitpoint secret (kid ${this.secret.kid ?? '…'})${this.secret.outcome === 'seeded' ? ', which the playground seeded at random because the database had none' : ''}. Snapshots carry it: a dev secret only.`,
    );
  }

  private renderInfo(s: SuspensionInfo | null): void {
    const signature = JSON.stringify(s);
    if (signature === this.lastInfo) return;
    this.lastInfo = signature;
    const info = byTestId(this.el, 'suspension-info');
    if (!s) return info.replaceChildren(h('p', { class: 'muted' }, 'Its suspension is over (resumed, timed out or ended).'));
    info.replaceChildren(
      h(
        'dl',
        { class: 'kv' },
        h('dt', null, 'Waits for'),
        h('dd', { testid: 'suspension-condition' }, conditionText(s.resumeCondition)),
        h('dt', null, 'Reason'),
        h('dd', null, s.reasonCode.replaceAll('_', ' ')),
        h('dt', null, 'Suspended'),
        h('dd', null, formatTime(s.suspendedAtMs)),
        s.satisfiedAtMs !== null ? [h('dt', null, 'Satisfied'), h('dd', null, formatTime(s.satisfiedAtMs))] : null,
        h('dt', null, 'Signals'),
        h('dd', { testid: 'suspension-signal-count' }, `${s.signalsReceived} received`),
      ),
    );
  }

  private onEvent(e: BackendEvent): void {
    if (e.channel === 'signal' && e.executionId === this.executionId) this.addSignal(e);
  }

  private addSignal(e: SignalDeliveryEvent): void {
    if (this.signals.some((s) => s.eventId === e.eventId)) return;
    this.signals = [...this.signals, e].sort((a, b) => a.eventId - b.eventId);
    this.app.invalidate();
  }

  /** The operator's approval: no token needed, the lane must match. */
  private async onApprove(): Promise<void> {
    const executionId = this.executionId;
    const wp = this.approvalWaitpoint();
    if (!executionId) return;
    await this.approveResult.run(
      async () => {
        if (!wp) throw { code: 'not_found', message: 'no open waitpoint to approve on' };
        return this.app.backend.deliverApprovalSignal({ executionId, laneId: this.laneId, waitpointId: wp.waitpointId, signalName: 'approved', sourceIdentity: 'playground operator' });
      },
      (r) => ({ text: `${EFFECT_TEXT[r.effect] ?? r.effect}${r.duplicate ? ' (duplicate)' : ''}`, kind: r.effect }),
    );
    this.app.invalidate();
  }

  /** A signal as an outside party sends it: with the waitpoint's real token. */
  private async onDeliver(ev: Event): Promise<void> {
    ev.preventDefault();
    const executionId = this.executionId;
    const waitpointId = this.waitpointSelect.value;
    const signalName = this.signalName.value.trim();
    if (!executionId) return;
    await this.signalResult.run(
      async () => {
        if (!waitpointId) throw { code: 'not_found', message: 'no open waitpoint: the execution is not waiting on one' };
        const token = await this.app.backend.readWaitpointToken({ waitpointId });
        if (token === null) throw { code: 'not_found', message: 'the waitpoint is gone (satisfied, resumed or expired)' };
        return this.app.backend.deliverSignal({ executionId, waitpointId, waitpointToken: token, signalName, sourceIdentity: 'playground form' });
      },
      (r) => ({ text: `'${signalName}' ${EFFECT_TEXT[r.effect] ?? r.effect}${r.duplicate ? ' (duplicate)' : ''}`, kind: r.effect }),
    );
    this.app.invalidate();
  }

  /** The waitpoint an approval condition names, else the first open one. */
  private approvalWaitpoint(): PendingWaitpointInfo | undefined {
    return this.waitpoints.find((w) => w.requiredSignalNames.includes('approved')) ?? this.waitpoints[0];
  }
}

export function conditionText(c: ResumeCondition): string {
  switch (c.kind) {
    case 'approval':
      return `an approval: a signal named 'approved'${c.waitpointKey ? ` on waitpoint '${c.waitpointKey}'` : ''} (a 'rejected' one is recorded and does not resume)`;
    case 'signals': {
      const names = c.signals.map((s) => `'${s.name}'${s.waitpointKey ? ` on '${s.waitpointKey}'` : ''}`).join(', ');
      return c.mode === 'all_of' ? `all of: ${names}` : `any one of: ${names}`;
    }
    case 'operator_only':
      return 'no signal: only an operator resume (or a resume timeout)';
  }
}

function waitpointText(w: PendingWaitpointInfo, now: number): string {
  const expiry = w.expiresAtMs === null ? 'never expires' : `expires ${formatUntil(w.expiresAtMs, now)}`;
  const wants = w.requiredSignalNames.length ? ` · wants ${w.requiredSignalNames.join(', ')}` : '';
  return `${w.waitpointKey} · ${w.state} · token ${w.tokenKid}:${w.tokenFingerprint}… · ${expiry}${wants}`;
}

function signalItem(e: SignalDeliveryEvent): HTMLElement {
  const from = e.sourceIdentity ? ` from ${e.sourceIdentity}` : '';
  return h('li', { testid: 'signal-received', 'data-effect': e.effect }, `${e.signalName ?? 'timeout'}${from} · ${e.effect.replaceAll('_', ' ')}`);
}
