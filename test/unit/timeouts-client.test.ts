/**
 * Attempt timeouts and deadlines through the browser client: the same
 * scanners run in the worker's engine on its virtual clock, and the stale
 * handle comes back to the page as a typed error.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { BrowserBackend } from '../../src/client/browser-backend.js';
import { channelBackend, LANE, rejection, WORKER_ARGS } from './boundary-helpers.js';

const open: BrowserBackend[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close().catch(() => {})));
});

async function backend(): Promise<BrowserBackend> {
  const { client } = await channelBackend({ scanners: {} });
  open.push(client);
  return client;
}


describe('timeouts through the browser client', () => {
  it('attempt_timeout fails the attempt at its instant; the page gets state.stale_lease for the old handle', async () => {
    const client = await backend();
    const { executionId } = await client.createExecution({ laneId: LANE, attemptTimeoutMs: 4_000 });
    const handle = (await client.claim({ ...WORKER_ARGS, leaseTtlMs: 60_000 }))!;
    expect(await client.nextDue({ scanner: 'attempt_timeout' })).toEqual({ at: (await client.now()) + 4_000, scanner: 'attempt_timeout' });
    await client.advanceTime({ ms: 3_999 });
    expect(await client.readExecutionState({ executionId })).toBe('active');
    await client.advanceTime({ ms: 1 });
    expect(await client.readExecutionState({ executionId })).toBe('failed');
    const error = await rejection(client.completeExecution({ handle }));
    expect(error.code).toBe('state.stale_lease');
  });

  it('execution_deadline expires a waiting execution at its instant', async () => {
    const client = await backend();
    const deadline = (await client.now()) + 7_000;
    const { executionId } = await client.createExecution({ laneId: LANE, deadlineAtMs: deadline });
    await client.advanceTimeTo({ at: deadline - 1 });
    expect(await client.readExecutionState({ executionId })).toBe('waiting');
    await client.advanceTimeTo({ at: deadline });
    expect(await client.readExecutionInfo({ executionId })).toMatchObject({ publicState: 'expired', completedAtMs: deadline });
  });

  it('a bad attemptTimeoutMs is refused with the field named', async () => {
    const client = await backend();
    const error = await rejection(client.createExecution({ laneId: LANE, attemptTimeoutMs: 0 }));
    expect([error.code, error.details['field']]).toEqual(['validation.invalid_input', 'attemptTimeoutMs']);
  });
});
