/**
 * A client's calls in flight: each settles with its own answer while the
 * worker lives, every pending one rejects with the death's reason when it
 * dies, later ones reject at once, and a settled call holds no place.
 */
import { describe, expect, it } from 'vitest';
import { EngineError } from '../../src/api/errors.js';
import { PendingCalls } from '../../src/client/pending-calls.js';

function deferred<T>(): { promise: Promise<T>; resolve(value: T): void; reject(error: unknown): void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('PendingCalls', () => {
  it('passes answers and errors through, and forgets a call once it settles', async () => {
    const calls = new PendingCalls();
    const ok = deferred<number>();
    const bad = deferred<number>();
    const a = calls.track(ok.promise);
    const b = calls.track(bad.promise);
    expect(calls.size).toBe(2);
    ok.resolve(7);
    bad.reject(new Error('refused'));
    await expect(a).resolves.toBe(7);
    await expect(b).rejects.toThrow('refused');
    expect(calls.size).toBe(0);
  });

  it('a death rejects every pending call with its reason, and every later call at once', async () => {
    const calls = new PendingCalls();
    const never = deferred<number>();
    const pending = [calls.track(never.promise), calls.track(deferred<string>().promise)];
    const reason = new EngineError('closed', 'the backend worker is gone');
    calls.fail(reason);
    calls.fail(new EngineError('closed', 'a second death')); // the first reason stays
    for (const call of pending) await expect(call).rejects.toBe(reason);
    expect(calls.size).toBe(0);
    await expect(calls.track(Promise.resolve(1))).rejects.toBe(reason);
    // An answer arriving after the death changes nothing.
    never.resolve(3);
    await expect(pending[0]).rejects.toBe(reason);
  });

  it('holds nothing for settled calls however many were made', async () => {
    const calls = new PendingCalls();
    for (let i = 0; i < 10_000; i++) await calls.track(Promise.resolve(i));
    expect(calls.size).toBe(0);
  });
});
