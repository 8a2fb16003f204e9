/**
 * A store the previous layout wrote (IndexedDB version 1: chunks and meta,
 * no deltas) opens as it is, gains the deltas store, and takes deltas from
 * its first save on. On fake-indexeddb, with the real store and driver.
 */
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteWasmDriver } from '../../src/db/sqlite-wasm-driver.js';
import { CHUNK_SIZE, splitImage } from '../../src/persistence/image-chunks.js';
import { indexedDbName, openIndexedDbPersistence } from '../../src/persistence/indexeddb-persistence.js';
import { ManualTimer } from '../../src/worker-runtime/manual-timer.js';
import { BackendService } from '../../src/worker/backend-service.js';
import { backendConfigInput } from '../../src/worker/protocol.js';
import { BASE_CONFIG, LANE } from './boundary-helpers.js';
import { sameImage } from './helpers.js';

const services: BackendService[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.close()));
});

async function open(name: string): Promise<BackendService> {
  const service = await BackendService.open(backendConfigInput.parse({ ...BASE_CONFIG, name, persistence: 'indexeddb', persistDebounceMs: 60_000 }), {
    persistence: await openIndexedDbPersistence(name),
    openDriver: (image?: Uint8Array) => createSqliteWasmDriver(image ? { image } : {}),
    openChunks: (chunks: Uint8Array[], bytes: number) => createSqliteWasmDriver({ chunks: { chunks, bytes } }),
    banner: false,
    timer: new ManualTimer(),
  });
  services.push(service);
  return service;
}

describe('IndexedDB store layout', () => {
  it('a version 1 store (chunks and meta only) opens exactly, and its next save is a delta it replays', async () => {
    // A database as the previous build saved it.
    const source = await open('upgrade-source');
    for (let i = 0; i < 20; i++) source.invoke('createExecution', [{ laneId: LANE, payload: 'p'.repeat(4000) }]);
    await source.flush();
    const image = source.exportSnapshot().image;
    const { schemaVersion, sequence } = source.status();
    const name = 'upgrade-v1';
    const v1 = await openDB(indexedDbName(name), 1, {
      upgrade(db) {
        db.createObjectStore('chunks');
        db.createObjectStore('meta');
      },
    });
    const chunks = splitImage(image);
    const tx = v1.transaction(['chunks', 'meta'], 'readwrite');
    for (const [i, chunk] of chunks.entries()) await tx.objectStore('chunks').put(chunk, i);
    await tx.objectStore('meta').put({ schemaVersion, sequence, savedAtMs: 1, bytes: image.byteLength, chunkSize: CHUNK_SIZE, chunkCount: chunks.length }, 'current');
    await tx.done;
    v1.close();

    const service = await open(name);
    expect(service.status()).toMatchObject({ openedFrom: 'saved-image', unsavedChanges: false, sequence });
    expect(sameImage(service.exportSnapshot().image, image)).toBe(true);
    service.invoke('createExecution', [{ laneId: LANE }]);
    await service.flush();
    expect(service.status().lastSave).toMatchObject({ kind: 'delta', deltas: 1 });
    const after = service.exportSnapshot().image;
    await services.splice(services.indexOf(service), 1)[0]!.close();

    const db = await openDB(indexedDbName(name));
    expect(db.version).toBe(2);
    expect(await db.count('deltas')).toBe(1);
    db.close();
    const reopened = await open(name);
    expect(sameImage(reopened.exportSnapshot().image, after)).toBe(true);
    expect(reopened.status()).toMatchObject({ sequence: sequence + 1, unsavedChanges: false });
  });
});
