/**
 * IndexedDB persistence, through `idb`. One IndexedDB database per backend
 * name (`ff-backend-browser:<name>`). The image is stored as 64 KiB chunks
 * (store `chunks`, keyed by index) next to its meta (store `meta`); a save
 * writes only the chunks that changed since the previous save, plus the
 * meta, in one transaction, so the saved image is always whole. `save`
 * resolves on the transaction's `complete` event (idb's `tx.done`); an
 * abort (quota exceeded, disk full, the database closed underneath) rejects
 * with EngineError('persistence').
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { CHUNK_SIZE, changedChunks, chunkCount, chunkOf, joinChunks } from './image-chunks.js';
import { persistenceError } from './persistence-error.js';
import type { PersistedMeta, Persistence, SaveDurability, SavedImage, SaveReport } from './persistence.js';

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

export async function openIndexedDbPersistence(name: string): Promise<Persistence> {
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

class IndexedDbPersistence implements Persistence {
  readonly kind = 'indexeddb' as const;
  private closed = false;
  private lost: unknown;
  /** The image as the store has it now: what the next save is compared with. */
  private stored: Uint8Array | null = null;

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
      this.stored = image.slice();
      const { chunkSize: _size, chunkCount: _count, ...persisted } = meta;
      return { image, meta: persisted };
    } catch (err) {
      throw persistenceError('load', `IndexedDB ${this.dbName}`, err);
    }
  }

  async save(image: Uint8Array, meta: PersistedMeta, durability: SaveDurability): Promise<SaveReport> {
    try {
      if (this.closed) throw new Error('persistence is closed');
      if (this.lost) throw this.lost;
      const changed = changedChunks(this.stored, image);
      const count = chunkCount(image.byteLength);
      const previousCount = this.stored ? chunkCount(this.stored.byteLength) : 0;
      const tx = this.db.transaction(['chunks', 'meta'], 'readwrite', { durability });
      const chunks = tx.objectStore('chunks');
      let bytesWritten = 0;
      // Requests are not awaited one by one: a failed one aborts the transaction, and tx.done reports it.
      for (const index of changed) {
        const chunk = chunkOf(image, index);
        bytesWritten += chunk.byteLength;
        chunks.put(chunk, index).catch(() => {});
      }
      if (count < previousCount || !this.stored) chunks.delete(IDBKeyRange.lowerBound(count)).catch(() => {});
      tx.objectStore('meta').put({ ...meta, chunkSize: CHUNK_SIZE, chunkCount: count }, META_KEY).catch(() => {});
      // Commit now rather than when the worker's task ends: a save started on pagehide is then in
      // the browser's hands before a SharedWorker whose last tab is closing gets torn down.
      tx.commit();
      await tx.done;
      this.stored = image;
      return { bytesWritten, chunksWritten: changed.length, chunks: count };
    } catch (err) {
      throw persistenceError('save', `IndexedDB ${this.dbName}`, err);
    }
  }

  close(): void {
    this.closed = true;
    this.db.close();
  }
}
