/**
 * A fresh engine per test: `createEngineTemplate().create()` (open a copy of
 * a migrated image) against `createEngine()` on an empty database (migrate
 * from scratch). Target: the template's p50 ≤ 5 ms.
 */
import { createBetterSqlite3Driver } from '../src/db/better-sqlite3-driver.js';
import type { Driver } from '../src/db/driver.js';
import { createSqlJsDriver, loadSqlJs } from '../src/db/sqljs-driver.js';
import { createEngine } from '../src/engine/create-engine.js';
import { createEngineTemplate } from '../src/engine/engine-template.js';
import { ManualClock } from '../src/engine/time/clock.js';
import { Samples, summarize, type Summary } from './stats.js';
import { fmtUs, renderTable } from './table.js';

export const TEMPLATE_TARGET_MS = 5;

export interface TemplateResult {
  driver: string;
  template: Summary;
  scratch: Summary;
  pass: boolean;
}

const OPENERS: Record<string, (image?: Uint8Array) => Promise<Driver>> = {
  'sql.js': async (image) => createSqlJsDriver({ sqlJs: await loadSqlJs(), ...(image ? { image } : {}) }),
  'better-sqlite3': (image) => createBetterSqlite3Driver(image ? { image } : {}),
};

/** Wall time of an async op, in ns (Samples.time is for sync ops). */
async function timeAsync(samples: Samples, op: () => Promise<void>): Promise<void> {
  const t0 = process.hrtime.bigint();
  await op();
  samples.add(Number(process.hrtime.bigint() - t0));
}

export async function runTemplateBench(runs: number): Promise<TemplateResult[]> {
  const results: TemplateResult[] = [];
  for (const [driver, openDriver] of Object.entries(OPENERS)) {
    const template = await createEngineTemplate({ devMode: true, openDriver });
    const fromTemplate = new Samples(runs);
    const fromScratch = new Samples(runs);
    for (let i = 0; i < runs + 5; i++) {
      const warm = i < 5; // the first opens pay for JIT and module loading
      const a = new Samples(1);
      await timeAsync(a, async () => (await template.create({ clock: new ManualClock() })).close());
      const b = new Samples(1);
      await timeAsync(b, async () => (await createEngine({ devMode: true, driver: await openDriver(), clock: new ManualClock(), banner: false, scanners: false })).close());
      if (warm) continue;
      fromTemplate.add(a.values()[0]!);
      fromScratch.add(b.values()[0]!);
    }
    const t = summarize(fromTemplate);
    results.push({ driver, template: t, scratch: summarize(fromScratch), pass: t.p50Us <= TEMPLATE_TARGET_MS * 1000 });
  }
  return results;
}

export function renderTemplateBench(results: TemplateResult[]): string {
  return renderTable(
    [
      { header: 'driver', align: 'left' },
      { header: 'template p50 us' },
      { header: 'template p99 us' },
      { header: 'from scratch p50 us' },
      { header: 'speed-up' },
      { header: 'target' },
      { header: 'result', align: 'left' },
    ],
    results.map((r) => [
      r.driver,
      fmtUs(r.template.p50Us),
      fmtUs(r.template.p99Us),
      fmtUs(r.scratch.p50Us),
      `${(r.scratch.p50Us / r.template.p50Us).toFixed(1)}x`,
      `<= ${TEMPLATE_TARGET_MS} ms`,
      r.pass ? 'PASS' : 'MISS',
    ]),
  );
}
