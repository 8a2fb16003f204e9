/**
 * The suspension part of the drawer: the waitpoints (key, the token as kid
 * and fingerprint, expiry), the resume condition in words, the signals
 * received, a countdown to the timeout on the engine clock, and the two
 * ways to wake it: Approve (the operator's approval signal, no token
 * needed) and a Deliver-signal form that presents the waitpoint's real
 * token, as an outside party would. Signals are read from the signal
 * outbox after a cursor on every refresh, so the list needs no
 * subscription of its own.
 */
import { html, nothing, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import type { SignalDeliveryEvent } from '../../api/events.js';
import type { ExecutionDescription } from '../../api/reads.js';
import type { PendingWaitpointInfo, SuspensionInfo } from '../../api/suspension.js';
import { EngineError } from '../../api/errors.js';
import { DtElement } from '../base.js';
import { defineElement } from '../define.js';
import { formatTime, formatUntil, shortId } from '../format.js';
import type { View } from '../store.js';
import { ActionResults } from '../ui/action-results.js';
import { conditionText, EFFECT_TEXT, signalText, waitpointText } from './suspension-text.js';

/** Signal events read back when an execution is opened (the newest of the outbox). */
const SIGNAL_BACKLOG = 1000;
const APPROVE = 'details-approve';
const DELIVER = 'details-deliver';

export class DtSuspension extends DtElement {
  static override properties: PropertyDeclarations = {
    description: { attribute: false },
    suspension: { state: true },
    waitpoints: { state: true },
    signals: { state: true },
  };
  declare description: ExecutionDescription | null;
  declare suspension: SuspensionInfo | null;
  declare waitpoints: PendingWaitpointInfo[];
  declare signals: SignalDeliveryEvent[];
  private readonly results = new ActionResults(this);
  private executionId = '';
  /** The last signal event read; null until the backlog of the opened execution is read. */
  private signalCursor: number | null = null;

  constructor() {
    super();
    this.description = null;
    this.suspension = null;
    this.waitpoints = [];
    this.signals = [];
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    const id = this.description?.executionId ?? '';
    if (id !== this.executionId) {
      this.executionId = id;
      this.suspension = null;
      this.waitpoints = [];
      this.signals = [];
      this.signalCursor = null;
      this.results.clear([APPROVE, DELIVER]);
    }
  }

  override async load(_view: View): Promise<void> {
    const executionId = this.executionId;
    if (!executionId) return;
    const backend = this.store.backend;
    const [s, events] = await Promise.all([backend.readSuspension({ executionId }), this.readSignals()]);
    const open = s !== null && s.satisfiedAtMs === null;
    const waitpoints = open ? (await backend.listPendingWaitpoints({ executionId })).entries : [];
    if (executionId !== this.executionId) return;
    this.suspension = s;
    this.waitpoints = waitpoints;
    const fresh = events.filter((e) => e.executionId === executionId && !this.signals.some((x) => x.eventId === e.eventId));
    if (fresh.length) this.signals = [...this.signals, ...fresh].sort((a, b) => a.eventId - b.eventId);
  }

  private async readSignals(): Promise<SignalDeliveryEvent[]> {
    const backend = this.store.backend;
    if (this.signalCursor === null) {
      const head = await backend.readEvents({ channel: 'signal', afterEventId: 0, limit: 1 });
      this.signalCursor = Math.max(0, head.lastEventId - SIGNAL_BACKLOG);
    }
    const { events } = await backend.readEvents({ channel: 'signal', afterEventId: this.signalCursor, limit: SIGNAL_BACKLOG });
    const last = events.at(-1);
    if (last) this.signalCursor = last.eventId;
    return events.filter((e): e is SignalDeliveryEvent => e.channel === 'signal');
  }

  override render(): unknown {
    const s = this.suspension;
    const anyAnswer = this.results.has(APPROVE) || this.results.has(DELIVER) || this.store.errorFor(APPROVE) || this.store.errorFor(DELIVER);
    if (!this.description || (s === null && this.signals.length === 0 && !anyAnswer)) return nothing;
    const now = this.store.now;
    const open = s !== null && s.satisfiedAtMs === null;
    const state = s === null ? 'none' : open ? 'waiting' : 'satisfied';
    const kid = this.waitpoints[0]?.tokenKid;
    return html`<section class="details-section" data-testid="details-suspension">
      <h4>Suspension <span class="chip suspension-${state}" data-testid="suspension-state">${state === 'none' ? 'ended' : state}</span></h4>
      ${s ? this.infoTemplate(s) : html`<p class="muted">Its suspension is over (resumed, timed out or ended).</p>`}
      <p class="countdown">
        Times out
        <strong data-testid="suspension-countdown" data-timeout-at-ms=${s?.timeoutAtMs ?? nothing}>${s?.timeoutAtMs != null ? formatUntil(s.timeoutAtMs, now) : 'never'}</strong
        ><span class="muted" data-testid="suspension-timeout">${s?.timeoutAtMs != null ? ` (${formatTime(s.timeoutAtMs)}, then ${s.timeoutBehavior})` : ''}</span>
      </p>
      <h5>Waitpoints</h5>
      <ul class="plain-list mono" data-testid="waitpoints">
        ${this.waitpoints.map((w) => html`<li data-testid="waitpoint">${waitpointText(w, now)}</li>`)}
      </ul>
      <h5>Signals received</h5>
      <ul class="plain-list" data-testid="signals-received">
        ${this.signals.map((e) => html`<li data-testid="signal-received" data-effect=${e.effect}>${signalText(e)}</li>`)}
      </ul>
      <div class="row actions">
        <button type="button" class="primary small" data-testid="details-approve" ?disabled=${!open || this.waitpoints.length === 0} @click=${this.approve}>Approve</button>
        ${this.results.line(APPROVE, 'approve-result')}
      </div>
      ${this.errorBox(APPROVE)}
      <form class="form inline-form" data-testid="signal-form" @submit=${this.deliver}>
        <label class="field"
          ><span class="field-label">Waitpoint</span
          ><select data-testid="signal-waitpoint">
            ${this.waitpoints.map((w) => html`<option value=${w.waitpointId}>${w.waitpointKey} (${shortId(w.waitpointId)})</option>`)}
          </select></label
        >
        <label class="field"><span class="field-label">Signal name</span><input class="mono" data-testid="signal-name" value="approved" required autocomplete="off" /></label>
        <button type="submit" class="small" data-testid="signal-deliver">Deliver signal</button>
        ${this.results.line(DELIVER, 'signal-result')}
      </form>
      ${this.errorBox(DELIVER)}
      <p class="muted small" data-testid="suspension-secret-note">
        Tokens are HMAC-signed with this database's waitpoint secret${kid ? ` (kid ${kid})` : ''}. Snapshots carry the secret: use it for development only.
      </p>
    </section>`;
  }

  private infoTemplate(s: SuspensionInfo): TemplateResult {
    return html`<dl class="kv" data-testid="suspension-info">
      <dt>Waits for</dt>
      <dd data-testid="suspension-condition">${conditionText(s.resumeCondition)}</dd>
      <dt>Reason</dt>
      <dd>${s.reasonCode.replaceAll('_', ' ')}</dd>
      <dt>Suspended</dt>
      <dd>${formatTime(s.suspendedAtMs)}</dd>
      ${s.satisfiedAtMs !== null ? html`<dt>Satisfied</dt><dd>${formatTime(s.satisfiedAtMs)}</dd>` : nothing}
      <dt>Signals</dt>
      <dd data-testid="suspension-signal-count">${s.signalsReceived} received</dd>
    </dl>`;
  }

  /** The operator's approval: no token needed, the lane must match. It goes to the waitpoint the condition names, else the first. */
  private readonly approve = (): void => {
    const d = this.description;
    if (!d) return;
    const wp = this.waitpoints.find((w) => w.requiredSignalNames.includes('approved')) ?? this.waitpoints[0];
    void this.results.run(
      APPROVE,
      'Approving',
      async () => {
        if (!wp) throw new EngineError('not_found', 'no open waitpoint to approve on');
        return this.store.backend.deliverApprovalSignal({ executionId: d.executionId, laneId: d.laneId, waitpointId: wp.waitpointId, signalName: 'approved', sourceIdentity: 'devtools operator' });
      },
      (r) => ({ text: `${EFFECT_TEXT[r.effect] ?? r.effect}${r.duplicate ? ' (duplicate)' : ''}`, kind: r.effect }),
    );
  };

  /** A signal as an outside party sends it: with the waitpoint's real token. */
  private readonly deliver = (ev: Event): void => {
    ev.preventDefault();
    const d = this.description;
    if (!d) return;
    const waitpointId = this.querySelector<HTMLSelectElement>('[data-testid="signal-waitpoint"]')?.value ?? '';
    const signalName = this.querySelector<HTMLInputElement>('[data-testid="signal-name"]')?.value.trim() ?? '';
    void this.results.run(
      DELIVER,
      'Delivering the signal',
      async () => {
        if (!waitpointId) throw new EngineError('not_found', 'no open waitpoint: the execution is not waiting on one');
        const token = await this.store.backend.readWaitpointToken({ waitpointId });
        if (token === null) throw new EngineError('not_found', 'the waitpoint is gone (satisfied, resumed or expired)');
        return this.store.backend.deliverSignal({ executionId: d.executionId, waitpointId, waitpointToken: token, signalName, sourceIdentity: 'devtools form' });
      },
      (r) => ({ text: `'${signalName}' ${EFFECT_TEXT[r.effect] ?? r.effect}${r.duplicate ? ' (duplicate)' : ''}`, kind: r.effect }),
    );
  };
}
defineElement('ff-dt-suspension', DtSuspension);
