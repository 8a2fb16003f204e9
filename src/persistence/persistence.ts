/**
 * Where the database image lives between sessions. The engine runs on an
 * in-memory SQLite database; persistence stores the whole image and hands
 * it back at start. Two implementations: `memory` (nothing survives the
 * worker) and `indexeddb`, which can also save chunk by chunk
 * (ChunkedPersistence). Failures are EngineError('persistence'), never a
 * silent fallback to memory.
 */

import type { BlockDelta } from '../db/page-file.js';

/** Stored next to the image, in the same write. */
export interface PersistedMeta {
  schemaVersion: number;
  /** Committed writes on this database, counted across loads. */
  sequence: number;
  /** Wall-clock time of the save. */
  savedAtMs: number;
  bytes: number;
}

export interface SavedImage {
  image: Uint8Array;
  meta: PersistedMeta;
}

/**
 * 'strict' asks the store to reach the disk before reporting success (used by
 * flush()); 'relaxed' lets it report once the data is committed in the
 * browser, which is enough across tab closes and reloads (used by the
 * debounced saves, where speed matters more).
 */
export type SaveDurability = 'strict' | 'relaxed';

/** What one save wrote. */
export interface SaveReport {
  /** 'delta': one record of the written blocks; 'chunks': chunks (the deltas folded in and dropped); 'image': compared with the stored image. */
  kind?: 'delta' | 'chunks' | 'image';
  /** Deltas the store holds after this save. */
  deltas?: number;
  /** Bytes handed to the store (only the changed chunks, for IndexedDB). */
  bytesWritten: number;
  chunksWritten: number;
  /** Chunks the image has. */
  chunks: number;
}

/** The image as a chunked store holds it, its deltas replayed: CHUNK_SIZE bytes each (the last may be shorter). */
export interface SavedChunks {
  chunks: Uint8Array[];
  meta: PersistedMeta;
  /** The store kept chunks of another size, cut again here: none is stored as returned, so the next save writes them all. */
  resized: boolean;
  /** Chunks that differ from the stored ones because a delta changed them: the next chunk save (compaction) writes them. */
  unfolded: number[];
}

/** Deltas the store holds on top of its chunks. */
export interface PendingDeltas {
  count: number;
  bytes: number;
}

/**
 * One incremental save: the chunks that changed since the previous save
 * (every chunk, for a full save) and the image's new size. Stored chunks at
 * or past the new chunk count belong to a larger image and are dropped.
 */
export interface ChunkWrite {
  bytes: number;
  chunks: { index: number; data: Uint8Array }[];
}

export interface Persistence {
  readonly kind: 'memory' | 'indexeddb';
  /** The saved image, or null when nothing was saved yet. */
  load(): Promise<SavedImage | null>;
  /**
   * Store the image and its meta in one atomic write; resolves only once the
   * store reports it complete. The caller hands over a fresh image and never
   * changes it afterwards (the store may keep it to compare the next save with).
   */
  save(image: Uint8Array, meta: PersistedMeta, durability: SaveDurability): Promise<SaveReport>;
  close(): void;
}

/**
 * A store that keeps the image as chunks plus a log of deltas (IndexedDB),
 * for a driver that knows what it wrote: start-up opens the stored chunks
 * without joining them (the deltas replayed onto them), a small save appends
 * one delta of the written blocks, and a chunk save writes only the chunks
 * handed to it and drops every delta, in one transaction.
 */
export interface ChunkedPersistence extends Persistence {
  /** The stored chunks, in order, the deltas replayed, or null when nothing was saved yet. */
  loadChunks(): Promise<SavedChunks | null>;
  /** Write these chunks, the new size and the meta, and drop the deltas, in one atomic write; resolves once the store reports it complete. */
  saveChunks(write: ChunkWrite, meta: PersistedMeta, durability: SaveDurability): Promise<SaveReport>;
  /** Append one delta and the meta in one atomic write; resolves once the store reports it complete. */
  saveDelta(delta: BlockDelta, meta: PersistedMeta, durability: SaveDurability): Promise<SaveReport>;
  /** The deltas stored on top of the chunks: a compaction (saveChunks of the unfolded chunks) is due when they pile up. */
  pendingDeltas(): PendingDeltas;
}

export function isChunkedPersistence(p: Persistence): p is ChunkedPersistence {
  const c = p as Partial<ChunkedPersistence>;
  return typeof c.loadChunks === 'function' && typeof c.saveChunks === 'function' && typeof c.saveDelta === 'function' && typeof c.pendingDeltas === 'function';
}
