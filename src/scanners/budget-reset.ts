/**
 * budget_reset: at most 20 lapsed budgets a tick, earliest due first, each
 * reset in its own transaction. The due time is re-read inside that
 * transaction, so a budget an admin reset in the meantime is not reset
 * twice. One failing budget is counted and the tick goes on.
 */
import { applyScheduledReset, nextBudgetResetAt, selectDueBudgets } from '../engine/budgets/budget-reset-scan.js';
import type { ScannerHost } from './host.js';
import { SCANNER_BATCH, type Scanner } from './scanner.js';

export function budgetResetScanner(host: ScannerHost, intervalMs: number): Scanner {
  return {
    name: 'budget_reset',
    intervalMs,
    tick(now) {
      const due = host.read('scanner.budget_reset', () => selectDueBudgets(host.ctx, now, SCANNER_BATCH.budget_reset));
      let processed = 0;
      let skipped = 0;
      let errors = 0;
      for (const budgetId of due) {
        try {
          const applied = host.run('scanner.budget_reset', () => applyScheduledReset(host.ctx, budgetId, now));
          if (applied) processed++;
          else skipped++;
        } catch {
          errors++;
        }
      }
      return { scanner: 'budget_reset', at: now, processed, errors, details: { scanned: due.length, skipped } };
    },
    nextWorkAt: () => host.read('scanner.budget_reset', () => nextBudgetResetAt(host.ctx)),
  };
}
