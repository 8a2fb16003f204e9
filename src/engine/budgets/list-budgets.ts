import { listBudgetsInput, type ListBudgetsResult } from '../../api/budgets.js';
import { decodeCursor, encodeCursor } from '../core/keyset-cursor.js';
import { defineOperation } from '../operation.js';
import { POLICY_COLUMNS, toStatus, type PolicyRow } from './budget-status.js';

/** Budgets ordered by id; the cursor holds the last id of the previous page. */
export const listBudgetsOp = defineOperation({
  name: 'listBudgets',
  family: 'budgets',
  kind: 'read',
  summary: 'Every budget with its status, ordered by id; `nextCursor` is set while more rows may follow.',
  input: listBudgetsInput,
  run: ({ ctx, now }, input): ListBudgetsResult => {
    // Every budget id is non-empty, so '' starts before the first one.
    const [after] = input.cursor === undefined ? [''] : decodeCursor('listBudgets', input.cursor, ['string']);
    const rows = ctx.db
      .prepare(
        `SELECT ${POLICY_COLUMNS} FROM ff_budget_policy
          WHERE budget_id > :after
          ORDER BY budget_id LIMIT :limit`,
      )
      .all<PolicyRow>({ after, limit: input.limit });
    const last = rows[rows.length - 1];
    return {
      budgets: rows.map((r) => toStatus(ctx, r, now)),
      nextCursor: rows.length === input.limit && last ? encodeCursor('listBudgets', [last.budget_id]) : null,
    };
  },
});
