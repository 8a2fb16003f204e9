/**
 * A database image as fixed-size chunks, so a save writes only the chunks
 * that changed since the previous save. A small commit touches a handful of
 * SQLite pages (and the header page); with the image split into chunks, the
 * persist cycle costs the export plus a comparison in memory, and the store
 * writes kilobytes instead of the whole database.
 */

/**
 * 256 KiB: sixty-four 4 KiB SQLite pages. Chromium stores an IndexedDB value
 * of 64 KiB or more as a file of its own, and one under that inline in its
 * database: inline records read about four times slower in bulk (10 MB as
 * 32 KiB or 60 KiB records: ~140 ms; as 64 KiB or larger: ~25-35 ms). Each
 * file costs about 0.3 ms to write, so the fewer the files the faster a whole
 * image saves: about 2.9 ms/MB at 50 MB with 256 KiB chunks, 3.55 with 128 KiB,
 * 4-6 with 64 KiB; a cold start reads them as fast. A small commit is saved
 * as a delta of the pages it wrote, whatever the chunk size. Stores written
 * with another size are cut again on load and rewritten whole by the next save.
 * Must be a multiple of 4 (chunks are compared as 32-bit words).
 */
export const CHUNK_SIZE = 256 * 1024;

/**
 * The grain of a delta: SQLite's page size here (every database this package
 * creates uses 4 KiB pages), so a small commit's delta holds just the pages
 * it wrote. CHUNK_SIZE must be a multiple of it.
 */
export const BLOCK_SIZE = 4096;

export function chunkCount(bytes: number, chunkSize = CHUNK_SIZE): number {
  return Math.ceil(bytes / chunkSize);
}

/** Indexes of the chunks of `next` that differ from `prev` (all of them when there is no `prev`). */
export function changedChunks(prev: Uint8Array | null, next: Uint8Array, chunkSize = CHUNK_SIZE): number[] {
  const count = chunkCount(next.byteLength, chunkSize);
  const changed: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = i * chunkSize;
    const end = Math.min(start + chunkSize, next.byteLength);
    if (!prev || end > prev.byteLength || !sameRange(prev, next, start, end)) changed.push(i);
  }
  return changed;
}

/** A copy of one chunk (a copy, so storing it never clones the whole image's buffer). */
export function chunkOf(image: Uint8Array, index: number, chunkSize = CHUNK_SIZE): Uint8Array {
  return image.slice(index * chunkSize, Math.min((index + 1) * chunkSize, image.byteLength));
}

/** The image as chunks (copies), every one `chunkSize` bytes but the last. */
export function splitImage(image: Uint8Array, chunkSize = CHUNK_SIZE): Uint8Array[] {
  return Array.from({ length: chunkCount(image.byteLength, chunkSize) }, (_, i) => chunkOf(image, i, chunkSize));
}

/** Chunks back into one image; null when one is missing or the sizes do not add up. */
export function joinChunks(chunks: readonly Uint8Array[], bytes: number): Uint8Array | null {
  const image = new Uint8Array(bytes);
  let offset = 0;
  for (const chunk of chunks) {
    if (offset + chunk.byteLength > bytes) return null;
    image.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return offset === bytes ? image : null;
}

function sameRange(a: Uint8Array, b: Uint8Array, start: number, end: number): boolean {
  // Word-wise where both views are 4-byte aligned (exports are fresh buffers, so they are).
  const aligned = (a.byteOffset + start) % 4 === 0 && (b.byteOffset + start) % 4 === 0 && (end - start) % 4 === 0;
  if (aligned) {
    const wa = new Uint32Array(a.buffer, a.byteOffset + start, (end - start) / 4);
    const wb = new Uint32Array(b.buffer, b.byteOffset + start, (end - start) / 4);
    for (let i = 0; i < wa.length; i++) if (wa[i] !== wb[i]) return false;
    return true;
  }
  for (let i = start; i < end; i++) if (a[i] !== b[i]) return false;
  return true;
}
