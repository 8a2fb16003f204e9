/** Shared setup for the budget tests (budgets.test.ts, budget-resets.test.ts). */
import { makeEngine } from './helpers.js';

export const DAY = 86_400_000;
export const EXEC_A = '{fp:0}:0b5a3c1e-8a5d-4c7e-9f00-123456789abc';
export const EXEC_B = '{fp:0}:1c6b4d2f-9b6e-4d8f-8a11-23456789abcd';

/** A fresh engine with budget `b1`: tokens (hard 100, soft 80), requests (hard 10) and cost (soft 5). */
export async function withBudget(resetIntervalMs = 0) {
  const t = await makeEngine();
  t.engine.createBudget({
    budgetId: 'b1',
    dimensions: [
      { name: 'tokens', hardLimit: 100, softLimit: 80 },
      { name: 'requests', hardLimit: 10 },
      { name: 'cost', softLimit: 5 },
    ],
    resetIntervalMs,
  });
  return t;
}
