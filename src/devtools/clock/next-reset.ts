/** When the next budget reset is due, for the clock bar's "jump to next reset". */
import type { BrowserBackend } from '../../client/browser-backend.js';

/** Budgets read per page; a playground has a handful. */
const PAGE = 500;

/**
 * The earliest next reset of any budget, or null when none has one. Not
 * nextDue('budget_reset'): that names only resets with work to do, and an
 * idle budget's schedule moves on without a scanner tick, yet its reset is
 * still the one a person jumps to.
 */
export async function nextBudgetReset(backend: BrowserBackend): Promise<number | null> {
  let next: number | null = null;
  let cursor: string | undefined;
  do {
    const page = await backend.listBudgets({ limit: PAGE, ...(cursor === undefined ? {} : { cursor }) });
    for (const b of page.budgets) if (b.nextResetAtMs !== null && (next === null || b.nextResetAtMs < next)) next = b.nextResetAtMs;
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return next;
}
