/**
 * The worker's "I am running" message: posted once by a dedicated worker,
 * and once on each SharedWorker port, as soon as the entry module has run.
 * It is the page's only positive sign that the script loaded. A script that
 * fails to load fires `error` with no message and no code, and one that did
 * load says nothing until asked, so without this the page could only wait
 * for a timeout before trying the worker's other URL (see
 * src/client/worker-transport.ts). comlink ignores it: it has no `id`.
 */
export const WORKER_READY = { ffBackendBrowserWorker: 'ready' } as const;

export function isWorkerReady(data: unknown): boolean {
  return typeof data === 'object' && data !== null && (data as { ffBackendBrowserWorker?: unknown }).ffBackendBrowserWorker === 'ready';
}
