/**
 * The operator controls of an execution's details: change its priority
 * (only while it waits to be claimed) and revoke its lease (only while a
 * worker holds one). Each answer, result or typed error, shows beside its
 * control; the engine decides what is allowed, so the controls stay enabled
 * and a refused action says why.
 */
import type { ExecutionDescription } from '../../src/index.js';
import type { App } from './app.js';
import { h } from './dom.js';
import { InlineResult } from './inline-result.js';

export class OperatorControls {
  readonly el: HTMLElement;
  private executionId: string | null = null;
  private readonly priority = h('input', { type: 'number', step: '1', testid: 'details-priority-input', class: 'narrow' });
  private readonly priorityResult = new InlineResult('priority-result');
  private readonly revokeResult = new InlineResult('revoke-result');

  constructor(private readonly app: App) {
    this.el = h(
      'section',
      { class: 'details-section operator-controls', testid: 'details-operator' },
      h('h4', null, 'Operator controls'),
      h(
        'form',
        { class: 'inline-form', testid: 'priority-form', onSubmit: (ev: Event) => void this.changePriority(ev) },
        h('label', { class: 'field' }, h('span', { class: 'field-label' }, 'Priority'), this.priority),
        h('button', { type: 'submit', class: 'small', testid: 'details-change-priority' }, 'Change priority'),
        this.priorityResult.el,
      ),
      h(
        'div',
        { class: 'inline-form' },
        h('button', { type: 'button', class: 'small danger', testid: 'details-revoke-lease', onClick: () => void this.revoke() }, 'Revoke lease'),
        h('span', { class: 'muted small' }, 'The worker loses it at its next call; the execution is reclaimed later.'),
        this.revokeResult.el,
      ),
    );
  }

  select(d: ExecutionDescription): void {
    this.executionId = d.executionId;
    this.priority.value = String(d.priority);
    this.priorityResult.clear();
    this.revokeResult.clear();
  }

  private async changePriority(ev: Event): Promise<void> {
    ev.preventDefault();
    const executionId = this.executionId;
    if (!executionId) return;
    const text = this.priority.value.trim();
    await this.priorityResult.run(
      // An empty or fractional box goes to the engine as it is: its validation error is the answer.
      () => this.app.backend.changePriority({ executionId, priority: text === '' ? Number.NaN : Number(text) }),
      (r) => ({ text: `priority ${r.previousPriority} → ${r.priority}`, kind: r.kind }),
    );
    this.app.invalidate();
  }

  private async revoke(): Promise<void> {
    const executionId = this.executionId;
    if (!executionId) return;
    await this.revokeResult.run(
      () => this.app.backend.revokeLease({ executionId, reason: 'revoked from the playground' }),
      (r) =>
        r.kind === 'revoked'
          ? { text: `revoked lease epoch ${r.leaseEpoch} of attempt ${r.attemptIndex + 1}${r.workerInstanceId ? ` (held by ${r.workerInstanceId})` : ''}`, kind: r.kind }
          : { text: `nothing to revoke: ${r.reason.replaceAll('_', ' ')}`, kind: r.reason },
    );
    this.app.invalidate();
  }
}
