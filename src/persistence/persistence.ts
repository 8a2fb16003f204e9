/**
 * Where the database image lives between sessions. The engine runs on an
 * in-memory SQLite database; persistence stores the whole image and hands
 * it back at start. Two implementations: `memory` (nothing survives the
 * worker) and `indexeddb`. Failures are EngineError('persistence'), never
 * a silent fallback to memory.
 */

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
  /** Bytes handed to the store (only the changed chunks, for IndexedDB). */
  bytesWritten: number;
  chunksWritten: number;
  /** Chunks the image has. */
  chunks: number;
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
