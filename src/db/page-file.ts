/**
 * A database file kept in memory as fixed-size chunks (the persistence
 * layer's CHUNK_SIZE). The page VFS (page-vfs.ts) serves SQLite's reads and
 * writes from it, and it remembers what they changed at two grains:
 *
 *   - chunks written since the last takeDirty(): what differs from the
 *     store's chunks, for a save that rewrites chunks (a full save, or a
 *     compaction that folds the deltas in);
 *   - 4 KiB blocks written since the last takeBlocks(), and how far the file
 *     shrank meanwhile: a delta, for a save that appends just those blocks.
 *
 * So a save costs in proportion to what changed, never the database size.
 * Plain JS, no WASM: testable on its own.
 */
import { BLOCK_SIZE, CHUNK_SIZE } from '../persistence/image-chunks.js';

/** The blocks written since the last takeBlocks(), copied out: replayed onto the previous file, they make this one. */
export interface BlockDelta {
  /** The file's size after the delta. */
  bytes: number;
  /** The smallest size the file had in between: replay truncates to it first, so a shrink and regrow reads zeros. */
  minBytes: number;
  blockSize: number;
  /** Block indexes, ascending, all below ceil(bytes / blockSize). */
  blocks: Uint32Array;
  /** The blocks' bytes, blockSize each, in the order of `blocks` (zeros past `bytes`). */
  data: Uint8Array;
}

/** One file: chunks of `chunkSize` bytes; bytes past `size` are zero. */
export class PageFile {
  private chunks: Uint8Array[] = [];
  private dirtyFlags = new Uint8Array(0);
  private dirtyList: number[] = [];
  private blockFlags = new Uint8Array(0);
  private blockList: number[] = [];
  /** The smallest size since the last takeBlocks(). */
  private lowWater = 0;
  size = 0;

  constructor(
    readonly chunkSize = CHUNK_SIZE,
    readonly blockSize = Math.min(BLOCK_SIZE, chunkSize),
  ) {
    if (chunkSize % blockSize !== 0) throw new Error('PageFile: the chunk size must be a multiple of the block size');
  }

  /** A file holding a copy of `image`, every chunk dirty (takeDirty() if the image is already saved). */
  static fromImage(image: Uint8Array, chunkSize = CHUNK_SIZE, blockSize = Math.min(BLOCK_SIZE, chunkSize)): PageFile {
    // One copy of the whole image, the chunks as views into it: a cold start
    // costs one memcpy instead of a fresh allocation per chunk.
    const copy = new Uint8Array(Math.ceil(image.byteLength / chunkSize) * chunkSize);
    copy.set(image);
    const chunks: Uint8Array[] = [];
    for (let at = 0; at < copy.byteLength; at += chunkSize) chunks.push(copy.subarray(at, at + chunkSize));
    return PageFile.adopt(chunks, image.byteLength, chunkSize, blockSize);
  }

  /**
   * A file made of `chunks` as stored (CHUNK_SIZE each, the last may be
   * shorter), without copying full-size ones; the caller gives them up.
   */
  static fromChunks(chunks: readonly Uint8Array[], bytes: number, chunkSize = CHUNK_SIZE, blockSize = Math.min(BLOCK_SIZE, chunkSize)): PageFile {
    const own = chunks.map((c) => {
      if (c.byteLength === chunkSize) return c;
      const full = new Uint8Array(chunkSize);
      full.set(c.subarray(0, chunkSize));
      return full;
    });
    return PageFile.adopt(own, bytes, chunkSize, blockSize);
  }

  /** Every chunk dirty; no block dirty (a new file is saved by chunks, not as a delta). */
  private static adopt(chunks: Uint8Array[], bytes: number, chunkSize: number, blockSize: number): PageFile {
    const file = new PageFile(chunkSize, blockSize);
    if (chunks.length !== Math.ceil(bytes / chunkSize)) throw new Error('PageFile: chunk count does not match the size');
    file.chunks = chunks;
    file.size = bytes;
    file.lowWater = bytes;
    for (let i = 0; i < chunks.length; i++) file.markDirty(i);
    return file;
  }

  read(dest: Uint8Array, offset: number): boolean {
    const n = dest.byteLength;
    let done = 0;
    while (done < n) {
      const pos = offset + done;
      if (pos >= this.size) {
        dest.fill(0, done);
        return false;
      }
      const index = Math.floor(pos / this.chunkSize);
      const at = pos - index * this.chunkSize;
      const take = Math.min(n - done, this.chunkSize - at, this.size - pos);
      const chunk = this.chunks[index];
      if (chunk) dest.set(chunk.subarray(at, at + take), done);
      else dest.fill(0, done, done + take); // grown by truncate, never written
      done += take;
    }
    return true;
  }

  write(src: Uint8Array, offset: number): void {
    const n = src.byteLength;
    let done = 0;
    while (done < n) {
      const pos = offset + done;
      const index = Math.floor(pos / this.chunkSize);
      const at = pos - index * this.chunkSize;
      const take = Math.min(n - done, this.chunkSize - at);
      this.chunk(index).set(src.subarray(done, done + take), at);
      this.markDirty(index);
      done += take;
    }
    if (n > 0) for (let b = Math.floor(offset / this.blockSize), last = Math.floor((offset + n - 1) / this.blockSize); b <= last; b++) this.markBlock(b);
    if (offset + n > this.size) this.grow(offset + n);
  }

  truncate(size: number): void {
    if (size >= this.size) {
      this.grow(size);
      return;
    }
    const keep = Math.ceil(size / this.chunkSize);
    this.chunks.length = Math.min(this.chunks.length, keep);
    // Zero the tail of the last chunk so a later extension reads zeros.
    const last = this.chunks[keep - 1];
    if (last && size % this.chunkSize !== 0) last.fill(0, size % this.chunkSize);
    if (keep > 0) this.markDirty(keep - 1);
    this.size = size;
    this.lowWater = Math.min(this.lowWater, size);
  }

  /**
   * Chunk indexes written since the last takeDirty(), ascending, all below
   * chunkCount(): a stored chunk at or past chunkCount() is one the file no
   * longer has (it shrank), to be dropped.
   */
  dirtyChunks(): number[] {
    const count = this.chunkCount();
    return this.dirtyList.filter((i) => i < count).sort((a, b) => a - b);
  }

  /** dirtyChunks(), and forget them: the caller now owns saving them (restoreDirty() them if the save fails). */
  takeDirty(): number[] {
    const list = this.dirtyChunks();
    for (const i of this.dirtyList) this.dirtyFlags[i] = 0;
    this.dirtyList = [];
    return list;
  }

  /** Mark chunks dirty again (a save that took them failed). */
  restoreDirty(indexes: readonly number[]): void {
    for (const i of indexes) this.markDirty(i);
  }

  /** How many blocks were written since the last takeBlocks() (some may lie past the end now). */
  dirtyBlockCount(): number {
    return this.blockList.length;
  }

  /**
   * The blocks written since the last takeBlocks(), copied out (or only
   * listed, `copy: false`, for a chunk save that covers them), and forget
   * them: give them back with restoreBlocks() if the save fails. Chunk marks
   * stay: the chunks still differ from the store's until a chunk save.
   */
  takeBlocks(copy = true): BlockDelta {
    const count = Math.ceil(this.size / this.blockSize);
    const blocks = Uint32Array.from(this.blockList.filter((b) => b < count)).sort();
    const data = new Uint8Array(copy ? blocks.length * this.blockSize : 0);
    if (copy) for (let i = 0; i < blocks.length; i++) this.read(data.subarray(i * this.blockSize, (i + 1) * this.blockSize), blocks[i]! * this.blockSize);
    const delta: BlockDelta = { bytes: this.size, minBytes: this.lowWater, blockSize: this.blockSize, blocks, data };
    for (const b of this.blockList) this.blockFlags[b] = 0;
    this.blockList = [];
    this.lowWater = this.size;
    return delta;
  }

  /** Mark a taken delta's blocks written again (its save failed). */
  restoreBlocks(delta: BlockDelta): void {
    for (const b of delta.blocks) this.markBlock(b);
    this.lowWater = Math.min(this.lowWater, delta.minBytes);
  }

  /** Replay a delta taken from another file of the same history (a store's log at load): the same writes, the same marks. */
  apply(delta: BlockDelta): void {
    if (delta.blockSize !== this.blockSize) throw new Error(`PageFile: a delta of ${delta.blockSize}-byte blocks on a file of ${this.blockSize}-byte blocks`);
    this.truncate(delta.minBytes);
    this.truncate(delta.bytes);
    for (let i = 0; i < delta.blocks.length; i++) {
      const start = delta.blocks[i]! * this.blockSize;
      const take = Math.min(this.blockSize, delta.bytes - start);
      if (take > 0) this.write(delta.data.subarray(i * this.blockSize, i * this.blockSize + take), start);
    }
  }

  /** The chunks themselves (chunkSize each, zeros past the end), not copies: for a caller that takes the file over. */
  chunkViews(): Uint8Array[] {
    return Array.from({ length: this.chunkCount() }, (_, i) => this.chunk(i));
  }

  /** A copy of chunk `index`, cut at the end of the file (empty past it). */
  readChunk(index: number): Uint8Array {
    const start = index * this.chunkSize;
    const end = Math.min(start + this.chunkSize, this.size);
    if (end <= start) return new Uint8Array(0);
    const chunk = this.chunks[index];
    return chunk ? chunk.slice(0, end - start) : new Uint8Array(end - start);
  }

  chunkCount(): number {
    return Math.ceil(this.size / this.chunkSize);
  }

  /** The whole file as one new buffer. */
  image(): Uint8Array {
    const out = new Uint8Array(this.size);
    for (let i = 0; i < this.chunks.length; i++) {
      const chunk = this.chunks[i];
      const start = i * this.chunkSize;
      if (chunk && start < this.size) out.set(chunk.subarray(0, Math.min(this.chunkSize, this.size - start)), start);
    }
    return out;
  }

  /**
   * Every chunk from the old last one on changes when the file grows, even
   * unwritten: the old last chunk was saved cut at the old end, and a gap
   * reads as zeros whatever a save stored there before.
   */
  private grow(size: number): void {
    for (let i = Math.floor(this.size / this.chunkSize); i < Math.ceil(size / this.chunkSize); i++) this.markDirty(i);
    this.size = size;
  }

  private chunk(index: number): Uint8Array {
    while (this.chunks.length <= index) this.chunks.push(new Uint8Array(this.chunkSize));
    return this.chunks[index]!;
  }

  private markBlock(index: number): void {
    if (index >= this.blockFlags.length) {
      const grown = new Uint8Array(Math.max(1024, (index + 1) * 2));
      grown.set(this.blockFlags);
      this.blockFlags = grown;
    }
    if (this.blockFlags[index] === 0) {
      this.blockFlags[index] = 1;
      this.blockList.push(index);
    }
  }

  private markDirty(index: number): void {
    if (index >= this.dirtyFlags.length) {
      const grown = new Uint8Array(Math.max(64, (index + 1) * 2));
      grown.set(this.dirtyFlags);
      this.dirtyFlags = grown;
    }
    if (this.dirtyFlags[index] === 0) {
      this.dirtyFlags[index] = 1;
      this.dirtyList.push(index);
    }
  }
}
