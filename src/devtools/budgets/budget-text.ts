/**
 * Budgets in words: a history entry (reset, breach, soft breach) and the
 * outcome of a usage report. Kept apart from the templates so the card and
 * the report form stay short.
 */
import type { BudgetEvent, ReportUsageResult, UsageOutcome } from '../../api/budgets.js';
import { formatNumber } from '../format.js';

export type Tone = 'ok' | 'warn' | 'bad' | 'info';

export function historyText(event: BudgetEvent): { title: string; detail: string } {
  const d = event.details;
  const n = (key: string): string => (typeof d[key] === 'number' ? formatNumber(d[key]) : '?');
  switch (event.eventType) {
    case 'reset': {
      // A scheduled reset that caught up several missed periods records how many it covers.
      const periods = typeof d['periods'] === 'number' && d['periods'] > 1 ? ` ×${formatNumber(d['periods'])}` : '';
      const before = Object.entries((d['usageBefore'] ?? {}) as Record<string, number>)
        .map(([k, v]) => `${k} ${formatNumber(v)} → 0`)
        .join(', ');
      return { title: d['trigger'] === 'admin' ? 'Reset (admin)' : `Reset (scheduled)${periods}`, detail: before || 'nothing to zero' };
    }
    case 'breach':
      return { title: `Hard breach on ${event.dimension ?? '?'}`, detail: `${n('usageAfter')} would exceed ${n('hardLimit')}: refused` };
    case 'soft_breach':
      return { title: `Soft breach on ${event.dimension ?? '?'}`, detail: `${n('usageAfter')} is over the soft limit ${n('softLimit')}: applied` };
    default:
      return { title: `Usage on ${event.dimension ?? '?'}`, detail: '' };
  }
}

function outcomeText(outcome: UsageOutcome): string {
  switch (outcome.kind) {
    case 'ok':
      return 'OK: applied';
    case 'soft_breach':
      return `Soft breach: ${outcome.dimension} is at ${formatNumber(outcome.currentUsage)}, over the soft limit ${formatNumber(outcome.softLimit)} (applied)`;
    case 'hard_breach':
      return `Hard breach: ${outcome.dimension} would reach ${formatNumber(outcome.currentUsage)}, over the hard limit ${formatNumber(outcome.hardLimit)} (refused, nothing applied)`;
  }
}

export function reportText(result: ReportUsageResult): { text: string; tone: Tone } {
  if (result.kind === 'already_applied') return { text: `Already applied (same dedup key); first outcome: ${outcomeText(result.original)}`, tone: 'info' };
  return { text: outcomeText(result), tone: result.kind === 'ok' ? 'ok' : result.kind === 'soft_breach' ? 'warn' : 'bad' };
}

/** The bar of one dimension: fill width, where the soft marker sits, and its tone. */
export function dimensionBar(usage: number, soft: number, hard: number): { fill: number; softAt: number; tone: 'ok' | 'over-soft' | 'at-hard'; limits: string } {
  // The scale: the hard limit when there is one, else a little beyond the soft limit or the usage.
  const scale = Math.max(hard > 0 ? hard : Math.max(soft * 1.25, usage * 1.25, 1), usage);
  const tone = hard > 0 && usage >= hard ? 'at-hard' : soft > 0 && usage > soft ? 'over-soft' : 'ok';
  const limits = [hard > 0 ? `/ ${formatNumber(hard)} hard` : '/ no hard limit', soft > 0 ? `· soft ${formatNumber(soft)}` : ''];
  return { fill: Math.min(100, (usage / scale) * 100), softAt: Math.min(100, (soft / scale) * 100), tone, limits: `${limits.join(' ')}`.trimEnd() };
}
