/**
 * The backend service in-process: persistence scheduling and status,
 * failures of the store, snapshots and reset, the scanner event ring.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { EngineError } from '../../src/api/errors.js';
import type { Engine } from '../../src/engine/engine.js';
import { MemoryPersistence } from '../../src/persistence/memory-persistence.js';
import type { PersistedMeta, SaveReport } from '../../src/persistence/persistence.js';
import { ManualTimer } from '../../src/worker-runtime/manual-timer.js';
import { BackendService } from '../../src/worker/backend-service.js';
import { EventHub, SCANNER_RING_SIZE } from '../../src/worker/event-hub.js';
import { openDriver } from './helpers.js';
import { backendConfigInput, type BackendEvent, type Snapshot } from '../../src/worker/protocol.js';
import { BASE_CONFIG, BrokenLoadPersistence, LANE, openService, QuotaExceededPersistence, rejection, settle, until, WORKER_ARGS } from './boundary-helpers.js';

const services: BackendService[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.close()));
});
async function service(...args: Parameters<typeof openService>): Promise<BackendService> {
  const s = await openService(...args);
  services.push(s);
  return s;
}


const create = (s: BackendService, laneId = LANE): { executionId: string } => s.invoke('createExecution', [{ laneId }]) as { executionId: string };

/** A memory store that records when, on the test's timer, each save was handed over; `failing` makes saves fail like a full disk. */
class TimedPersistence extends MemoryPersistence {
  readonly at: number[] = [];
  failing = false;
  constructor(private readonly timer: ManualTimer) {
    super();
  }
  override save(image: Uint8Array, meta: PersistedMeta): Promise<SaveReport> {
    this.at.push(this.timer.now());
    if (this.failing) return Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
    return super.save(image, meta);
  }
}

describe('persistence scheduling', () => {
  it('saves a new database at start, then after commits with a debounce', async () => {
    const timer = new ManualTimer();
    const store = new TimedPersistence(timer);
    const s = await service({ persistDebounceMs: 30 }, store, timer);
    await settle();
    // The start-up save does not wait for the debounce.
    expect(store.at).toEqual([0]);
    expect(s.status()).toMatchObject({ openedFrom: 'new-database', sequence: 0, persistedSequence: 0, unsavedChanges: false, persistence: 'memory' });
    create(s);
    create(s);
    expect(s.status()).toMatchObject({ sequence: 2, unsavedChanges: true });
    expect(timer.pending).toBe(1); // one debounce for the burst
    timer.advance(29);
    await settle();
    expect(store.at).toEqual([0]);
    timer.advance(1);
    await settle();
    expect(store.at).toEqual([0, 30]);
    expect(s.status()).toMatchObject({ sequence: 2, persistedSequence: 2, unsavedChanges: false });
    expect(s.status().imageBytes).toBeGreaterThan(0);
    expect(s.status().lastPersistedAtMs).not.toBeNull();
    expect(timer.pending).toBe(0);
  });

  it('a steady stream of writes is still saved every debounce interval', async () => {
    const timer = new ManualTimer();
    const store = new TimedPersistence(timer);
    const s = await service({ persistDebounceMs: 40 }, store, timer);
    await settle();
    // A write every 5 ms for 200 ms: later writes ride along with the pending save instead of pushing it back.
    for (let t = 0; t < 200; t += 5) {
      create(s);
      timer.advance(5);
      await settle();
    }
    expect(store.at).toEqual([0, 40, 80, 120, 160, 200]);
    expect(s.status()).toMatchObject({ sequence: 40, persistedSequence: 40, unsavedChanges: false });
  });

  it('a failed save is retried on a doubling backoff with no further writes, and recovery clears the error', async () => {
    const timer = new ManualTimer();
    const store = new TimedPersistence(timer);
    store.failing = true;
    const s = await service({ persistDebounceMs: 10 }, store, timer);
    await settle();
    expect(s.status().lastError).toMatchObject({ code: 'persistence', details: { quotaExceeded: true } });
    create(s);
    timer.advance(10);
    await settle();
    expect(store.at).toEqual([0, 10]);
    // Two failures so far: the next try waits 10 ms × 2², then 10 ms × 2³.
    timer.advance(39);
    await settle();
    expect(store.at).toEqual([0, 10]);
    timer.advance(1);
    await settle();
    expect(store.at).toEqual([0, 10, 50]);
    store.failing = false;
    timer.advance(80);
    await settle();
    expect(store.at).toEqual([0, 10, 50, 130]);
    expect(s.status()).toMatchObject({ lastError: null, unsavedChanges: false, persistedSequence: 1 });
    expect(timer.pending).toBe(0);
  });

  it('flush() saves at once and resolves once the store has the image', async () => {
    const store = new MemoryPersistence();
    const s = await service({ persistDebounceMs: 60_000 }, store);
    create(s);
    const result = await s.flush();
    expect(result.persistedSequence).toBe(1);
    expect((await store.load())?.meta).toMatchObject({ sequence: 1, schemaVersion: s.status().schemaVersion });
  });

  it('commits that change no row (an empty claim) do not export the image again', async () => {
    const store = new MemoryPersistence();
    const s = await service({ persistDebounceMs: 60_000 }, store);
    await s.flush();
    const saves = store.saves;
    expect(s.invoke('claim', [WORKER_ARGS])).toBeNull();
    expect(s.status().unsavedChanges).toBe(true);
    await s.flush();
    expect(store.saves).toBe(saves);
    expect(s.status().unsavedChanges).toBe(false);
  });

  it('a reopened backend continues from the saved image and sequence', async () => {
    const store = new MemoryPersistence();
    const first = await openService({}, store);
    const { executionId } = create(first);
    await first.close();
    const second = await service({}, store);
    expect(second.status()).toMatchObject({ openedFrom: 'saved-image', sequence: 1, persistedSequence: 1, unsavedChanges: false });
    expect(second.invoke('readExecutionState', [{ executionId }])).toBe('waiting');
    expect(second.status().startup.loadMs).toBeGreaterThanOrEqual(0);
  });

  it('startup reports the store opening apart, and its phases fit in the total', async () => {
    const store = new MemoryPersistence();
    const first = await openService({}, store);
    create(first);
    await first.close();
    // As if the host had begun opening the store a second before the service opens.
    const startedAt = performance.now() - 1_000;
    const second = await BackendService.open(backendConfigInput.parse(BASE_CONFIG), { persistence: store, openDriver, banner: false, startedAt });
    services.push(second);
    const { storeMs, loadMs, readyMs, openMs, migrateMs, totalMs } = second.status().startup;
    expect(storeMs).toBeGreaterThanOrEqual(1_000);
    for (const ms of [loadMs, readyMs, openMs, migrateMs]) expect(ms).toBeGreaterThanOrEqual(0);
    expect(totalMs).toBeGreaterThanOrEqual(storeMs + Math.max(loadMs, readyMs) + openMs + migrateMs);
  });
});

describe('store failures are typed errors, never a fallback to memory', () => {
  it('a quota error shows in status() and rejects flush()', async () => {
    const timer = new ManualTimer();
    const store = new QuotaExceededPersistence();
    const s = await service({ persistence: 'indexeddb', persistDebounceMs: 10 }, store, timer);
    create(s);
    timer.advance(10);
    await settle();
    const status = s.status();
    expect(status.persistence).toBe('indexeddb');
    expect(status.unsavedChanges).toBe(true);
    expect(status.lastError).toMatchObject({ code: 'persistence', details: { quotaExceeded: true, cause: 'QuotaExceededError', op: 'save' } });
    const err = await rejection(s.flush());
    expect(err).toBeInstanceOf(EngineError);
    expect(err.code).toBe('persistence');
    expect(err.details['quotaExceeded']).toBe(true);
    // The engine itself keeps working; the data is just not saved.
    expect(s.invoke('readExecutionState', [{ executionId: create(s).executionId }])).toBe('waiting');
  });

  it('a store that cannot load fails the start with a persistence error', async () => {
    const err = await rejection(openService({ persistence: 'indexeddb' }, new BrokenLoadPersistence()));
    expect(err.code).toBe('persistence');
  });
});

describe('snapshots and reset', () => {
  it('export → import into another backend carries the data, schema version and sequence', async () => {
    const a = await service();
    const { executionId } = create(a);
    const snapshot = a.exportSnapshot();
    expect(snapshot).toMatchObject({ format: 'ff-backend-browser/sqlite', schemaVersion: a.status().schemaVersion, sequence: 1 });
    expect(snapshot.checksum).toMatch(/^[0-9a-f]{64}$/);
    const store = new MemoryPersistence();
    const b = await service({ name: 'other' }, store);
    create(b, 'lane-b');
    const result = await b.importSnapshot(snapshot);
    expect(b.invoke('readExecutionState', [{ executionId }])).toBe('waiting');
    expect((b.invoke('listLanes', []) as { lanes: { laneId: string }[] }).lanes.map((l) => l.laneId)).toEqual([LANE]);
    expect(result.persistedSequence).toBe(b.status().sequence);
    expect((await store.load())?.meta.sequence).toBe(b.status().sequence);
  });

  it('rejects a bad checksum, a newer schema, garbage and a foreign database, leaving the current database untouched', async () => {
    const a = await service();
    const { executionId } = create(a);
    const good = a.exportSnapshot();
    const corrupt: Snapshot = { ...good, image: good.image.slice() };
    corrupt.image[200] = corrupt.image[200]! ^ 0xff;
    expect((await rejection(a.importSnapshot(corrupt))).code).toBe('validation.corruption');
    const newer = await rejection(a.importSnapshot({ ...good, schemaVersion: 999 }));
    expect(newer).toMatchObject({ code: 'validation.invalid_input', details: { field: 'schemaVersion' } });
    const { checksumOf } = await import('../../src/worker/snapshot.js');
    const garbage = new TextEncoder().encode('not a database at all, not at all'.repeat(50));
    expect((await rejection(a.importSnapshot({ ...good, image: garbage, checksum: checksumOf(garbage) }))).code).toBe('validation.corruption');
    const { openDriver } = await import('./helpers.js');
    const foreign = await openDriver();
    foreign.exec('CREATE TABLE t (x INTEGER)');
    const foreignImage = foreign.exportImage();
    foreign.close();
    const notOurs = await rejection(a.importSnapshot({ ...good, image: foreignImage, checksum: checksumOf(foreignImage) }));
    expect(notOurs.code).toBe('validation.corruption');
    expect(notOurs.message).toContain('ff_migration_ledger');
    expect((await rejection(a.importSnapshot({ image: good.image } as unknown as Snapshot))).code).toBe('validation.invalid_input');
    expect(a.invoke('readExecutionState', [{ executionId }])).toBe('waiting');
  });

  it('reset() returns to an empty migrated database and saves it', async () => {
    const store = new MemoryPersistence();
    const s = await service({}, store);
    const { executionId } = create(s);
    await s.reset();
    expect(s.invoke('readExecutionState', [{ executionId }])).toBeNull();
    expect(s.status()).toMatchObject({ openedFrom: 'new-database', unsavedChanges: false });
    create(s);
    expect(s.status().sequence).toBeGreaterThan(2);
  });

  it('after an import, live subscriptions continue from the new database without replaying it', async () => {
    const source = await service();
    create(source);
    const snapshot = source.exportSnapshot();
    const s = await service({ name: 'target' });
    const seen: BackendEvent[] = [];
    s.subscribe(1, { channels: ['lease'] }, { deliver: (events) => void seen.push(...events) });
    s.invoke('claim', [WORKER_ARGS]); // nothing to claim yet
    await s.importSnapshot(snapshot);
    expect(seen).toEqual([]);
    s.invoke('claim', [WORKER_ARGS]);
    await until(() => seen.length === 1);
    expect(seen[0]).toMatchObject({ channel: 'lease', eventType: 'acquired', cursor: 'lease:1' });
  });

  it('reset() starts a manual clock again at its pinned start, with play paused and scanners running', async () => {
    const start = Date.UTC(2030, 0, 1);
    const s = await service({ clock: 'manual', clockStartMs: start, scanners: {} });
    s.invoke('advanceTime', [{ ms: 400 * 86_400_000 }]);
    s.invoke('createBudget', [{ budgetId: 'b', dimensions: [{ name: 'tokens', hardLimit: 5 }], resetIntervalMs: 60_000 }]);
    s.invoke('playClock', [{ rate: 1 }]);
    await s.reset();
    expect(s.invoke('now', [])).toBe(start);
    expect(s.invoke('clockState', [])).toMatchObject({ playing: false });
    s.invoke('createBudget', [{ budgetId: 'b', dimensions: [{ name: 'tokens', hardLimit: 5 }], resetIntervalMs: 60_000 }]);
    s.invoke('reportUsageAdmin', [{ budgetId: 'b', usage: { tokens: 2 } }]);
    expect(s.invoke('nextDue', [{ scanner: 'budget_reset' }])).toMatchObject({ at: start + 60_000 });
    expect(s.invoke('advanceTime', [{ ms: 60_000 }])).toMatchObject({ finished: true, reachedAt: start + 60_000 });
  });

  it('reset() without a pinned start starts a manual clock again at the wall time', async () => {
    const s = await service({ clock: 'manual', scanners: {} });
    s.invoke('advanceTime', [{ ms: 10 * 365 * 86_400_000 }]);
    const before = Date.now();
    await s.reset();
    const now = s.invoke('now', []) as number;
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });
});

describe('the scanner event ring', () => {
  it('replays kept reports and counts what fell out of the ring', () => {
    const hub = new EventHub(() => ({}) as Engine);
    for (let i = 1; i <= SCANNER_RING_SIZE + 5; i++) hub.onScannerReport({ scanner: 'lease_expiry', at: i, processed: 0, errors: 0 });
    const seen: BackendEvent[] = [];
    const info = hub.subscribe(1, { channels: ['scanner'], from: [`scanner:${hub.epoch}:2`] }, { deliver: (e) => void seen.push(...e) });
    expect(info.scannerEventsLost).toBe(3);
    expect(seen.length).toBe(SCANNER_RING_SIZE);
    expect(seen[0]!.cursor).toBe(`scanner:${hub.epoch}:6`);
    const fromEarlierWorker = hub.subscribe(1, { channels: ['scanner'], from: ['scanner:zzz:7'] }, { deliver: () => {} });
    expect(fromEarlierWorker.scannerEventsLost).toBe(5);
    const current = hub.subscribe(1, { channels: ['scanner'], from: [seen[seen.length - 1]!.cursor] }, { deliver: () => {} });
    expect(current.scannerEventsLost).toBe(0);
  });
});
