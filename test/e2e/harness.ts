/**
 * Helpers for the e2e tests: open the harness page on a database and run
 * calls against its backend in the page.
 */
import { expect, type BrowserContext, type Page } from '@playwright/test';
import type { BrowserBackendStatus } from '../../src/index.js';

export interface HarnessParams {
  name: string;
  persistence?: 'indexeddb' | 'memory';
  clock?: 'real' | 'manual';
  worker?: 'auto' | 'leader' | 'shared' | 'dedicated';
  debounce?: number;
  /** connectTimeoutMs */
  timeout?: number;
  autostart?: 0;
}

/** A database name no other test uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Open the harness on `params` and wait until its backend is open (or failed to open). */
export async function openHarness(context: BrowserContext, params: HarnessParams, page?: Page): Promise<Page> {
  page ??= await context.newPage();
  page.on('pageerror', (err) => console.error(`[page error] ${err.message}`));
  const query = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]));
  await page.goto(`/harness.html?${query}`);
  await page.evaluate(() => window.ffHarness.ready);
  return page;
}

export async function expectReady(page: Page): Promise<void> {
  expect(await page.evaluate(() => window.ffHarness.error)).toBeNull();
}

export function status(page: Page): Promise<BrowserBackendStatus> {
  return page.evaluate(() => window.ffHarness.backend!.status());
}

/** Create `count` executions on `laneId` from this page, concurrently; returns their ids. */
export function createMany(page: Page, laneId: string, count: number): Promise<string[]> {
  return page.evaluate(
    async ({ laneId, count }) => {
      const backend = window.ffHarness.backend!;
      const results = await Promise.all(Array.from({ length: count }, () => backend.createExecution({ laneId })));
      return results.map((r) => (r as { executionId: string }).executionId);
    },
    { laneId, count },
  );
}

export function countLane(page: Page, laneId: string): Promise<number> {
  return page.evaluate(async (laneId) => (await window.ffHarness.backend!.listExecutions({ laneId, limit: 1000 })).executions.length, laneId);
}

/** The record the backend saved in IndexedDB, read by the page itself. */
export function readSavedMeta(page: Page, name: string): Promise<{ sequence: number; bytes: number } | null> {
  return page.evaluate(
    (dbName) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open(dbName);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('meta')) return resolve(null);
          // The store's meta is the newest delta's when it holds deltas (saves since the chunks were written), else the chunks'.
          const stores = db.objectStoreNames.contains('deltas') ? ['meta', 'deltas'] : ['meta'];
          const tx = db.transaction(stores);
          type Meta = { sequence: number; bytes: number };
          let chunks: Meta | undefined;
          let newest: Meta | undefined;
          tx.objectStore('meta').get('current').onsuccess = (e) => (chunks = (e.target as IDBRequest<Meta | undefined>).result);
          if (stores.length === 2) {
            tx.objectStore('deltas').openCursor(null, 'prev').onsuccess = (e) => (newest = (e.target as IDBRequest<IDBCursorWithValue | null>).result?.value.meta as Meta | undefined);
          }
          tx.oncomplete = () => {
            db.close();
            const meta = newest ?? chunks;
            resolve(meta ? { sequence: meta.sequence, bytes: meta.bytes } : null);
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    `ff-backend-browser:${name}`,
  );
}
