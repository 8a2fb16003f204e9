/**
 * When to save the database image, and what status() says about it.
 *
 * Every commit bumps `sequence` and, if no save is pending, starts one timer
 * of `debounceMs`; later commits ride along, so a burst costs one save and a
 * steady stream still saves every `debounceMs`. A save exports the image
 * (synchronously, so never inside a transaction: timers and messages only
 * run between operations) and hands it to the store; saves never overlap.
 * When the driver tracks the chunks it wrote (ChunkSource) and the store
 * keeps chunks, a save instead takes the dirty list and copies just those
 * chunks, synchronously, so its cost follows what changed, not the database
 * size; if the store then fails, the list is given back, so nothing is lost.
 * A new engine (start-up of a new or migrated database, import, reset)
 * saves every chunk.
 * `flush()` cancels the timer, waits for a running save, and saves anything
 * newer. A failed save is kept in `lastError`, logged once, and retried with
 * backoff (and by the next commit or flush); it never falls back to memory.
 * The debounce and the retries wait on an injected Timer (the platform's by
 * default), so a test drives them with a ManualTimer instead of sleeping.
 */
import type { EngineError } from '../api/errors.js';
import { persistenceError } from '../persistence/persistence-error.js';
import { CHUNK_SIZE } from '../persistence/image-chunks.js';
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

/** A database image kept as CHUNK_SIZE chunks that knows which were written since they were last taken. */
export interface ChunkSource {
  readonly imageBytes: number;
  dirtyChunks(): number[];
  takeDirty(): number[];
  restoreDirty(indexes: readonly number[]): void;
  /** A copy of one chunk. */
  readChunk(index: number): Uint8Array;
}

export function isChunkSource(value: object): value is ChunkSource {
  const c = value as Partial<ChunkSource>;
  return typeof c.takeDirty === 'function' && typeof c.restoreDirty === 'function' && typeof c.readChunk === 'function' && typeof c.dirtyChunks === 'function' && 'imageBytes' in value;
}

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
    if (this.unsavedChanges) await this.save(durability);
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
      this.save('relaxed').catch(() => {
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
  }

  /** One save at a time: a save requested while one runs starts after it. */
  private save(durability: SaveDurability): Promise<void> {
    const next = (this.running ?? Promise.resolve()).catch(() => {}).then(() => this.saveOnce(durability));
    this.running = next;
    void next.finally(() => {
      if (this.running === next) this.running = undefined;
    }).catch(() => {});
    return next;
  }

  private async saveOnce(durability: SaveDurability): Promise<void> {
    if (!this.unsavedChanges) return;
    if (this.source.inTransaction) throw new Error('persist: a save was attempted inside a transaction');
    const sequence = this.sequence;
    const changes = this.source.totalChanges();
    const chunks = this.source.chunks && isChunkedPersistence(this.persistence) ? this.source.chunks : undefined;
    const full = this.savedChanges === -1;
    // Commits that changed nothing (an empty claim): the saved image is already current.
    // A tracking driver says so exactly: no chunk written (row counts miss schema changes).
    if (chunks ? !full && chunks.dirtyChunks().length === 0 : changes === this.savedChanges) {
      this.persistedSequence = sequence;
      return;
    }
    const t0 = performance.now();
    const savedAtMs = Date.now();
    const meta: MetaOf = (bytes) => ({ schemaVersion: this.source.schemaVersion, sequence, savedAtMs, bytes });
    // Everything up to the store's own await runs now, between operations, so the bytes saved are the committed ones.
    const prepared = chunks ? chunkSave(chunks, this.persistence as ChunkedPersistence, full, meta, durability) : imageSave(this.source, this.persistence, meta, durability);
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
  }
}

/** The whole image, exported; the store finds which chunks changed (sql.js, or a store without chunks). */
function imageSave(source: ImageSource, persistence: Persistence, meta: MetaOf, durability: SaveDurability): PreparedSave {
  const image = source.exportImage();
  return { bytes: image.byteLength, store: () => persistence.save(image, meta(image.byteLength), durability), undo: () => {} };
}

/** The chunks the driver wrote since the previous save (every chunk for a full save), copied out now. */
function chunkSave(source: ChunkSource, persistence: ChunkedPersistence, full: boolean, meta: MetaOf, durability: SaveDurability): PreparedSave {
  const dirty = source.takeDirty();
  try {
    const bytes = source.imageBytes;
    const indexes = full ? Array.from({ length: Math.ceil(bytes / CHUNK_SIZE) }, (_, i) => i) : dirty;
    const chunks = indexes.map((index) => ({ index, data: source.readChunk(index) }));
    return { bytes, store: () => persistence.saveChunks({ bytes, chunks }, meta(bytes), durability), undo: () => source.restoreDirty(dirty) };
  } catch (err) {
    source.restoreDirty(dirty);
    throw err;
  }
}

