/**
 * The operator controls of the drawer: change the priority (the engine
 * allows it only while the execution waits to be claimed), revoke the
 * lease, and reclaim an execution whose lease expired or was revoked: a
 * reclaim grant for the worker named in the form, redeemed at once, so the
 * execution runs a new attempt under that worker's new lease. The engine
 * decides what is allowed: the priority and revoke controls stay enabled
 * and a refusal says why, beside the control.
 */
import { html, nothing, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import type { ExecutionDescription } from '../../api/reads.js';
import type { ReclaimExecutionResult } from '../../api/reclaim.js';
import { DtElement } from '../base.js';
import { splitList } from '../ui/form-parts.js';
import { defineElement } from '../define.js';
import { ActionResults } from '../ui/action-results.js';

const PRIORITY = 'details-priority';
const REVOKE = 'details-revoke';
const RECLAIM = 'details-reclaim';
/** How long the reclaim grant lives: it is redeemed at once, so this only has to cover the round trip. */
const GRANT_TTL_MS = 60_000;

export class DtOperatorControls extends DtElement {
  static override properties: PropertyDeclarations = { description: { attribute: false } };
  declare description: ExecutionDescription | null;
  private readonly results = new ActionResults(this);
  /** The execution the inputs were filled for; they are refilled only when another one is opened. */
  private filledFor = '';

  constructor() {
    super();
    this.description = null;
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    const d = this.description;
    if (!d || d.executionId === this.filledFor) return;
    this.filledFor = d.executionId;
    this.results.clear([PRIORITY, REVOKE, RECLAIM]);
    this.input('details-priority-input').value = String(d.priority);
    const caps = this.querySelector<HTMLInputElement>('[data-testid="reclaim-capabilities"]');
    if (caps) caps.value = d.requiredCapabilities.join(', ');
    this.requestUpdate();
  }

  override render(): unknown {
    const d = this.description;
    if (!d) return nothing;
    return html`<section class="details-section operator-controls" data-testid="details-operator">
      <h4>Operator controls</h4>
      <form class="inline-form" data-testid="priority-form" @submit=${this.changePriority}>
        <label class="field"><span class="field-label">Priority</span><input type="number" step="1" class="narrow" data-testid="details-priority-input" /></label>
        <button type="submit" class="small" data-testid="details-change-priority">Change priority</button>
        ${this.results.line(PRIORITY, 'priority-result')}
      </form>
      ${this.errorBox(PRIORITY)}
      <div class="inline-form" data-testid="revoke-form">
        <button type="button" class="small danger" data-testid="details-revoke-lease" @click=${this.revoke}>Revoke lease</button>
        <span class="muted small">The worker loses it at its next call; then the execution can be reclaimed.</span>
        ${this.results.line(REVOKE, 'revoke-result')}
      </div>
      ${this.errorBox(REVOKE)} ${this.reclaimTemplate(d)}
    </section>`;
  }

  /** Shown only while there is something to reclaim (or the answer to the last reclaim is on screen). */
  private reclaimTemplate(d: ExecutionDescription): TemplateResult {
    const ownership = d.stateVector.ownershipState;
    const reclaimable = d.stateVector.lifecyclePhase === 'active' && (ownership === 'lease_expired_reclaimable' || ownership === 'lease_revoked');
    const shown = reclaimable || this.results.has(RECLAIM) || this.store.errorFor(RECLAIM) !== undefined;
    return html`<form class="reclaim-form" data-testid="reclaim-form" ?hidden=${!shown} @submit=${this.reclaim}>
      <h5>Reclaim</h5>
      ${reclaimable
        ? html`<p class="muted small">
            ${ownership === 'lease_revoked' ? 'Its lease was revoked.' : 'Its lease expired.'} Reclaim it as a worker: a grant is issued to that worker and redeemed at once, opening
            a new attempt under a new lease epoch. That worker's code must then finish it, or the new lease runs out too.
          </p>`
        : nothing}
      <div class="inline-form">
        <label class="field"><span class="field-label">Worker id</span><input class="mono" data-testid="reclaim-worker-id" value="devtools-operator" required autocomplete="off" /></label>
        <label class="field"><span class="field-label">Instance id</span><input class="mono" data-testid="reclaim-instance-id" value="devtools-operator-1" required autocomplete="off" /></label>
        <label class="field"><span class="field-label">Capabilities</span><input class="mono" data-testid="reclaim-capabilities" placeholder="none" autocomplete="off" /></label>
        <label class="field"><span class="field-label">Lease (s)</span><input type="number" min="1" step="1" class="narrow" data-testid="reclaim-lease-s" value="30" /></label>
        <button type="submit" class="small primary" data-testid="details-reclaim" ?disabled=${!reclaimable}>Reclaim</button>
        ${this.results.line(RECLAIM, 'reclaim-result')}
      </div>
      ${this.errorBox(RECLAIM)}
    </form>`;
  }

  private input(testid: string): HTMLInputElement {
    return this.querySelector<HTMLInputElement>(`[data-testid="${testid}"]`)!;
  }

  private readonly changePriority = (ev: Event): void => {
    ev.preventDefault();
    const d = this.description;
    if (!d) return;
    const text = this.input('details-priority-input').value.trim();
    void this.results.run(
      PRIORITY,
      'Changing the priority',
      // An empty or fractional box goes to the engine as it is: its validation error is the answer.
      () => this.store.backend.changePriority({ executionId: d.executionId, priority: text === '' ? Number.NaN : Number(text) }),
      (r) => ({ text: `priority ${r.previousPriority} → ${r.priority}`, kind: r.kind }),
    );
  };

  private readonly revoke = (): void => {
    const d = this.description;
    if (!d) return;
    void this.results.run(
      REVOKE,
      'Revoking the lease',
      () => this.store.backend.revokeLease({ executionId: d.executionId, reason: 'revoked from the devtools' }),
      (r) =>
        r.kind === 'revoked'
          ? { text: `revoked lease epoch ${r.leaseEpoch} of attempt ${r.attemptIndex + 1}${r.workerInstanceId ? ` (held by ${r.workerInstanceId})` : ''}`, kind: r.kind }
          : { text: `nothing to revoke: ${r.reason.replaceAll('_', ' ')}`, kind: r.reason },
    );
  };

  private readonly reclaim = (ev: Event): void => {
    ev.preventDefault();
    const d = this.description;
    if (!d) return;
    const workerId = this.input('reclaim-worker-id').value.trim();
    const workerInstanceId = this.input('reclaim-instance-id').value.trim();
    const capabilities = splitList(this.input('reclaim-capabilities').value);
    const leaseS = Number(this.input('reclaim-lease-s').value);
    void this.results.run(
      RECLAIM,
      'Reclaiming the execution',
      async (): Promise<ReclaimExecutionResult> => {
        const backend = this.store.backend;
        const grant = await backend.issueReclaimGrant({ executionId: d.executionId, workerId, workerInstanceId, laneId: d.laneId, capabilities, grantTtlMs: GRANT_TTL_MS });
        if (grant.kind !== 'granted') return { kind: 'not_reclaimable', detail: grant.detail };
        return backend.reclaimExecution({ executionId: d.executionId, workerId, workerInstanceId, leaseTtlMs: Math.round(leaseS * 1000), grantKey: grant.grantKey });
      },
      (r) => ({ text: reclaimText(r), kind: r.kind }),
    );
  };
}

function reclaimText(r: ReclaimExecutionResult): string {
  switch (r.kind) {
    case 'claimed':
      return `reclaimed: attempt ${r.handle.attemptIndex + 1} under lease epoch ${r.handle.leaseEpoch}, held by ${r.handle.workerInstanceId}`;
    case 'grant_not_found':
      return 'the grant was gone before it could be redeemed';
    case 'not_reclaimable':
      return `not reclaimable: ${r.detail}`;
    case 'reclaim_cap_exceeded':
      return `the reclaim cap was reached after ${r.reclaimCount} reclaims: the execution has failed`;
  }
}
defineElement('ff-dt-operator-controls', DtOperatorControls);
