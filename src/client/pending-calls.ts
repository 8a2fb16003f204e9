/**
 * The calls a client has in flight to its worker, so that they all reject
 * when the worker dies: comlink and the batch channel would wait forever for
 * an answer from a dead port.
 *
 * Racing each call against one long-lived "dead" promise (Promise.race) does
 * that too, but each race leaves a reaction on the dead promise for the
 * connection's whole life, settled call or not: memory that grows with every
 * batch sent, and that every garbage collection walks. Here a call holds its
 * place only while it is pending.
 */
export class PendingCalls {
  private readonly rejects = new Set<(reason: unknown) => void>();
  private failed = false;
  private reason: unknown;

  /** Calls still pending. */
  get size(): number {
    return this.rejects.size;
  }

  /** `promise`, unless the worker dies first: then the death's reason. After the death, that reason at once. */
  track<T>(promise: Promise<T>): Promise<T> {
    if (this.failed) return Promise.reject(this.reason);
    return new Promise<T>((resolve, reject) => {
      this.rejects.add(reject);
      promise.then(
        (value) => {
          this.rejects.delete(reject);
          resolve(value);
        },
        (error: unknown) => {
          this.rejects.delete(reject);
          reject(error);
        },
      );
    });
  }

  /** The worker is gone: every pending call rejects with `reason`, and so does every later one. The first reason stays. */
  fail(reason: unknown): void {
    if (this.failed) return;
    this.failed = true;
    this.reason = reason;
    for (const reject of this.rejects) reject(reason);
    this.rejects.clear();
  }
}
