/**
 * What worker: 'auto' becomes, by what the platform has: the leader topology
 * needs Web Locks and SharedWorker; without them, what 'auto' was before.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { resolveWorkerMode } from '../../src/client/worker-transport.js';

const g = globalThis as { SharedWorker?: unknown; navigator?: unknown };
const saved = { SharedWorker: g.SharedWorker, navigator: Object.getOwnPropertyDescriptor(globalThis, 'navigator') };
afterEach(() => {
  if (saved.SharedWorker === undefined) delete g.SharedWorker;
  else g.SharedWorker = saved.SharedWorker;
  if (saved.navigator) Object.defineProperty(globalThis, 'navigator', saved.navigator);
  else delete g.navigator;
});

function platform(has: { sharedWorker: boolean; locks: boolean }): void {
  if (has.sharedWorker) g.SharedWorker = class {};
  else delete g.SharedWorker;
  Object.defineProperty(globalThis, 'navigator', { value: has.locks ? { locks: {} } : {}, configurable: true, writable: true });
}

describe("worker: 'auto'", () => {
  it("is 'leader' with Web Locks and SharedWorker", () => {
    platform({ sharedWorker: true, locks: true });
    expect(resolveWorkerMode('auto')).toBe('leader');
  });

  it("is 'shared' with SharedWorker but no Web Locks", () => {
    platform({ sharedWorker: true, locks: false });
    expect(resolveWorkerMode('auto')).toBe('shared');
  });

  it("is 'dedicated' without SharedWorker", () => {
    platform({ sharedWorker: false, locks: true });
    expect(resolveWorkerMode('auto')).toBe('dedicated');
  });

  it('leaves a mode asked for by name alone', () => {
    platform({ sharedWorker: false, locks: false });
    for (const mode of ['leader', 'shared', 'dedicated'] as const) expect(resolveWorkerMode(mode)).toBe(mode);
  });
});
