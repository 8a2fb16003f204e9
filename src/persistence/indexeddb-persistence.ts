/**
 * IndexedDB persistence, through `idb`. One IndexedDB database per backend
 * name (`ff-backend-browser:<name>`). The image is stored as 128 KiB chunks
 * (store `chunks`, keyed by index) next to its meta (store `meta`); a save
 * writes only the chunks that changed since the previous save, plus the
 * meta, in one transaction, so the saved image is always whole. Which chunks
 * changed is either found here, by comparing the new image with the stored
 * one (`save`, for sql.js), or told by the driver, which tracks its writes
 * (`saveChunks`, for the sqlite-wasm driver; then nothing here holds a copy
 * of the image). A save resolves on the transaction's `complete` event
 * (idb's `tx.done`); an abort (quota exceeded, disk full, the database
 * closed underneath) rejects with EngineError('persistence').
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { CHUNK_SIZE, changedChunks, chunkCount, chunkOf, joinChunks, splitImage } from './image-chunks.js';
import { persistenceError } from './persistence-error.js';
import type { ChunkedPersistence, ChunkWrite, PersistedMeta, SaveDurability, SavedChunks, SavedImage, SaveReport } from './persistence.js';

const META_KEY = 'current';
/** Bump with an upgrade step when the store layout changes. */
const IDB_VERSION = 1;

interface StoredMeta extends PersistedMeta {
  chunkSize: number;
  chunkCount: number;
}

interface ImageSchema extends DBSchema {
  chunks: { key: number; value: Uint8Array };
  meta: { key: string; value: StoredMeta };
}

export function indexedDbName(name: string): string {
  return `ff-backend-browser:${name}`;
}

export async function openIndexedDbPersistence(name: string): Promise<ChunkedPersistence> {
  const dbName = indexedDbName(name);
  if (typeof indexedDB === 'undefined') throw persistenceError('open', `IndexedDB ${dbName}`, new Error('IndexedDB is not available in this context'));
  try {
    const db = await openDB<ImageSchema>(dbName, IDB_VERSION, {
      upgrade(upgrading) {
        upgrading.createObjectStore('chunks');
        upgrading.createObjectStore('meta');
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
      const tx = this.db.transaction(['meta', 'chunks'], 'readonly');
      const [meta, chunks] = await Promise.all([tx.objectStore('meta').get(META_KEY), tx.objectStore('chunks').getAll(), tx.done]);
      if (!meta) return null;
      const image = meta.chunkCount === chunks.length ? joinChunks(chunks, meta.bytes) : null;
      if (!image) throw new Error(`the saved image is incomplete (${chunks.length} of ${meta.chunkCount} chunks, ${meta.bytes} bytes expected)`);
      // A copy to compare the next save with: the engine is free to do what it likes with the one it opens.
      // Chunks of another size (an older store) compare with nothing: the next save rewrites them all.
      const resized = meta.chunkSize !== CHUNK_SIZE;
      this.stored = resized ? null : image.slice();
      this.storedCount = resized ? null : meta.chunkCount;
      return { image, meta: persistedMeta(meta) };
    } catch (err) {
      throw persistenceError('load', `IndexedDB ${this.dbName}`, err);
    }
  }

  async loadChunks(): Promise<SavedChunks | null> {
    try {
      const tx = this.db.transaction(['meta', 'chunks'], 'readonly');
      const store = tx.objectStore('chunks');
      const [meta, keys, chunks] = await Promise.all([tx.objectStore('meta').get(META_KEY), store.getAllKeys(), store.getAll(), tx.done]);
      if (!meta) return null;
      const problem = chunkProblem(meta, keys, chunks);
      if (problem) throw new Error(`the saved image is incomplete: ${problem}`);
      this.stored = null;
      if (meta.chunkSize !== CHUNK_SIZE) {
        // An older store's chunk size: cut again here, and the next save writes every chunk and drops the rest.
        this.storedCount = null;
        return { chunks: splitImage(joinChunks(chunks, meta.bytes)!), meta: persistedMeta(meta), resized: true };
      }
      this.storedCount = meta.chunkCount;
      return { chunks, meta: persistedMeta(meta), resized: false };
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
      return report;
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

  /** The chunks, the chunks past the new end dropped, and the meta, in one transaction. */
  private async write(write: ChunkWrite, meta: PersistedMeta, durability: SaveDurability): Promise<SaveReport> {
    const count = chunkCount(write.bytes);
    const tx = this.db.transaction(['chunks', 'meta'], 'readwrite', { durability });
    const chunks = tx.objectStore('chunks');
    let bytesWritten = 0;
    // Requests are not awaited one by one: a failed one aborts the transaction, and tx.done reports it.
    for (const { index, data } of write.chunks) {
      bytesWritten += data.byteLength;
      chunks.put(data, index).catch(() => {});
    }
    if (this.storedCount === null || count < this.storedCount) chunks.delete(IDBKeyRange.lowerBound(count)).catch(() => {});
    tx.objectStore('meta').put({ ...meta, chunkSize: CHUNK_SIZE, chunkCount: count }, META_KEY).catch(() => {});
    // Commit now rather than when the worker's task ends: a save started on pagehide is then in
    // the browser's hands before a SharedWorker whose last tab is closing gets torn down.
    tx.commit();
    await tx.done;
    this.storedCount = count;
    return { bytesWritten, chunksWritten: write.chunks.length, chunks: count };
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

/** Why stored chunks do not make the image their meta describes, or null when they do. */
function chunkProblem(meta: StoredMeta, keys: readonly number[], chunks: readonly Uint8Array[]): string | null {
  if (keys.length !== meta.chunkCount || keys.some((k, i) => k !== i)) return `${keys.length} of ${meta.chunkCount} chunks`;
  const last = meta.bytes - (meta.chunkCount - 1) * meta.chunkSize;
  const bad = chunks.findIndex((c, i) => c.byteLength !== (i === chunks.length - 1 ? last : meta.chunkSize));
  return bad === -1 ? null : `chunk ${bad} has ${chunks[bad]!.byteLength} bytes (${meta.bytes} bytes expected in all)`;
}
