/**
 * Web Locks helpers. A lock held by a context is released by the browser
 * when that context ends (tab closed, worker crashed or terminated), so
 * waiting for someone else's lock is a reliable "it is gone" signal — the
 * one comlink lacks. Where Web Locks do not exist (Node), every helper is a
 * no-op and callers rely on their transport's own close events.
 */

export function lockManager(): LockManager | undefined {
  return (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks;
}

/**
 * Take `name` and keep it until the returned release function is called.
 * Resolves with null when the lock could not be had: at once with
 * `waitMs: 0`, otherwise after `waitMs`.
 */
export async function holdLock(locks: LockManager, name: string, waitMs: number): Promise<(() => void) | null> {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const signal = waitMs > 0 ? AbortSignal.timeout(waitMs) : undefined;
  return new Promise((resolve) => {
    const options: LockOptions = waitMs > 0 ? { signal: signal! } : { ifAvailable: true };
    locks
      .request(name, options, (lock) => {
        if (!lock) {
          resolve(null);
          return undefined;
        }
        resolve(release);
        return held;
      })
      .catch(() => resolve(null));
  });
}

/**
 * Call `onGone` once whoever holds `name` lets go of it (we take the lock
 * and release it at once). Returns a cancel function.
 */
export function whenReleased(locks: LockManager, name: string, onGone: () => void): () => void {
  const abort = new AbortController();
  locks
    .request(name, { signal: abort.signal }, () => {
      if (!abort.signal.aborted) onGone();
    })
    .catch(() => {});
  return () => abort.abort();
}
