/**
 * The task lifecycle part of `npm run bench:browser`: 16 concurrent callers
 * in a leader tab (worker: 'leader', IndexedDB, no scanners) each loop
 * create → claim → complete through the client, in rounds that alternate
 * with the same work in a loop inside the worker. The target is absolute
 * (tasks/s); the in-worker figure shows what the boundary costs.
 */
import type { Page } from 'playwright-core';
import type { FfLeaderBench, RoundTimings } from '../demo/bench-leader.js';
import { fmtOps, fmtPct, renderTable } from './table.js';

/** Tasks (create + claim + complete) per second through the client. */
export const LIFECYCLE_TARGET = 3_036;

export interface LifecycleConfig {
  callers: number;
  total: number;
  rounds: number;
}

const run = <K extends keyof FfLeaderBench>(page: Page, scenario: K, input: Parameters<FfLeaderBench[K]>[0]): Promise<Awaited<ReturnType<FfLeaderBench[K]>>> =>
  // A string, so no bundler helper of this file leaks into the page.
  page.evaluate(`window.ffLeaderBench.${scenario}(${JSON.stringify(input ?? null)})`) as Promise<Awaited<ReturnType<FfLeaderBench[K]>>>;

export async function runLifecycleBench(newPage: () => Promise<Page>, config: LifecycleConfig, progress: (line: string) => void): Promise<{ config: LifecycleConfig; timings: RoundTimings }> {
  const page = await newPage();
  await page.waitForFunction(() => 'ffLeaderBench' in window);
  try {
    progress(`lifecycle: ${config.callers} callers, create → claim → complete through the client ...`);
    await run(page, 'open', { name: `lifecycle-${Date.now().toString(36)}` });
    return { config, timings: await run(page, 'lifecycle', { lane: 'life', ...config }) };
  } finally {
    await run(page, 'close', undefined).catch(() => {});
    await page.close();
  }
}

function medianOf(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function renderLifecycle({ config, timings }: { config: LifecycleConfig; timings: RoundTimings }): string[] {
  const rate = (ms: number): number => timings.ops / (ms / 1000);
  const via = medianOf(timings.viaClientMs.map(rate));
  const inWorker = medianOf(timings.inWorkerMs.map(rate));
  const ratio = medianOf(timings.viaClientMs.map((ms, i) => timings.inWorkerMs[i]! / ms));
  return [
    `lifecycle: ${config.callers} concurrent callers in the leader tab, create → claim → complete through the client, ${timings.viaClientMs.length} rounds of ${timings.ops} tasks after one warm-up round; median round`,
    renderTable(
      [{ header: 'path', align: 'left' }, { header: 'tasks/s' }, { header: 'in-worker tasks/s' }, { header: 'ratio' }, { header: 'target' }, { header: 'result', align: 'left' }],
      [['create+claim+complete, leader tab', fmtOps(via), fmtOps(inWorker), fmtPct(ratio), `>= ${fmtOps(LIFECYCLE_TARGET)}/s`, via >= LIFECYCLE_TARGET ? 'ok' : 'MISS']],
    ),
  ];
}
