/**
 * In-memory persistence: keeps the newest image in this realm, so it lasts
 * as long as the worker (or Node process). The browser's `memory` mode; in
 * Node it also lets a test reopen a backend from what the previous one saved.
 */
import type { PersistedMeta, Persistence, SavedImage, SaveReport } from './persistence.js';

export class MemoryPersistence implements Persistence {
  readonly kind = 'memory' as const;
  private saved: SavedImage | null = null;
  /** Completed saves, for tests and diagnostics. */
  saves = 0;

  load(): Promise<SavedImage | null> {
    return Promise.resolve(this.saved);
  }

  save(image: Uint8Array, meta: PersistedMeta): Promise<SaveReport> {
    // The engine hands over a fresh export each time, so keeping the reference is safe.
    this.saved = { image, meta: { ...meta } };
    this.saves++;
    return Promise.resolve({ bytesWritten: 0, chunksWritten: 0, chunks: 0 });
  }

  close(): void {}
}

export function createMemoryPersistence(): MemoryPersistence {
  return new MemoryPersistence();
}
