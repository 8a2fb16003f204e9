/**
 * When to save the database image, and what status() says about it.
 *
 * Every commit bumps `sequence` and, if no save is pending, starts one timer
 * of `debounceMs`; later commits ride along, so a burst costs one save and a
 * steady stream still saves every `debounceMs`. A save exports the image
 * (synchronously, so never inside a transaction: timers and messages only
 * run between operations) and hands it to the store; saves never overlap.
 * When the driver tracks what it wrote (ChunkSource) and the store keeps
 * chunks and deltas, a save instead copies just the blocks (pages) written
 * since the previous save, synchronously, and appends them as one delta, so
 * its cost follows the pages changed, not the database size; if the store
 * then fails, the blocks are marked written again, so nothing is lost.
 * When deltas pile up (COMPACT_AFTER), the next debounced save, or a timer
 * of its own, compacts instead: it writes the chunks that differ from the
 * stored ones and drops the deltas, in one transaction. flush() compacts
 * only when its own change is large or the deltas are far past due (see
 * compactionDue), and otherwise waits for no compaction it did not find
 * running. A new engine (start-up of a new
 * or migrated database, import, reset) saves every chunk.
 * `flush()` cancels the timer, waits for a running save, and saves anything
 * newer. A failed save is kept in `lastError`, logged once, and retried with
 * backoff (and by the next commit or flush); it never falls back to memory.
 * The debounce and the retries wait on an injected Timer (the platform's by
 * default), so a test drives them with a ManualTimer instead of sleeping.
 */
import type { EngineError } from '../api/errors.js';
import { persistenceError } from '../persistence/persistence-error.js';
import type { BlockDelta } from '../db/page-file.js';
import { BLOCK_SIZE, CHUNK_SIZE } from '../persistence/image-chunks.js';
import { COMPACT_AFTER } from '../persistence/image-deltas.js';
import { isChunkedPersistence, type ChunkedPersistence, type PersistedMeta, type Persistence, type SaveDurability, type SaveReport } from '../persistence/persistence.js';
import { realTimer, type Timer, type TimerId } from '../worker-runtime/worker-runtime-timer.js';
import type { FlushResult, PlainError, SaveStats } from './protocol.js';

/** What the scheduler saves: the current engine's image and change counter. */
export interface ImageSource {
  exportImage(): Uint8Array;
  /** SQLite's total_changes(): unchanged means nothing to save (a claim that found nothing still commits). */
  totalChanges(): number;
  readonly schemaVersion: number;
  readonly inTransaction: boolean;
  /** The driver's view of its image as chunks, when it tracks what it wrote. */
  readonly chunks?: ChunkSource | undefined;
}

/**
 * A database image kept as CHUNK_SIZE chunks that knows which chunks were
 * written since they were last taken, and which blocks since they were last
 * taken (see PageFile).
 */
export interface ChunkSource {
  readonly imageBytes: number;
  dirtyChunks(): number[];
  takeDirty(): number[];
  restoreDirty(indexes: readonly number[]): void;
  /** A copy of one chunk. */
  readChunk(index: number): Uint8Array;
  dirtyBlockCount(): number;
  takeBlocks(copy?: boolean): BlockDelta;
  restoreBlocks(delta: BlockDelta): void;
}

export function isChunkSource(value: object): value is ChunkSource {
  const c = value as Partial<ChunkSource>;
  return (
    typeof c.takeDirty === 'function' &&
    typeof c.restoreDirty === 'function' &&
    typeof c.readChunk === 'function' &&
    typeof c.dirtyChunks === 'function' &&
    typeof c.takeBlocks === 'function' &&
    typeof c.restoreBlocks === 'function' &&
    typeof c.dirtyBlockCount === 'function' &&
    'imageBytes' in value
  );
}

/** 'flush': a delta (or the full save a new engine needs); 'timer': the debounce, which compacts when due; 'compact': fold the deltas even with nothing new. */
type SaveReason = 'flush' | 'timer' | 'compact';

/** The meta of a save, for an image of `bytes`. */
type MetaOf = (bytes: number) => PersistedMeta;

/** One save, prepared synchronously: what it stores, and what to undo if the store fails. */
interface PreparedSave {
  bytes: number;
  store(): Promise<SaveReport>;
  undo(): void;
}

/** Longest wait before retrying a failed save; the wait doubles from the debounce up to this. */
const MAX_RETRY_MS = 30_000;

export class PersistScheduler {
  sequence: number;
  persistedSequence: number;
  imageBytes: number;
  lastPersistedAtMs: number | null = null;
  lastError: EngineError | null = null;
  lastSave: SaveStats | null = null;
  private timer: TimerId | undefined;
  private running: Promise<void> | undefined;
  /** total_changes() at the newest save; -1 forces the next save, of every chunk (a new engine). */
  private savedChanges = -1;
  private failures = 0;
  private stopped = false;
  /** The pending timer is for a compaction (nothing unsaved may be left for it to find). */
  private compactTimer = false;

  constructor(
    private source: ImageSource,
    private readonly persistence: Persistence,
    private readonly debounceMs: number,
    start: { sequence: number; imageBytes: number; saved: boolean },
    private readonly timers: Timer = realTimer,
  ) {
    this.sequence = start.sequence;
    this.persistedSequence = start.saved ? start.sequence : -1;
    this.imageBytes = start.imageBytes;
    if (start.saved) this.savedChanges = source.totalChanges();
  }

  get unsavedChanges(): boolean {
    return this.sequence > this.persistedSequence;
  }

  /** Called after every commit. */
  noteCommit(): void {
    this.sequence++;
    this.schedule(this.debounceMs);
  }

  /** A new engine (import, reset): its whole image counts as unsaved. */
  replaceSource(source: ImageSource): void {
    this.source = source;
    this.savedChanges = -1;
    this.sequence++;
  }

  /** Save everything committed so far; resolves once the store has it, rejects with EngineError('persistence'). */
  async flush(durability: SaveDurability = 'strict'): Promise<FlushResult> {
    this.clearTimer();
    await this.running?.catch(() => {});
    if (this.unsavedChanges) await this.save(durability, 'flush');
    this.armCompaction();
    return { persistedSequence: this.persistedSequence, imageBytes: this.imageBytes };
  }

  lastErrorPlain(): PlainError | null {
    const e = this.lastError;
    return e ? { code: e.code, message: e.message, details: e.details } : null;
  }

  /** Stop the timers; a final flush is the caller's choice. */
  stop(): void {
    this.stopped = true;
    this.clearTimer();
  }

  private schedule(delayMs: number): void {
    if (this.timer !== undefined || this.stopped) return;
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      const reason = this.compactTimer ? 'compact' : 'timer';
      this.compactTimer = false;
      this.save('relaxed', reason).catch(() => {
        // Recorded in lastError; retry later even if nothing else is written.
        this.schedule(Math.min(MAX_RETRY_MS, this.debounceMs * 2 ** this.failures));
      });
    }, delayMs);
    // In Node, a pending save alone must not keep the process alive (a ManualTimer's ids have no unref).
    (this.timer as { unref?: () => void }).unref?.();
  }

  private clearTimer(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    // A flush that cancels a compaction's timer arms it again once it has saved (see saveOnce).
    this.compactTimer = false;
  }

  /**
   * The store's deltas have piled up past COMPACT_AFTER (times `factor`).
   * A flush compacts only past four times that (a debounce too long to let
   * the background compaction run), or when its own delta would reach
   * COMPACT_AFTER.bytes: that many pages cost about the same as chunks, and
   * no large delta is left to replay at the next start.
   */
  private compactionDue(factor = 1, unsavedBlocks = 0): boolean {
    if (!this.source.chunks || !isChunkedPersistence(this.persistence)) return false;
    const { count, bytes } = this.persistence.pendingDeltas();
    return count >= COMPACT_AFTER.deltas * factor || bytes >= COMPACT_AFTER.bytes * factor || unsavedBlocks * BLOCK_SIZE >= COMPACT_AFTER.bytes;
  }

  /** One save at a time: a save requested while one runs starts after it. */
  private save(durability: SaveDurability, reason: SaveReason = 'flush'): Promise<void> {
    const next = (this.running ?? Promise.resolve()).catch(() => {}).then(() => this.saveOnce(durability, reason));
    this.running = next;
    void next.finally(() => {
      if (this.running === next) this.running = undefined;
    }).catch(() => {});
    return next;
  }

  private async saveOnce(durability: SaveDurability, reason: SaveReason): Promise<void> {
    const chunks = this.source.chunks && isChunkedPersistence(this.persistence) ? this.source.chunks : undefined;
    const full = this.savedChanges === -1;
    const compact = !!chunks && !full && (reason === 'flush' ? this.compactionDue(4, chunks.dirtyBlockCount()) : this.compactionDue());
    if (!this.unsavedChanges && !compact) return;
    if (this.source.inTransaction) throw new Error('persist: a save was attempted inside a transaction');
    const sequence = this.sequence;
    const changes = this.source.totalChanges();
    // Commits that changed nothing (an empty claim): the saved image is already current.
    // A tracking driver says so exactly: no block written (row counts miss schema changes).
    if (!full && !compact && (chunks ? chunks.dirtyBlockCount() === 0 : changes === this.savedChanges)) {
      this.persistedSequence = sequence;
      return;
    }
    const t0 = performance.now();
    const savedAtMs = Date.now();
    const meta: MetaOf = (bytes) => ({ schemaVersion: this.source.schemaVersion, sequence, savedAtMs, bytes });
    // Everything up to the store's own await runs now, between operations, so the bytes saved are the committed ones.
    const store = this.persistence as ChunkedPersistence;
    const prepared = !chunks
      ? imageSave(this.source, this.persistence, meta, durability)
      : full || compact
        ? chunkSave(chunks, store, full, meta, durability)
        : deltaSave(chunks, store, meta, durability);
    const exportMs = performance.now() - t0;
    let report: SaveReport;
    try {
      report = await prepared.store();
    } catch (err) {
      prepared.undo();
      const error = persistenceError('save', this.persistence.kind, err);
      if (!this.lastError) console.error(`[ff-backend-browser] ${error.message}`);
      this.lastError = error;
      this.failures = Math.min(this.failures + 1, 16);
      throw error;
    }
    if (this.lastError) console.info('[ff-backend-browser] persistence recovered: the image is saved again');
    this.lastError = null;
    this.failures = 0;
    this.persistedSequence = Math.max(this.persistedSequence, sequence);
    this.savedChanges = changes;
    this.imageBytes = prepared.bytes;
    this.lastPersistedAtMs = savedAtMs;
    this.lastSave = { ...report, ms: performance.now() - t0, exportMs, durability };
    this.armCompaction();
  }

  /** Deltas are folded in the background, never on a flush's path: on a timer of its own if no debounced save is pending. */
  private armCompaction(): void {
    if (this.timer !== undefined || this.stopped || !this.compactionDue()) return;
    this.compactTimer = true;
    this.schedule(this.debounceMs);
  }
}

/** The whole image, exported; the store finds which chunks changed (sql.js, or a store without chunks). */
function imageSave(source: ImageSource, persistence: Persistence, meta: MetaOf, durability: SaveDurability): PreparedSave {
  const image = source.exportImage();
  return { bytes: image.byteLength, store: () => persistence.save(image, meta(image.byteLength), durability), undo: () => {} };
}

/**
 * The chunks that differ from the stored ones (every chunk for a full save),
 * copied out now; the store drops its deltas in the same write, so the
 * blocks written since the last delta are taken too (listed, not copied).
 */
function chunkSave(source: ChunkSource, persistence: ChunkedPersistence, full: boolean, meta: MetaOf, durability: SaveDurability): PreparedSave {
  const blocks = source.takeBlocks(false);
  const dirty = source.takeDirty();
  const undo = (): void => {
    source.restoreDirty(dirty);
    source.restoreBlocks(blocks);
  };
  try {
    const bytes = source.imageBytes;
    const indexes = full ? Array.from({ length: Math.ceil(bytes / CHUNK_SIZE) }, (_, i) => i) : dirty;
    const chunks = indexes.map((index) => ({ index, data: source.readChunk(index) }));
    return { bytes, store: () => persistence.saveChunks({ bytes, chunks }, meta(bytes), durability), undo };
  } catch (err) {
    undo();
    throw err;
  }
}

/** The blocks written since the previous save, copied out now, as one delta; the chunks stay marked for the next compaction. */
function deltaSave(source: ChunkSource, persistence: ChunkedPersistence, meta: MetaOf, durability: SaveDurability): PreparedSave {
  const delta = source.takeBlocks();
  return { bytes: delta.bytes, store: () => persistence.saveDelta(delta, meta(delta.bytes), durability), undo: () => source.restoreBlocks(delta) };
}

