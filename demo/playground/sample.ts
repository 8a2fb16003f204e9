/** "Load sample data": a budget with some usage, a quota policy, executions on two lanes, a registered worker. */
import type { BrowserBackend } from '../../src/index.js';

const RETRY = { maxRetries: 2, backoff: { type: 'fixed' as const, delayMs: 5_000 } };

export async function loadSample(backend: BrowserBackend): Promise<string> {
  await backend.createBudget({
    budgetId: 'tokens-hourly',
    dimensions: [
      { name: 'tokens', softLimit: 800, hardLimit: 1_000 },
      { name: 'requests', hardLimit: 50 },
    ],
    resetIntervalMs: 3_600_000,
  });
  await backend.reportUsageAdmin({ budgetId: 'tokens-hourly', usage: { tokens: 450, requests: 12 } });
  await backend.createBudget({ budgetId: 'emails-daily', dimensions: [{ name: 'emails', softLimit: 80, hardLimit: 100 }], resetIntervalMs: 86_400_000 });
  await backend.createQuotaPolicy({ quotaPolicyId: 'api-calls', windowSeconds: 60, maxRequestsPerWindow: 5, maxConcurrent: 2 });
  await backend.createExecutions({
    executions: [
      ...Array.from({ length: 6 }, () => ({ laneId: 'default', retryPolicy: RETRY })),
      ...Array.from({ length: 2 }, () => ({ laneId: 'emails', priority: 5, retryPolicy: RETRY, payload: '{"to":"ada@example.com"}' })),
    ],
  });
  await backend.registerWorker({ workerId: 'billing', workerInstanceId: 'billing-1', lanes: ['invoices'], capabilities: ['pdf'], livenessTtlMs: 60_000 });
  return 'Sample loaded: 2 budgets, a quota policy, 8 executions on lanes default and emails, a registered worker. Start the in-page worker to run them.';
}
