/**
 * When to save the database image, and what status() says about it.
 *
 * Every commit bumps `sequence` and, if no save is pending, starts one timer
 * of `debounceMs`; later commits ride along, so a burst costs one save and a
 * steady stream still saves every `debounceMs`. A save exports the image
 * (synchronously, so never inside a transaction: timers and messages only
 * run between operations) and hands it to the store; saves never overlap.
 * `flush()` cancels the timer, waits for a running save, and saves anything
 * newer. A failed save is kept in `lastError`, logged once, and retried with
 * backoff (and by the next commit or flush); it never falls back to memory.
 * The debounce and the retries wait on an injected Timer (the platform's by
 * default), so a test drives them with a ManualTimer instead of sleeping.
 */
import type { EngineError } from '../api/errors.js';
import { persistenceError } from '../persistence/persistence-error.js';
import type { Persistence, SaveDurability, SaveReport } from '../persistence/persistence.js';
import { realTimer, type Timer, type TimerId } from '../worker-runtime/worker-runtime-timer.js';
import type { FlushResult, PlainError, SaveStats } from './protocol.js';

/** What the scheduler saves: the current engine's image and change counter. */
export interface ImageSource {
  exportImage(): Uint8Array;
  /** SQLite's total_changes(): unchanged means nothing to save (a claim that found nothing still commits). */
  totalChanges(): number;
  readonly schemaVersion: number;
  readonly inTransaction: boolean;
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
  /** total_changes() at the newest save; -1 forces the next save (a new engine). */
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
    if (changes === this.savedChanges) {
      // Commits that changed no row (an empty claim): the saved image is already current.
      this.persistedSequence = sequence;
      return;
    }
    const t0 = performance.now();
    const image = this.source.exportImage();
    const exportMs = performance.now() - t0;
    const savedAtMs = Date.now();
    let report: SaveReport;
    try {
      report = await this.persistence.save(image, { schemaVersion: this.source.schemaVersion, sequence, savedAtMs, bytes: image.byteLength }, durability);
    } catch (err) {
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
    this.imageBytes = image.byteLength;
    this.lastPersistedAtMs = savedAtMs;
    this.lastSave = { ...report, ms: performance.now() - t0, exportMs, durability };
  }
}
