/**
 * One quota policy as a row: its rate window and its concurrency, each as a
 * meter. A limit of 0 means "no limit": that meter draws no fill (a full bar
 * would read as "exhausted") and says so.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import type { QuotaPolicyInfo } from '../../api/quotas.js';
import { formatDuration, formatNumber } from '../format.js';

export function quotaRow(p: QuotaPolicyInfo): TemplateResult {
  const window = formatDuration(p.windowSeconds * 1000);
  return html`<div class="quota-row" data-testid="quota-row" data-quota-id=${p.quotaPolicyId}>
    <span class="mono quota-name" title=${p.quotaPolicyId}>${p.quotaPolicyId}</span>
    ${meter(
      'Window',
      'quota-window-usage',
      p.admissionsInWindow,
      p.maxRequestsPerWindow,
      p.maxRequestsPerWindow > 0 ? `${formatNumber(p.admissionsInWindow)} / ${formatNumber(p.maxRequestsPerWindow)} in ${window}` : `${formatNumber(p.admissionsInWindow)} in ${window}, no limit`,
    )}
    ${meter(
      'Concurrency',
      'quota-concurrency-usage',
      p.activeConcurrency,
      p.maxConcurrent,
      p.maxConcurrent > 0 ? `${formatNumber(p.activeConcurrency)} / ${formatNumber(p.maxConcurrent)} held` : `${formatNumber(p.activeConcurrency)} held, no limit`,
    )}
  </div>`;
}

function meter(label: string, testid: string, used: number, max: number, text: string): TemplateResult {
  const limited = max > 0;
  const full = limited && used >= max;
  return html`<div class="meter" data-limited=${limited ? 'true' : 'false'}>
    <span class="stat-label">${label}</span>
    <div class="bar ${limited ? '' : 'unlimited'}" aria-hidden="true">
      ${limited ? html`<div class="bar-fill ${full ? 'at-hard' : 'ok'}" data-testid="meter-fill" style=${styleMap({ width: `${Math.min(100, (used / max) * 100)}%` })}></div>` : nothing}
    </div>
    <span class="meter-text" data-testid=${testid}>${text}</span>
  </div>`;
}
