/**
 * IndexedDB persistence, through `idb`. One IndexedDB database per backend
 * name (`ff-backend-browser:<name>`). The image is stored as 256 KiB chunks
 * (store `chunks`, keyed by index) next to their meta (store `meta`), plus a
 * log of deltas on top of them (store `deltas`, in key order; see
 * image-deltas.ts). Every save is one transaction, so the saved image is
 * always whole:
 *   - `saveDelta` (the SQLite WASM driver's usual save) appends one record of
 *     the blocks written since the previous save;
 *   - `saveChunks` (a full save, or a compaction) writes the chunks the
 *     driver says differ, drops the chunks past the new end, and drops every
 *     delta;
 *   - `save` (sql.js) finds the changed chunks by comparing the image with
 *     the stored chunks, and drops every delta too.
 * A save resolves on the transaction's `complete` event (idb's `tx.done`);
 * an abort (quota exceeded, disk full, the database closed underneath)
 * rejects with EngineError('persistence').
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { BlockDelta } from '../db/page-file.js';
import { CHUNK_SIZE, changedChunks, chunkCount, chunkOf, joinChunks } from './image-chunks.js';
import { replayOntoChunks, replayOntoImage, type StoredDelta } from './image-deltas.js';
import { persistenceError } from './persistence-error.js';
import type { ChunkedPersistence, ChunkWrite, PendingDeltas, PersistedMeta, SaveDurability, SavedChunks, SavedImage, SaveReport } from './persistence.js';

const META_KEY = 'current';
/** Bump with an upgrade step when the store layout changes (2: the deltas store). */
const IDB_VERSION = 2;

interface StoredMeta extends PersistedMeta {
  chunkSize: number;
  chunkCount: number;
}

interface ImageSchema extends DBSchema {
  chunks: { key: number; value: Uint8Array };
  /** The chunks' meta: `bytes` is the size the chunks make; with deltas, the newest delta's meta is the store's. */
  meta: { key: string; value: StoredMeta };
  deltas: { key: number; value: StoredDelta };
}

export function indexedDbName(name: string): string {
  return `ff-backend-browser:${name}`;
}

export async function openIndexedDbPersistence(name: string): Promise<ChunkedPersistence> {
  const dbName = indexedDbName(name);
  if (typeof indexedDB === 'undefined') throw persistenceError('open', `IndexedDB ${dbName}`, new Error('IndexedDB is not available in this context'));
  try {
    const db = await openDB<ImageSchema>(dbName, IDB_VERSION, {
      upgrade(upgrading, oldVersion) {
        if (oldVersion < 1) {
          upgrading.createObjectStore('chunks');
          upgrading.createObjectStore('meta');
        }
        if (oldVersion < 2) upgrading.createObjectStore('deltas', { autoIncrement: true });
      },
    });
    return new IndexedDbPersistence(db, dbName);
  } catch (err) {
    throw persistenceError('open', `IndexedDB ${dbName}`, err);
  }
}

class IndexedDbPersistence implements ChunkedPersistence {
  readonly kind = 'indexeddb' as const;
  private closed = false;
  private lost: unknown;
  /** The image as the store has it now: what the next save() is compared with (null: unknown, save every chunk). */
  private stored: Uint8Array | null = null;
  /** How many chunks the store holds, when known: a smaller image must delete the rest. */
  private storedCount: number | null = null;
  /** The deltas stored on top of the chunks (unknown before a load: the next chunk save clears the store). */
  private deltas: PendingDeltas | null = null;

  constructor(
    private readonly db: IDBPDatabase<ImageSchema>,
    private readonly dbName: string,
  ) {
    // The browser may close the connection under us (storage cleared, the
    // origin evicted): later saves must fail loudly rather than vanish.
    db.addEventListener('close', () => {
      this.lost = new Error('the IndexedDB connection was closed by the browser (storage cleared or evicted)');
    });
  }

  async load(): Promise<SavedImage | null> {
    try {
      const tx = this.db.transaction(['meta', 'chunks', 'deltas'], 'readonly');
      const [meta, chunks, deltas] = await Promise.all([tx.objectStore('meta').get(META_KEY), tx.objectStore('chunks').getAll(), tx.objectStore('deltas').getAll(), tx.done]);
      if (!meta) return null;
      const image = meta.chunkCount === chunks.length ? joinChunks(chunks, meta.bytes) : null;
      if (!image) throw new Error(`the saved image is incomplete (${chunks.length} of ${meta.chunkCount} chunks, ${meta.bytes} bytes expected)`);
      // The chunks as stored, to compare the next save with (it writes what differs and drops the deltas):
      // a copy, as the engine is free to do what it likes with the image it opens.
      // Chunks of another size (an older store) compare with nothing: the next save rewrites them all.
      const resized = meta.chunkSize !== CHUNK_SIZE;
      this.stored = resized ? null : image.slice();
      this.storedCount = resized ? null : meta.chunkCount;
      this.deltas = pending(deltas);
      return { image: replayOntoImage(image, deltas), meta: newestMeta(meta, deltas) };
    } catch (err) {
      throw persistenceError('load', `IndexedDB ${this.dbName}`, err);
    }
  }

  async loadChunks(): Promise<SavedChunks | null> {
    try {
      const tx = this.db.transaction(['meta', 'chunks', 'deltas'], 'readonly');
      const store = tx.objectStore('chunks');
      const [meta, keys, chunks, deltas] = await Promise.all([tx.objectStore('meta').get(META_KEY), store.getAllKeys(), store.getAll(), tx.objectStore('deltas').getAll(), tx.done]);
      if (!meta) return null;
      const problem = chunkProblem(meta, keys, chunks);
      if (problem) throw new Error(`the saved image is incomplete: ${problem}`);
      this.stored = null;
      this.deltas = pending(deltas);
      // An older store's chunk size is cut again in the replay, and the next save writes every chunk and drops the rest.
      const resized = meta.chunkSize !== CHUNK_SIZE;
      this.storedCount = resized ? null : meta.chunkCount;
      const replayed = replayOntoChunks(chunks, meta.bytes, meta.chunkSize, deltas);
      return { chunks: replayed.chunks, meta: newestMeta(meta, deltas), resized, unfolded: replayed.unfolded };
    } catch (err) {
      throw persistenceError('load', `IndexedDB ${this.dbName}`, err);
    }
  }

  async save(image: Uint8Array, meta: PersistedMeta, durability: SaveDurability): Promise<SaveReport> {
    try {
      if (this.closed) throw new Error('persistence is closed');
      if (this.lost) throw this.lost;
      const changed = changedChunks(this.stored, image).map((index) => ({ index, data: chunkOf(image, index) }));
      const report = await this.write({ bytes: image.byteLength, chunks: changed }, meta, durability);
      this.stored = image;
      return { ...report, kind: 'image' };
    } catch (err) {
      throw persistenceError('save', `IndexedDB ${this.dbName}`, err);
    }
  }

  async saveChunks(write: ChunkWrite, meta: PersistedMeta, durability: SaveDurability): Promise<SaveReport> {
    try {
      if (this.closed) throw new Error('persistence is closed');
      if (this.lost) throw this.lost;
      // The driver knows what changed; an image kept here for save() to compare with would be stale from now on.
      this.stored = null;
      return await this.write(write, meta, durability);
    } catch (err) {
      throw persistenceError('save', `IndexedDB ${this.dbName}`, err);
    }
  }

  async saveDelta(delta: BlockDelta, meta: PersistedMeta, durability: SaveDurability): Promise<SaveReport> {
    try {
      if (this.closed) throw new Error('persistence is closed');
      if (this.lost) throw this.lost;
      // Only after a load: the store's chunks are then known to be the base the delta applies to.
      if (!this.deltas) throw new Error('a delta save before the store was loaded');
      const tx = this.db.transaction('deltas', 'readwrite', { durability });
      tx.objectStore('deltas').add({ ...delta, meta }).catch(() => {});
      tx.commit();
      await tx.done;
      this.deltas = { count: this.deltas.count + 1, bytes: this.deltas.bytes + delta.data.byteLength };
      return { kind: 'delta', bytesWritten: delta.data.byteLength, chunksWritten: 0, chunks: chunkCount(delta.bytes), deltas: this.deltas.count };
    } catch (err) {
      throw persistenceError('save', `IndexedDB ${this.dbName}`, err);
    }
  }

  pendingDeltas(): PendingDeltas {
    return { ...(this.deltas ?? { count: 0, bytes: 0 }) };
  }

  /** The chunks, the chunks past the new end dropped, the deltas dropped, and the meta, in one transaction. */
  private async write(write: ChunkWrite, meta: PersistedMeta, durability: SaveDurability): Promise<SaveReport> {
    const count = chunkCount(write.bytes);
    const tx = this.db.transaction(['chunks', 'meta', 'deltas'], 'readwrite', { durability });
    const chunks = tx.objectStore('chunks');
    let bytesWritten = 0;
    // Requests are not awaited one by one: a failed one aborts the transaction, and tx.done reports it.
    for (const { index, data } of write.chunks) {
      bytesWritten += data.byteLength;
      chunks.put(data, index).catch(() => {});
    }
    if (this.storedCount === null || count < this.storedCount) chunks.delete(IDBKeyRange.lowerBound(count)).catch(() => {});
    // The chunks now hold every delta's change: dropped in the same transaction, so a crash keeps either all of them or none.
    if (this.deltas?.count !== 0) tx.objectStore('deltas').clear().catch(() => {});
    tx.objectStore('meta').put({ ...meta, chunkSize: CHUNK_SIZE, chunkCount: count }, META_KEY).catch(() => {});
    // Commit now rather than when the worker's task ends: a save started on pagehide is then in
    // the browser's hands before a SharedWorker whose last tab is closing gets torn down.
    tx.commit();
    await tx.done;
    this.storedCount = count;
    this.deltas = { count: 0, bytes: 0 };
    return { kind: 'chunks', bytesWritten, chunksWritten: write.chunks.length, chunks: count, deltas: 0 };
  }

  close(): void {
    this.closed = true;
    this.db.close();
  }
}

function persistedMeta(stored: StoredMeta): PersistedMeta {
  const { chunkSize: _size, chunkCount: _count, ...meta } = stored;
  return meta;
}

/** The store's meta: the newest delta's, else the chunks'. */
function newestMeta(stored: StoredMeta, deltas: readonly StoredDelta[]): PersistedMeta {
  return deltas.length > 0 ? { ...deltas[deltas.length - 1]!.meta } : persistedMeta(stored);
}

function pending(deltas: readonly StoredDelta[]): PendingDeltas {
  return { count: deltas.length, bytes: deltas.reduce((sum, d) => sum + d.data.byteLength, 0) };
}

/** Why stored chunks do not make the image their meta describes, or null when they do. */
function chunkProblem(meta: StoredMeta, keys: readonly number[], chunks: readonly Uint8Array[]): string | null {
  if (keys.length !== meta.chunkCount || keys.some((k, i) => k !== i)) return `${keys.length} of ${meta.chunkCount} chunks`;
  const last = meta.bytes - (meta.chunkCount - 1) * meta.chunkSize;
  const bad = chunks.findIndex((c, i) => c.byteLength !== (i === chunks.length - 1 ? last : meta.chunkSize));
  return bad === -1 ? null : `chunk ${bad} has ${chunks[bad]!.byteLength} bytes (${meta.bytes} bytes expected in all)`;
}
