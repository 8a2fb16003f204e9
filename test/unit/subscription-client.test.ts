/**
 * The browser client's subscribe delivers the same way as the in-process
 * subscriptions (one delivery code): after 10,000 operator events a
 * subscriber that resumes from its cursor misses nothing and sees nothing
 * twice, and the namespace / instance-tag filter applies through the client.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { BrowserBackend } from '../../src/client/browser-backend.js';
import type { BackendEvent } from '../../src/worker/protocol.js';
import { channelBackend, LANE, until, WORKER_ARGS } from './boundary-helpers.js';

const open: BrowserBackend[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close().catch(() => {})));
});

async function backend(): Promise<BrowserBackend> {
  const { client } = await channelBackend();
  open.push(client);
  return client;
}

describe('subscribe through the browser client', () => {
  it('resumes the operator channel from a cursor after 10k events with no gap and no duplicate', { timeout: 120_000 }, async () => {
    const client = await backend();
    const { executionId } = (await client.createExecution({ laneId: LANE })) as { executionId: string };
    const total = 10_000;
    const stopAt = 4_321;
    let priority = 0;
    const produce = async (n: number) => {
      for (let i = 0; i < n; i += 250) await Promise.all(Array.from({ length: 250 }, () => client.changePriority({ executionId, priority: ++priority % 1000 })));
    };

    const before: BackendEvent[] = [];
    const first = await client.subscribe({ channels: ['operator'] }, (e) => {
      if (before.length < stopAt) before.push(e);
    });
    await produce(6_000);
    await until(() => before.length === stopAt);
    await first.unsubscribe();

    // Attach mid-stream from the last cursor seen: the catch-up, then live events.
    const after: BackendEvent[] = [];
    await client.subscribe({ channels: ['operator'], from: [before.at(-1)!.cursor] }, (e) => after.push(e));
    await produce(total - 6_000);
    await until(() => after.length === total - stopAt);

    const seen = [...before, ...after].map((e) => e.cursor);
    expect(seen).toEqual(Array.from({ length: total }, (_, i) => `operator:${i + 1}`));
  });

  it('filters by namespace and instance tag', async () => {
    const client = await backend();
    const tenant: BackendEvent[] = [];
    const tagged: BackendEvent[] = [];
    await client.subscribe({ channels: ['completion', 'budget'], filter: { namespace: 'tenant-a' } }, (e) => tenant.push(e));
    await client.subscribe({ channels: ['lease'], filter: { instanceTag: 'i-42' } }, (e) => tagged.push(e));
    const run = async (namespace: string, tag?: string) => {
      const laneId = `lane-${namespace}`;
      const created = (await client.createExecution({ laneId, namespace, ...(tag ? { tags: { 'cairn.instance_id': tag } } : {}) })) as { executionId: string };
      await client.completeExecution({ handle: (await client.claim({ ...WORKER_ARGS, laneId }))! });
      return created.executionId;
    };
    const a = await run('tenant-a');
    await run('tenant-b', 'i-42');
    await client.createBudget({ budgetId: 'b', dimensions: [{ name: 'tokens', hardLimit: 1 }] });
    await client.resetBudget({ budgetId: 'b' });
    const marker = await run('tenant-a', 'i-42');
    await until(() => tenant.length === 2 && tagged.length === 4);
    expect(tenant.map((e) => e.channel === 'completion' && e.executionId)).toEqual([a, marker]);
    expect(tagged.map((e) => e.cursor)).toEqual(['lease:3', 'lease:4', 'lease:5', 'lease:6']);
  });

  it('refuses a bad filter with a typed error', async () => {
    const client = await backend();
    await expect(client.subscribe({ channels: ['completion'], filter: { namespace: '' } }, () => {})).rejects.toMatchObject({
      code: 'validation.invalid_input',
      details: { field: 'filter.namespace' },
    });
  });
});
