/**
 * The edge groups of a flow: one per downstream member with an applied
 * edge, with its policy in words and its counters (how many upstreams
 * succeeded, failed, were skipped or are still running), and the cancel
 * backlog a `let_active_finish` cancel leaves.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { EdgeGroupInfo, EdgeGroupPolicy, FlowDescription } from '../../api/flows.js';

export function policyText(policy: EdgeGroupPolicy): string {
  switch (policy.kind) {
    case 'all_of':
      return 'all of its upstreams must succeed';
    case 'any_of':
      return `any one upstream succeeding is enough (then ${policy.onSatisfied === 'let_run' ? 'the others run on' : 'the others are cancelled'})`;
    case 'quorum':
      return `${policy.k} upstream${policy.k === 1 ? '' : 's'} must succeed (then ${policy.onSatisfied === 'let_run' ? 'the others run on' : 'the others are cancelled'})`;
  }
}

export function groupsTemplate(flow: FlowDescription, label: (executionId: string) => string): TemplateResult {
  return html`<h3 class="flow-section">Edge groups</h3>
    ${flow.groups.length === 0
      ? html`<p class="empty-note muted" data-testid="flow-groups-empty">No edge groups yet: a group forms when the first edge into a member is applied.</p>`
      : html`<div class="table-wrap"><table data-testid="flow-groups">
          <thead><tr><th scope="col">Downstream</th><th scope="col">Policy</th><th scope="col">State</th><th scope="col">Succeeded</th><th scope="col">Failed</th><th scope="col">Skipped</th><th scope="col">Running</th><th scope="col">Total</th></tr></thead>
          <tbody>${flow.groups.map((g) => groupRow(g, label))}</tbody>
        </table></div>`}
    ${flow.cancelBacklog
      ? html`<p class="small" data-testid="flow-backlog">Cancel backlog (${flow.cancelBacklog.cancellationPolicy}): ${flow.cancelBacklog.memberExecutionIds.map(label).join(', ') || 'empty'}</p>`
      : nothing}`;
}

function groupRow(g: EdgeGroupInfo, label: (executionId: string) => string): TemplateResult {
  return html`<tr data-testid="flow-group" data-downstream=${g.downstreamExecutionId} data-state=${g.state}>
    <td>${label(g.downstreamExecutionId)}</td>
    <td><code>${g.policy.kind}</code> <span class="muted small">${policyText(g.policy)}</span></td>
    <td><span class="chip group-${g.state}" data-testid="group-state">${g.state}</span></td>
    <td data-testid="group-success">${g.successCount}</td>
    <td>${g.failCount}</td>
    <td>${g.skipCount}</td>
    <td data-testid="group-running">${g.runningCount}</td>
    <td>${g.total}</td>
  </tr>`;
}
