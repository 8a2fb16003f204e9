/**
 * Saves in proportion to the change: the backend service on the SQLite WASM
 * driver (which tracks the chunks it writes) over the real IndexedDB store,
 * here on fake-indexeddb. Whatever the path, the store must always hold the
 * database byte for byte after a flush, and a failed save must lose nothing.
 */
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { afterEach, describe, expect, it } from 'vitest';
import type { BlockDelta } from '../../src/db/page-file.js';
import { createSqliteWasmDriver } from '../../src/db/sqlite-wasm-driver.js';
import { createSqlJsDriver } from '../../src/db/sqljs-driver.js';
import type { Engine } from '../../src/engine/engine.js';
import { CHUNK_SIZE, chunkCount, splitImage } from '../../src/persistence/image-chunks.js';
import { COMPACT_AFTER } from '../../src/persistence/image-deltas.js';
import { indexedDbName, openIndexedDbPersistence } from '../../src/persistence/indexeddb-persistence.js';
import type { ChunkedPersistence, ChunkWrite, PersistedMeta, SaveDurability, SaveReport } from '../../src/persistence/persistence.js';
import { ManualTimer } from '../../src/worker-runtime/manual-timer.js';
import { BackendService } from '../../src/worker/backend-service.js';
import { backendConfigInput } from '../../src/worker/protocol.js';
import { BASE_CONFIG, LANE } from './boundary-helpers.js';
import { sameImage } from './helpers.js';

/** The real IndexedDB store, recording each chunk write and delta it is handed; `failing` makes saves fail like a full disk. */
class RecordingStore implements ChunkedPersistence {
  readonly kind = 'indexeddb' as const;
  readonly writes: number[][] = [];
  /** The blocks of each delta handed over. */
  readonly deltas: number[][] = [];
  wholeSaves = 0;
  failing = false;
  /** Runs once a chunk save has been handed to the store, before the store finishes: a write landing mid-save. */
  onHandOver: (() => void) | undefined;
  constructor(private readonly inner: ChunkedPersistence) {}
  load() {
    return this.inner.load();
  }
  loadChunks() {
    return this.inner.loadChunks();
  }
  save(image: Uint8Array, meta: PersistedMeta, durability: SaveDurability): Promise<SaveReport> {
    this.wholeSaves++;
    return this.inner.save(image, meta, durability);
  }
  saveChunks(write: ChunkWrite, meta: PersistedMeta, durability: SaveDurability): Promise<SaveReport> {
    this.writes.push(write.chunks.map((c) => c.index));
    if (this.failing) return Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
    const saving = this.inner.saveChunks(write, meta, durability);
    this.onHandOver?.();
    return saving;
  }
  saveDelta(delta: BlockDelta, meta: PersistedMeta, durability: SaveDurability): Promise<SaveReport> {
    this.deltas.push([...delta.blocks]);
    if (this.failing) return Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
    return this.inner.saveDelta(delta, meta, durability);
  }
  pendingDeltas() {
    return this.inner.pendingDeltas();
  }
  close(): void {
    this.inner.close();
  }
}

let names = 0;
const services: BackendService[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.close()));
});

/** A backend on the SQLite WASM driver, or on sql.js (`exported`), which saves by exporting the image and comparing it. */
async function open(name: string, exported = false): Promise<{ service: BackendService; store: RecordingStore; timer: ManualTimer }> {
  const store = new RecordingStore(await openIndexedDbPersistence(name));
  const timer = new ManualTimer();
  const drivers = exported
    ? { openDriver: (image?: Uint8Array) => createSqlJsDriver(image ? { image } : {}) }
    : {
        openDriver: (image?: Uint8Array) => createSqliteWasmDriver(image ? { image } : {}),
        openChunks: (chunks: Uint8Array[], bytes: number) => createSqliteWasmDriver({ chunks: { chunks, bytes } }),
      };
  const service = await BackendService.open(backendConfigInput.parse({ ...BASE_CONFIG, name, persistence: 'indexeddb', persistDebounceMs: 60_000 }), {
    persistence: store,
    ...drivers,
    banner: false,
    timer,
  });
  services.push(service);
  await service.flush(); // the start-up save of a new or migrated database, if any
  return { service, store, timer };
}

const engineOf = (s: BackendService): Engine => (s as unknown as { engine: Engine }).engine;
const create = (s: BackendService, payload?: string): unknown => s.invoke('createExecution', [payload ? { laneId: LANE, payload } : { laneId: LANE }]);
/** Grow the database by about `kb` KiB of payloads. */
const grow = (s: BackendService, kb: number): void => {
  for (let i = 0; i < kb / 32; i++) create(s, 'p'.repeat(32 * 1024));
};

/** What the store holds now, read back through a second connection (its deltas replayed), and how many chunk and delta records it has. */
async function stored(name: string): Promise<{ image: Uint8Array; records: number; deltas: number; chunkSize: number }> {
  const reader = await openIndexedDbPersistence(name);
  const saved = await reader.load();
  reader.close();
  const db = await openDB(indexedDbName(name));
  const records = await db.count('chunks');
  const deltas = await db.count('deltas');
  const meta = (await db.get('meta', 'current')) as { chunkSize: number };
  db.close();
  return { image: saved!.image, records, deltas, chunkSize: meta.chunkSize };
}

/** Flush single small writes until the store's deltas are due for a compaction. */
async function pileUpDeltas(service: BackendService, store: RecordingStore): Promise<void> {
  while (store.pendingDeltas().count < COMPACT_AFTER.deltas && store.pendingDeltas().bytes < COMPACT_AFTER.bytes) {
    create(service);
    await service.flush();
  }
}

describe('incremental saves on the SQLite WASM driver', () => {
  it('after one small write, a save appends one delta of just the pages that write touched', async () => {
    const name = `inc-${++names}`;
    const { service, store } = await open(name);
    grow(service, 1500);
    await service.flush();
    const total = chunkCount(engineOf(service).exportImage().byteLength);
    expect(total).toBeGreaterThan(4);
    const chunkSaves = store.writes.length;
    create(service);
    await service.flush();
    const save = service.status().lastSave!;
    expect(save).toMatchObject({ kind: 'delta', chunksWritten: 0, chunks: total });
    expect(save.bytesWritten).toBe(store.deltas.at(-1)!.length * 4096);
    expect(store.deltas.at(-1)!.length).toBeGreaterThan(0);
    expect(store.deltas.at(-1)!.length).toBeLessThanOrEqual(16);
    expect(store.writes).toHaveLength(chunkSaves);
    expect(store.wholeSaves).toBe(0);
    expect(sameImage((await stored(name)).image, engineOf(service).exportImage())).toBe(true);
  });

  it('deltas pile up until a compaction, in the background, folds them into the chunks and drops them in one transaction', async () => {
    const name = `inc-${++names}`;
    const { service, store, timer } = await open(name);
    grow(service, 1500);
    await service.flush();
    const chunkSaves = store.writes.length;
    await pileUpDeltas(service, store);
    // No flush ever compacted: each one appended a delta.
    expect(store.writes).toHaveLength(chunkSaves);
    const before = await stored(name);
    expect(before.deltas).toBe(store.pendingDeltas().count);
    expect(sameImage(before.image, engineOf(service).exportImage())).toBe(true);
    const touched = new Set(store.deltas.slice(-before.deltas).flat().map((block) => Math.floor((block * 4096) / CHUNK_SIZE)));
    timer.advance(60_000);
    await service.flush();
    expect(store.writes).toHaveLength(chunkSaves + 1);
    expect(new Set(store.writes.at(-1))).toEqual(touched);
    expect(service.status().lastSave).toMatchObject({ kind: 'chunks', deltas: 0 });
    const after = await stored(name);
    expect(after.deltas).toBe(0);
    expect(sameImage(after.image, engineOf(service).exportImage())).toBe(true);
    expect(timer.pending).toBe(0);
  });

  it('a flush compacts only when its own change reaches 1 MiB, or the deltas are far past due', async () => {
    const name = `inc-${++names}`;
    const { service, store } = await open(name);
    grow(service, 600);
    await service.flush();
    expect(service.status().lastSave).toMatchObject({ kind: 'delta' });
    grow(service, 1100);
    await service.flush();
    expect(service.status().lastSave).toMatchObject({ kind: 'chunks', deltas: 0 });
    // With the debounce never firing, flushes append deltas up to four times the bound, then one compacts.
    let flushes = 0;
    do {
      create(service);
      await service.flush();
      flushes++;
    } while (service.status().lastSave!.kind === 'delta');
    expect(flushes).toBe(COMPACT_AFTER.deltas * 4 + 1);
    expect(store.pendingDeltas().count).toBe(0);
    expect(sameImage((await stored(name)).image, engineOf(service).exportImage())).toBe(true);
  });

  it('a failed compaction leaves the chunks and deltas as they were, and the next one folds them all', async () => {
    const name = `inc-${++names}`;
    const { service, store, timer } = await open(name);
    grow(service, 600);
    await service.flush();
    await pileUpDeltas(service, store);
    const deltas = store.pendingDeltas().count;
    store.failing = true;
    timer.advance(60_000);
    await service.flush().catch(() => {});
    expect(service.status().lastError).toMatchObject({ code: 'persistence' });
    const failed = store.writes.at(-1)!;
    store.failing = false;
    expect((await stored(name)).deltas).toBe(deltas);
    expect(sameImage((await stored(name)).image, engineOf(service).exportImage())).toBe(true);
    // The retry (backoff from the debounce) compacts again: the same chunks, at least.
    timer.advance(120_000);
    await service.flush();
    expect(store.writes.at(-1)).toEqual(expect.arrayContaining(failed));
    expect((await stored(name)).deltas).toBe(0);
    expect(sameImage((await stored(name)).image, engineOf(service).exportImage())).toBe(true);
  });

  it('a failed save gives its pages back, so the next one writes them, and shows as a persistence error', async () => {
    const name = `inc-${++names}`;
    const { service, store } = await open(name);
    grow(service, 600);
    await service.flush();
    store.failing = true;
    create(service);
    await expect(service.flush()).rejects.toMatchObject({ code: 'persistence' });
    expect(service.status()).toMatchObject({ unsavedChanges: true, lastError: { code: 'persistence', details: { quotaExceeded: true } } });
    const failed = store.deltas.at(-1)!;
    expect(failed.length).toBeGreaterThan(0);
    store.failing = false;
    create(service);
    await service.flush();
    expect(store.deltas.at(-2)).toBe(failed);
    expect(store.deltas.at(-1)).toEqual(expect.arrayContaining(failed));
    expect(service.status()).toMatchObject({ unsavedChanges: false, lastError: null });
    expect(sameImage((await stored(name)).image, engineOf(service).exportImage())).toBe(true);
  });

  it('a database that shrinks drops its trailing chunks from the store', async () => {
    const name = `inc-${++names}`;
    const { service, store, timer } = await open(name);
    grow(service, 2000);
    await service.flush();
    const before = chunkCount(engineOf(service).exportImage().byteLength);
    // Outside any operation, as a retention pass would: free the payloads and give the pages back.
    engineOf(service).driver.exec('UPDATE ff_exec_core SET payload = NULL; VACUUM');
    create(service); // a commit, so the scheduler has something to save
    await service.flush();
    // The delta replays the shrink; the compaction then drops the chunks past the end.
    expect(service.status().lastSave).toMatchObject({ kind: 'delta' });
    expect(sameImage((await stored(name)).image, engineOf(service).exportImage())).toBe(true);
    await pileUpDeltas(service, store);
    timer.advance(60_000);
    await service.flush();
    const image = engineOf(service).exportImage();
    const after = await stored(name);
    expect(after.records).toBe(chunkCount(image.byteLength));
    expect(after.records).toBeLessThan(before / 2);
    expect(sameImage(after.image, image)).toBe(true);
  });

  it('a cold start opens the stored chunks exactly, and its first save writes only what changed since', async () => {
    const name = `inc-${++names}`;
    const first = await open(name);
    grow(first.service, 1000);
    create(first.service);
    await first.service.flush();
    const image = engineOf(first.service).exportImage();
    await services.splice(0)[0]!.close();

    const { service, store } = await open(name);
    expect(service.status()).toMatchObject({ openedFrom: 'saved-image', unsavedChanges: false, imageBytes: image.byteLength });
    expect(sameImage(engineOf(service).exportImage(), image)).toBe(true);
    expect(store.writes).toEqual([]); // nothing was unsaved, so nothing was written
    expect(store.deltas).toEqual([]);
    create(service);
    await service.flush();
    expect(store.writes).toEqual([]);
    expect(store.deltas).toHaveLength(1);
    expect(store.deltas[0]!.length).toBeLessThanOrEqual(16);
    expect(sameImage((await stored(name)).image, engineOf(service).exportImage())).toBe(true);
  });

  it('a cold start replays the stored deltas onto the chunks, and its compaction writes the chunks they changed', async () => {
    const name = `inc-${++names}`;
    const first = await open(name);
    grow(first.service, 1000);
    await first.service.flush();
    for (let i = 0; i < 5; i++) {
      create(first.service);
      await first.service.flush();
    }
    const touched = new Set(first.store.deltas.flat().map((block) => Math.floor((block * 4096) / CHUNK_SIZE)));
    const image = engineOf(first.service).exportImage();
    await services.splice(0)[0]!.close();
    const deltas = first.store.deltas.length;
    expect(deltas).toBe(5); // the growth was saved as chunks (see below), each create as a delta
    expect((await stored(name)).deltas).toBe(deltas);

    const { service, store, timer } = await open(name);
    expect(service.status()).toMatchObject({ openedFrom: 'saved-image', unsavedChanges: false, imageBytes: image.byteLength, persistedSequence: first.service.status().persistedSequence });
    expect(sameImage(engineOf(service).exportImage(), image)).toBe(true);
    expect(store.pendingDeltas().count).toBe(deltas);
    await pileUpDeltas(service, store);
    const later = new Set(store.deltas.flat().map((block) => Math.floor((block * 4096) / CHUNK_SIZE)));
    timer.advance(60_000);
    await service.flush();
    expect(new Set(store.writes.at(-1))).toEqual(new Set([...touched, ...later]));
    expect(sameImage((await stored(name)).image, engineOf(service).exportImage())).toBe(true);
  });

  it('import, reset and a schema that moved save every chunk', async () => {
    const name = `inc-${++names}`;
    const { service, store } = await open(name);
    grow(service, 600);
    await service.flush();
    const snapshot = service.exportSnapshot();
    const count = (bytes: number): number => chunkCount(bytes);
    await service.reset();
    expect(store.writes.at(-1)).toHaveLength(count(engineOf(service).exportImage().byteLength));
    await service.importSnapshot(snapshot);
    expect(store.writes.at(-1)).toHaveLength(count(snapshot.image.byteLength));
    expect(sameImage((await stored(name)).image, engineOf(service).exportImage())).toBe(true);
    await services.splice(0)[0]!.close();

    // The stored meta says an older schema: the start counts as a migration.
    const db = await openDB(indexedDbName(name));
    await db.put('meta', { ...(await db.get('meta', 'current')), schemaVersion: 0 }, 'current');
    db.close();
    const reopened = await open(name);
    expect(reopened.store.writes).toEqual([Array.from({ length: count(snapshot.image.byteLength) }, (_, i) => i)]);
  });

  it('a chunk save stores the chunks as they were when it began, though writes land while the store is busy', async () => {
    const name = `inc-${++names}`;
    const { service, store } = await open(name);
    grow(service, 600);
    const snapshot = service.exportSnapshot();
    let atSave: Uint8Array | undefined;
    store.onHandOver = () => {
      store.onHandOver = undefined;
      atSave = engineOf(service).exportImage();
      // Rewrites the header page and others of the chunks just handed over, and adds pages past them.
      grow(service, 300);
    };
    await service.importSnapshot(snapshot); // saves every chunk
    expect(atSave).toBeDefined();
    expect(sameImage(atSave!, engineOf(service).exportImage())).toBe(false);
    expect(sameImage((await stored(name)).image, atSave!)).toBe(true);
    await service.flush();
    expect(sameImage((await stored(name)).image, engineOf(service).exportImage())).toBe(true);
  });

  it('a store written with another chunk size opens exactly and is rewritten whole at start', async () => {
    const name = `inc-${++names}`;
    const first = await open(name);
    grow(first.service, 600);
    await first.service.flush();
    const image = engineOf(first.service).exportImage();
    await services.splice(0)[0]!.close();
    // As a store of half the chunk size (and no deltas) would hold it.
    const db = await openDB(indexedDbName(name));
    const half = splitImage(image, CHUNK_SIZE / 2);
    const tx = db.transaction(['chunks', 'meta', 'deltas'], 'readwrite');
    await tx.objectStore('chunks').clear();
    await tx.objectStore('deltas').clear();
    for (const [i, chunk] of half.entries()) await tx.objectStore('chunks').put(chunk, i);
    const meta = (await tx.objectStore('meta').get('current')) as Record<string, unknown>;
    await tx.objectStore('meta').put({ ...meta, bytes: image.byteLength, chunkSize: CHUNK_SIZE / 2, chunkCount: half.length }, 'current');
    await tx.done;
    db.close();

    const { service, store } = await open(name);
    expect(sameImage(engineOf(service).exportImage(), image)).toBe(true);
    create(service);
    await service.flush();
    expect(store.writes.at(-1)!.length).toBe(chunkCount(engineOf(service).exportImage().byteLength));
    const after = await stored(name);
    expect(after).toMatchObject({ chunkSize: CHUNK_SIZE, records: chunkCount(after.image.byteLength) });
    expect(sameImage(after.image, engineOf(service).exportImage())).toBe(true);
  });

  it('sql.js, which cannot say what it wrote, still saves through the same store by export and compare', async () => {
    const name = `inc-${++names}`;
    const first = await open(name, true);
    grow(first.service, 600);
    await first.service.flush();
    create(first.service);
    await first.service.flush();
    expect(first.store.writes).toEqual([]);
    expect(first.service.status().lastSave!.chunksWritten).toBeLessThanOrEqual(4);
    const image = engineOf(first.service).exportImage();
    await services.splice(0)[0]!.close();
    // The SQLite WASM driver opens what sql.js saved, and the other way round.
    const next = await open(name);
    expect(sameImage(engineOf(next.service).exportImage(), image)).toBe(true);
    create(next.service);
    await next.service.flush();
    const image2 = engineOf(next.service).exportImage();
    await services.splice(0)[0]!.close();
    expect(sameImage((await stored(name)).image, image2)).toBe(true);
    const back = await open(name, true);
    // sql.js bumps the header's change counter and version-valid-for (bytes 24-27, 92-95) when it opens a file.
    const counters = (image: Uint8Array): Uint8Array => {
      const copy = image.slice();
      copy.fill(0, 24, 28).fill(0, 92, 96);
      return copy;
    };
    expect(sameImage(counters(engineOf(back.service).exportImage()), counters(image2))).toBe(true);
  });
});
