/**
 * Growing a flow from the UI: add a member (a new execution, or one that
 * exists), stage a dependency edge between two members (applied at once
 * unless unticked), and set a member's edge-group policy. Each form shows
 * its own last result or error, and a new attempt clears both first, so a
 * stale success never sits next to a fresh failure. Forms skip the
 * browser's own validation: the engine's typed error, shown beside the
 * form, names the field and the rule.
 */
import { html, nothing, type PropertyDeclarations } from 'lit';
import type { EdgeGroupPolicy, FlowDescription } from '../../api/flows.js';
import { DtElement } from '../base.js';
import { defineElement } from '../define.js';
import { ActionResults } from '../ui/action-results.js';

type Scope = 'flow-member' | 'flow-existing' | 'flow-edge' | 'flow-policy';

export class DtFlowForms extends DtElement {
  static override properties: PropertyDeclarations = {
    ...DtElement.properties,
    flow: { attribute: false },
    label: { attribute: false },
    policyKind: { state: true },
  };
  declare flow: FlowDescription;
  declare label: (executionId: string) => string;
  declare policyKind: EdgeGroupPolicy['kind'];
  private readonly results = new ActionResults(this);

  constructor() {
    super();
    this.policyKind = 'all_of';
  }

  override render(): unknown {
    const flow = this.flow;
    const ended = flow.publicFlowState !== 'open' && flow.publicFlowState !== 'running';
    if (ended) return html`<p class="muted small">This flow has ended (${flow.publicFlowState}): it takes no new members or edges.</p>`;
    const options = flow.members.map((m) => html`<option value=${m.executionId}>${this.label(m.executionId)}</option>`);
    return html`<div class="flow-forms">
      <form class="card form" data-testid="flow-member-form" @submit=${(ev: Event) => this.submit(ev, 'flow-member')}>
        <h3>Add a new execution</h3>
        <div class="row">
          <label class="field"><span class="field-label">Lane</span><input data-testid="flow-new-lane" name="lane" value="default" autocomplete="off" /></label>
          <label class="field"><span class="field-label">Label</span><input data-testid="flow-new-label" name="label" placeholder="e.g. resize" autocomplete="off" /></label>
        </div>
        <div class="row actions"><button type="submit" class="primary" data-testid="flow-new-member">Add to flow</button></div>
        ${this.resultLine('flow-member')}${this.errorBox('flow-member')}
      </form>
      <form class="card form" data-testid="flow-existing-form" @submit=${(ev: Event) => this.submit(ev, 'flow-existing')}>
        <h3>Add an existing execution</h3>
        <label class="field"><span class="field-label">Execution id</span><input class="mono wide" data-testid="flow-existing-id" name="execution" placeholder="{fp:0}:…" autocomplete="off" /></label>
        <div class="row actions"><button type="submit" data-testid="flow-add-existing">Add to flow</button></div>
        ${this.resultLine('flow-existing')}${this.errorBox('flow-existing')}
      </form>
      <form class="card form" data-testid="flow-edge-form" @submit=${(ev: Event) => this.submit(ev, 'flow-edge')}>
        <h3>Add a dependency</h3>
        <div class="row">
          <label class="field"><span class="field-label">Upstream</span><select data-testid="flow-edge-upstream" name="upstream">${options}</select></label>
          <label class="field"><span class="field-label">Downstream (waits for it)</span><select data-testid="flow-edge-downstream" name="downstream">${options}</select></label>
        </div>
        <label class="check"><input type="checkbox" data-testid="flow-edge-apply" name="apply" checked /> Apply at once (a staged edge gates nothing until applied)</label>
        <div class="row actions"><button type="submit" class="primary" data-testid="flow-edge-stage" ?disabled=${flow.members.length < 2}>Stage edge</button></div>
        ${this.resultLine('flow-edge')}${this.errorBox('flow-edge')}
      </form>
      <form class="card form" data-testid="flow-policy-form" novalidate @submit=${(ev: Event) => this.submit(ev, 'flow-policy')}>
        <h3>Edge-group policy</h3>
        <div class="row">
          <label class="field"><span class="field-label">Member</span><select data-testid="flow-policy-downstream" name="downstream">${options}</select></label>
          <label class="field"><span class="field-label">Policy</span>
            <select data-testid="flow-policy-kind" name="kind" @change=${(ev: Event) => (this.policyKind = (ev.target as HTMLSelectElement).value as EdgeGroupPolicy['kind'])}>
              <option value="all_of">all_of</option><option value="any_of">any_of</option><option value="quorum">quorum</option>
            </select></label>
          ${this.policyKind === 'quorum' ? html`<label class="field"><span class="field-label">k</span><input type="number" min="1" step="1" value="1" data-testid="flow-policy-k" name="k" /></label>` : nothing}
          ${this.policyKind !== 'all_of'
            ? html`<label class="field"><span class="field-label">Once satisfied</span><select data-testid="flow-policy-on-satisfied" name="onSatisfied">
                <option value="cancel_remaining">cancel the rest</option><option value="let_run">let the rest run</option></select></label>`
            : nothing}
        </div>
        <div class="row actions"><button type="submit" data-testid="flow-policy-set" ?disabled=${flow.members.length === 0}>Set policy</button></div>
        ${this.resultLine('flow-policy')}${this.errorBox('flow-policy')}
      </form>
    </div>`;
  }

  private resultLine(scope: Scope): unknown {
    return this.results.line(scope, 'flow-form-result', 'result');
  }

  private submit(ev: Event, scope: Scope): void {
    ev.preventDefault();
    const form = ev.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const text = (k: string): string => String(data.get(k) ?? '').trim();
    const [action, fn] = this.action(scope, form, text, data.get('apply') !== null);
    void this.results.run(scope, action, fn, (message) => ({ text: message, kind: 'ok' }));
  }

  /** What `scope`'s form does, and the line it answers with. */
  private action(scope: Scope, form: HTMLFormElement, text: (k: string) => string, apply: boolean): [string, () => Promise<string>] {
    const { backend } = this.store;
    const flowId = this.flow.flowId;
    if (scope === 'flow-member') {
      const label = text('label');
      return [
        'Adding a new execution',
        async () => {
          const r = await backend.createExecution({ laneId: text('lane'), flowId, tags: label ? { 'devtools.label': label } : {} });
          (form.querySelector('[name=label]') as HTMLInputElement).value = '';
          return `Added ${label || r.executionId} on lane ${text('lane')}`;
        },
      ];
    }
    if (scope === 'flow-existing') {
      return [
        'Adding the execution',
        async () => {
          const r = await backend.addExecutionToFlow({ flowId, executionId: text('execution') });
          return r.kind === 'added' ? `Added: the flow has ${r.newNodeCount} members` : 'Already a member';
        },
      ];
    }
    if (scope === 'flow-edge') {
      const upstream = text('upstream');
      const downstream = text('downstream');
      return [
        'Adding the dependency',
        async () => {
          const staged = await backend.stageDependencyEdge({ flowId, upstreamExecutionId: upstream, downstreamExecutionId: downstream, expectedGraphRevision: this.flow.graphRevision });
          const what = `${this.label(upstream)} → ${this.label(downstream)}`;
          if (!apply) return `Staged ${what} (not applied)`;
          const applied = await backend.applyDependencyToChild({ flowId, edgeId: staged.edgeId });
          return applied.kind === 'applied' ? `Applied ${what}: its group is ${applied.groupState}` : `Applied ${what}`;
        },
      ];
    }
    const downstream = text('downstream');
    return [
      'Setting the policy',
      async () => {
        const policy = this.policy(text);
        const r = await backend.setEdgeGroupPolicy({ flowId, downstreamExecutionId: downstream, policy });
        return `${this.label(downstream)}: ${policy.kind}, group ${r.groupState}`;
      },
    ];
  }

  private policy(text: (k: string) => string): EdgeGroupPolicy {
    const onSatisfied = text('onSatisfied') === 'let_run' ? 'let_run' : 'cancel_remaining';
    if (this.policyKind === 'any_of') return { kind: 'any_of', onSatisfied };
    // The engine validates k (an integer ≥ 1) and reports a bad one beside this form.
    if (this.policyKind === 'quorum') return { kind: 'quorum', k: Number(text('k')), onSatisfied };
    return { kind: 'all_of' };
  }
}
defineElement('ff-dt-flow-forms', DtFlowForms);
