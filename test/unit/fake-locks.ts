/**
 * Web Locks for Node tests (Node 20 has none): exclusive locks, granted in
 * request order, with `ifAvailable` and `signal`, shared by every "context"
 * of one fake origin. `kill(context)` is a context ending (a tab closed, a
 * worker terminated): the browser releases its locks and drops its queued
 * requests, which is what the leader topology and the liveness checks rely on.
 * Grants run in a microtask, as in browsers.
 */

interface Request {
  context: string;
  callback: (lock: Lock | null) => unknown;
  resolve(value: unknown): void;
  reject(reason: unknown): void;
  signal?: AbortSignal | undefined;
}

interface Held {
  context: string;
  release(): void;
}

export class FakeLocks {
  private readonly held = new Map<string, Held>();
  private readonly queues = new Map<string, Request[]>();
  private readonly dead = new Set<string>();

  /** The LockManager `context` sees. */
  manager(context: string): LockManager {
    const request = (name: string, a: unknown, b?: unknown): Promise<unknown> => {
      const options = (typeof a === 'function' ? {} : a) as LockOptions;
      const callback = (typeof a === 'function' ? a : b) as (lock: Lock | null) => unknown;
      return this.request(context, name, options, callback);
    };
    return { request, query: () => Promise.resolve({ held: [], pending: [] }) } as unknown as LockManager;
  }

  /** The context ended: release what it holds, forget what it waits for. */
  kill(context: string): void {
    this.dead.add(context);
    for (const [name, queue] of this.queues) this.queues.set(name, queue.filter((r) => r.context !== context));
    for (const [name, held] of [...this.held]) if (held.context === context) this.release(name, held);
  }

  isHeld(name: string): boolean {
    return this.held.has(name);
  }

  /** Who holds `name` (a context), if anyone. */
  holder(name: string): string | undefined {
    return this.held.get(name)?.context;
  }

  private request(context: string, name: string, options: LockOptions, callback: (lock: Lock | null) => unknown): Promise<unknown> {
    return new Promise((resolve, reject) => {
      if (this.dead.has(context)) return; // a dead context's request never settles
      if (options.signal?.aborted) return reject(options.signal.reason);
      const queue = this.queues.get(name) ?? [];
      if (options.ifAvailable && (this.held.has(name) || queue.length > 0)) {
        queueMicrotask(() => settle(() => callback(null), resolve, reject));
        return;
      }
      const req: Request = { context, callback, resolve, reject, signal: options.signal };
      queue.push(req);
      this.queues.set(name, queue);
      options.signal?.addEventListener('abort', () => {
        const q = this.queues.get(name) ?? [];
        if (!q.includes(req)) return;
        this.queues.set(name, q.filter((r) => r !== req));
        reject(options.signal!.reason);
      });
      this.grantNext(name);
    });
  }

  private grantNext(name: string): void {
    if (this.held.has(name)) return;
    const queue = this.queues.get(name) ?? [];
    const next = queue.shift();
    if (!next) return;
    let released = false;
    const held: Held = {
      context: next.context,
      release: () => {
        if (released) return;
        released = true;
      },
    };
    this.held.set(name, held);
    queueMicrotask(() => {
      if (this.held.get(name) !== held) return; // killed before the grant ran
      const result = Promise.resolve().then(() => next.callback({ name, mode: 'exclusive' } as Lock));
      result.then(next.resolve, next.reject).finally(() => this.release(name, held));
    });
  }

  private release(name: string, held: Held): void {
    if (this.held.get(name) !== held) return;
    held.release();
    this.held.delete(name);
    this.grantNext(name);
  }
}

function settle(fn: () => unknown, resolve: (v: unknown) => void, reject: (e: unknown) => void): void {
  Promise.resolve().then(fn).then(resolve, reject);
}
