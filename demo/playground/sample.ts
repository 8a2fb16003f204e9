/**
 * "Load sample data": budgets (one with some usage), a quota policy,
 * executions on lanes default and emails, a registered worker, and a small
 * flow on lane media: fetch → (resize, thumbnail) → publish. Every lane it
 * puts work on is one the in-page worker polls by default (SAMPLE_LANES),
 * so starting the worker runs all of it, the flow in dependency order.
 */
import type { BrowserBackend } from '../../src/index.js';

const RETRY = { maxRetries: 2, backoff: { type: 'fixed' as const, delayMs: 5_000 } };
/** The lanes the sample puts executions on; the in-page worker's default lanes. */
export const SAMPLE_LANES = ['default', 'emails', 'media'] as const;
/** The tag the devtools show as a flow member's name. */
const LABEL_TAG = 'devtools.label';

export interface SampleLoaded {
  flowId: string;
  message: string;
}

export async function loadSample(backend: BrowserBackend): Promise<SampleLoaded> {
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
  const flowId = await loadSampleFlow(backend);
  return {
    flowId,
    message: 'Sample loaded: 2 budgets, a quota policy, 8 executions on lanes default and emails, a 4-step flow on lane media, a registered worker.',
  };
}

/** The image pipeline. Its edges are applied as they are staged, so publish waits on both middle steps. */
async function loadSampleFlow(backend: BrowserBackend): Promise<string> {
  const { flowId } = await backend.createFlow({ flowKind: 'image-pipeline' });
  const steps = ['fetch', 'resize', 'thumbnail', 'publish'] as const;
  const ids: Record<(typeof steps)[number], string> = { fetch: '', resize: '', thumbnail: '', publish: '' };
  for (const step of steps) {
    const created = await backend.createExecution({ laneId: 'media', flowId, retryPolicy: RETRY, tags: { [LABEL_TAG]: step } });
    ids[step] = created.executionId;
  }
  // createFlow leaves revision 0 and each member added one; each staged edge adds one more.
  let revision: number = steps.length;
  const edges: [string, string][] = [
    [ids.fetch, ids.resize],
    [ids.fetch, ids.thumbnail],
    [ids.resize, ids.publish],
    [ids.thumbnail, ids.publish],
  ];
  for (const [upstream, downstream] of edges) {
    const staged = await backend.stageDependencyEdge({ flowId, upstreamExecutionId: upstream, downstreamExecutionId: downstream, expectedGraphRevision: revision });
    revision = staged.newGraphRevision;
    await backend.applyDependencyToChild({ flowId, edgeId: staged.edgeId });
  }
  return flowId;
}
