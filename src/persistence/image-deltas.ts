/**
 * The deltas a chunked store keeps on top of its chunks. A small save
 * appends one record holding just the blocks (SQLite pages) written since
 * the previous save, so its cost follows the pages changed, not the chunks
 * they fall in; a compaction later rewrites the chunks those deltas touched
 * and drops the deltas in the same transaction. At load the deltas are
 * replayed in order onto the chunks, through a PageFile, so they follow the
 * same rules as the writes that made them (a shrink then a regrow reads
 * zeros, a grown file's last stored chunk is marked for rewriting).
 */
import { PageFile, type BlockDelta } from '../db/page-file.js';
import { CHUNK_SIZE, joinChunks } from './image-chunks.js';
import type { PersistedMeta } from './persistence.js';

/** One stored delta: the blocks, and the meta of the save that wrote it (the newest one's is the store's). */
export interface StoredDelta extends BlockDelta {
  meta: PersistedMeta;
}

/**
 * A compaction is due past either bound: each delta is one more record to
 * read at start-up, and their bytes are read again on top of the chunks.
 */
export const COMPACT_AFTER = { deltas: 32, bytes: 1024 * 1024 };

/** The chunks (stored at `chunkSize`, making `bytes`), the deltas replayed: chunks of CHUNK_SIZE, and those that differ from the stored ones. */
export function replayOntoChunks(
  chunks: Uint8Array[],
  bytes: number,
  chunkSize: number,
  deltas: readonly StoredDelta[],
): { chunks: Uint8Array[]; bytes: number; unfolded: number[] } {
  const resized = chunkSize !== CHUNK_SIZE;
  if (deltas.length === 0 && !resized) return { chunks, bytes, unfolded: [] };
  // Another chunk size: cut again, every chunk unfolded (none is stored at this size).
  const file = resized ? PageFile.fromImage(joinChunks(chunks, bytes)!) : PageFile.fromChunks(chunks, bytes);
  if (!resized) file.takeDirty();
  for (const delta of deltas) file.apply(delta);
  file.takeBlocks(false);
  return { chunks: file.chunkViews(), bytes: file.size, unfolded: file.dirtyChunks() };
}

/** The whole image, the deltas replayed (for a driver that opens one image). */
export function replayOntoImage(image: Uint8Array, deltas: readonly StoredDelta[]): Uint8Array {
  if (deltas.length === 0) return image;
  const file = PageFile.fromImage(image);
  for (const delta of deltas) file.apply(delta);
  return file.image();
}
