/**
 * The cold start in an on-disk browser profile, the part of `npm run
 * bench:browser` that measures what a user's browser does. The rest of the
 * bench runs in a fresh incognito-like context, where Chromium keeps
 * IndexedDB in memory, and reading a 10 MB image back from there took two
 * to three times as long as from disk (bench/cold-profile.ts). So the same
 * database is grown and reopened here in a profile kept in a temporary
 * directory, and a full save is measured in that same profile to compare
 * with:
 *
 *   - cold starts within one browser session, each in a new worker (a tab
 *     reloaded, or opened again), alternating with starts of a database
 *     holding the schema alone and with full saves, each on a fresh page;
 *   - the first start after the browser itself restarted (new processes; the
 *     operating system's file cache may still hold the files).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type LaunchOptions, type Page } from 'playwright-core';
import type { FfBench } from '../demo/bench.js';

export type ColdResult = Awaited<ReturnType<FfBench['coldStart']>>;

export interface OnDiskCold {
  /** Cold starts in one browser session, a new page (and worker) each. */
  cold: ColdResult[];
  /** The same, of a saved database holding the schema alone, alternating with them. */
  coldSmall: ColdResult[];
  /** Full saves of the image, each on a fresh page in the cold start's loop, as the incognito rows measure theirs. */
  freshFullSaveMs: number[];
  /** The first cold start after each browser restart. */
  restart: ColdResult[];
}

export interface OnDiskConfig {
  launch: LaunchOptions;
  url: string;
  mb: number;
  coldReps: number;
  restarts: number;
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function runColdOnDisk(config: OnDiskConfig, progress: (line: string) => void): Promise<OnDiskCold> {
  const dir = mkdtempSync(join(tmpdir(), 'ff-bench-profile-'));
  const name = `cold-disk-${Date.now().toString(36)}`;
  const out: OnDiskCold = { cold: [], coldSmall: [], freshFullSaveMs: [], restart: [] };
  const open = async (context: BrowserContext): Promise<Page> => {
    const page = await context.newPage();
    page.on('pageerror', (err) => progress(`[page error] ${err.message}`));
    await page.goto(config.url);
    await page.waitForFunction(() => 'ffBench' in window);
    return page;
  };
  // A string, so no bundler helper of this file leaks into the page.
  const run = <K extends keyof FfBench>(page: Page, scenario: K, input: Parameters<FfBench[K]>[0]) =>
    page.evaluate(`window.ffBench.${scenario}(${JSON.stringify(input)})`) as Promise<Awaited<ReturnType<FfBench[K]>>>;
  try {
    let context = await chromium.launchPersistentContext(dir, config.launch);
    let page = await open(context);
    progress(`on-disk profile: growing a ${config.mb} MB database ...`);
    await run(page, 'persistGrow', { name, mb: config.mb });
    await run(page, 'persistClose', { name });
    await run(page, 'persistGrow', { name: `${name}-small`, mb: 0 });
    await run(page, 'persistClose', { name: `${name}-small` });
    for (let r = 0; r < config.coldReps; r++) {
      // Closing the page ends its worker, so each start gets a new one; the small database alternates with the large.
      for (const [db, into] of [[name, out.cold], [`${name}-small`, out.coldSmall]] as const) {
        await page.close();
        await pause(500);
        progress(`on-disk profile: cold start ${r + 1}/${config.coldReps} of ${db} ...`);
        page = await open(context);
        into.push(await run(page, 'coldStart', { name: db, worker: 'dedicated' }));
      }
      // And a full save on a fresh page, in the same turn.
      await page.close();
      page = await open(context);
      out.freshFullSaveMs.push(await run(page, 'fullSaveFresh', { name }));
    }
    for (let r = 0; r < config.restarts; r++) {
      await context.close();
      progress(`on-disk profile: first start after a browser restart ${r + 1}/${config.restarts} ...`);
      context = await chromium.launchPersistentContext(dir, config.launch);
      page = await open(context);
      out.restart.push(await run(page, 'coldStart', { name, worker: 'dedicated' }));
    }
    await context.close();
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
