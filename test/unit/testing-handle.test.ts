/**
 * ff-backend-browser/testing in Node: the window handle over a real browser
 * backend (client, comlink, host, engine on a MessageChannel), its event
 * matching, and the playground's snapshot file format.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { decodeSnapshotFile, encodeSnapshotFile } from '../../src/devtools/status/snapshot-file.js';
import { EngineError } from '../../src/api/errors.js';
import { HANDLE_ERROR_MARKER, installTestHandle, matches, type FfTestHandle, type InstalledTestHandle } from '../../src/testing/index.js';
import { channelBackend } from './boundary-helpers.js';

const HOUR = 3_600_000;
let installed: InstalledTestHandle | undefined;
let closeBackend: (() => Promise<void>) | undefined;

afterEach(async () => {
  await installed?.uninstall();
  await closeBackend?.();
  installed = undefined;
  closeBackend = undefined;
});

async function open(globalName?: string): Promise<FfTestHandle> {
  const { client } = await channelBackend({ scanners: {} });
  closeBackend = () => client.close();
  installed = await installTestHandle(client, globalName === undefined ? {} : { globalName });
  return installed.handle;
}

function global(name: string): unknown {
  return (globalThis as Record<string, unknown>)[name];
}

describe('installTestHandle', () => {
  it('puts the handle on the global only when installed, under the chosen name, and takes it away again', async () => {
    expect(global('__ffBackend')).toBeUndefined();
    const handle = await open('__myApp');
    expect(global('__myApp')).toBe(handle);
    expect(global('__ffBackend')).toBeUndefined();
    expect(handle).toMatchObject({ version: 1, ready: true, name: 'unit' });
    await installed!.uninstall();
    expect(global('__myApp')).toBeUndefined();
  });

  it('seeds, moves the clock to the next budget reset, and waits for its event', async () => {
    const handle = await open();
    const seeded = await handle.seed({
      budgets: [{ budgetId: 'b', dimensions: [{ name: 'tokens', hardLimit: 5 }], resetIntervalMs: HOUR }],
      executions: [{ laneId: 'l' }, { laneId: 'l' }],
    });
    expect(seeded.budgetIds).toEqual(['b']);
    expect(seeded.executionIds).toHaveLength(2);
    const t0 = await handle.now();
    // Only a budget with usage has anything to reset: an idle one's schedule moves on without a tick.
    await handle.call('reportUsageAdmin', { budgetId: 'b', usage: { tokens: 3 } });
    expect(await handle.nextDue('budget_reset')).toEqual({ scanner: 'budget_reset', at: t0 + HOUR });
    const waiting = handle.waitForEvent({ channel: 'budget', match: { budgetId: 'b', eventType: 'reset' }, timeoutMs: 2_000 });
    const moved = await handle.advanceTo(t0 + HOUR);
    expect(moved).toMatchObject({ now: t0 + HOUR, finished: true });
    expect(moved.processed).toBeGreaterThanOrEqual(1);
    expect(await waiting).toMatchObject({ channel: 'budget', eventType: 'reset', occurredAtMs: t0 + HOUR });
    // An event already seen is found at once; `after: 'now'` only takes new ones.
    const seen = await handle.waitForEvent({ channel: 'budget', match: { eventType: 'reset' } });
    await expect(handle.waitForEvent({ channel: 'budget', after: seen.cursor, timeoutMs: 50 })).rejects.toThrow(/no 'budget' event matching \{\} within 50 ms/);
    await expect(handle.waitForEvent({ channel: 'budget', after: 'now', timeoutMs: 50 })).rejects.toThrow(/within 50 ms/);
    expect((await handle.events({ channel: 'budget' })).length).toBe(1);
  });

  it('calls any backend method by name, refuses other names, and keeps EngineError codes in the message', async () => {
    const handle = await open();
    const created = (await handle.call('createExecution', { laneId: 'x' })) as { executionId: string };
    expect(await handle.call('readExecutionState', { executionId: created.executionId })).toBe('waiting');
    expect(await handle.call('status')).toMatchObject({ name: 'unit' });
    await expect(handle.call('exportImage')).rejects.toThrow(HANDLE_ERROR_MARKER);
    const err = (await handle.call('createBudget', { budgetId: '', dimensions: [] }).catch((e: unknown) => e)) as Error;
    expect(err).not.toBeInstanceOf(EngineError);
    const plain = JSON.parse(err.message.slice(err.message.indexOf(HANDLE_ERROR_MARKER) + HANDLE_ERROR_MARKER.length)) as Record<string, unknown>;
    expect(plain).toMatchObject({ code: 'validation.invalid_input', details: { field: 'budgetId' } });
  });

  it('reset() empties the database and forgets the events seen', async () => {
    const handle = await open();
    await handle.seed({ executions: [{ laneId: 'l' }] });
    const h = (await handle.call('claim', { laneId: 'l', workerId: 'w', workerInstanceId: 'w-1', leaseTtlMs: 1_000 })) as object;
    await handle.call('completeExecution', { handle: h });
    await handle.waitForEvent({ channel: 'completion' });
    await handle.reset();
    expect(await handle.events()).toEqual([]);
    expect(await handle.call('listExecutions', {})).toMatchObject({ executions: [] });
  });
});

describe('matches', () => {
  it('matches a subset: nested objects by subset, arrays and primitives exactly', () => {
    const event = { channel: 'budget', budgetId: 'b', details: { trigger: 'scheduled', usageBefore: { tokens: 3 } }, tags: ['a', 'b'] };
    expect(matches(event, {})).toBe(true);
    expect(matches(event, { budgetId: 'b', details: { trigger: 'scheduled' } })).toBe(true);
    expect(matches(event, { details: { usageBefore: { tokens: 3 } } })).toBe(true);
    expect(matches(event, { details: { trigger: 'admin' } })).toBe(false);
    expect(matches(event, { tags: ['a', 'b'] })).toBe(true);
    expect(matches(event, { tags: ['a'] })).toBe(false);
    expect(matches(event, { missing: undefined })).toBe(true);
    expect(matches(null, {})).toBe(false);
  });
});

describe('the playground snapshot file', () => {
  const image = new Uint8Array(4096).map((_, i) => (i * 7) % 256);
  const snapshot = { format: 'ff-backend-browser/sqlite' as const, image, schemaVersion: 7, sequence: 12, checksum: 'a'.repeat(64), createdAtMs: 1 };
  const meta = { database: 'playground-virtual', clock: 'manual' as const, engineNowMs: 1_700_000_123_000 };

  it('decodes what it encodes, with the metadata', async () => {
    const bytes = new Uint8Array(await encodeSnapshotFile(snapshot, meta).arrayBuffer());
    const decoded = decodeSnapshotFile(bytes, 7);
    expect(decoded.snapshot).toEqual(snapshot);
    expect(decoded.header).toMatchObject({ ...meta, imageBytes: 4096, sequence: 12 });
  });

  it('refuses a file that is cut short, or not a snapshot', async () => {
    const bytes = new Uint8Array(await encodeSnapshotFile(snapshot, meta).arrayBuffer());
    expect(() => decodeSnapshotFile(bytes.subarray(0, bytes.length - 1), 7)).toThrow(/cut short/);
    expect(() => decodeSnapshotFile(new TextEncoder().encode('hello'), 7)).toThrow(expect.objectContaining({ code: 'validation.invalid_input' }));
  });

  it('takes a bare SQLite file, computing its checksum', () => {
    const sqlite = new Uint8Array(1024);
    sqlite.set(new TextEncoder().encode('SQLite format 3\u0000'));
    const { snapshot: s, header } = decodeSnapshotFile(sqlite, 7);
    expect(header).toBeNull();
    expect(s).toMatchObject({ schemaVersion: 7, image: sqlite });
    expect(s.checksum).toMatch(/^[0-9a-f]{64}$/);
  });
});
