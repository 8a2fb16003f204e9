import { budgetRef, type BudgetStatus } from '../../api/budgets.js';
import { errors } from '../../api/errors.js';
import { defineOperation } from '../operation.js';
import { POLICY_COLUMNS, toStatus, type PolicyRow } from './budget-status.js';

export const getBudgetStatusOp = defineOperation({
  name: 'getBudgetStatus',
  family: 'budgets',
  kind: 'read',
  summary: "A budget's usage per dimension, hard and soft limits, breach and soft-breach counts, the last breach and the reset schedule; `not_found` when there is none.",
  input: budgetRef,
  run: ({ ctx, now }, { budgetId }): BudgetStatus => {
    const row = ctx.db.prepare(`SELECT ${POLICY_COLUMNS} FROM ff_budget_policy WHERE budget_id = :budgetId`).get<PolicyRow>({ budgetId });
    if (!row) throw errors.notFound('budget', budgetId);
    return toStatus(ctx, row, now);
  },
});
