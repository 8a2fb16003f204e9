/**
 * The hot-op, backlog and bulk-create tables of `npm run bench` (run.ts
 * runs the scenarios; this renders their results).
 */
import type { DriverName } from './core-ops.js';
import type { Summary } from './stats.js';
import { fmtOps, fmtPct, fmtUs, fmtX, renderTable } from './table.js';

/** Claim p50 at the large backlog ÷ at the small one, at most. */
export const TARGET_BACKLOG = 1.5;

export const passText = (pass: boolean): string => (pass ? 'PASS' : 'MISS');
export const k = (n: number): string => (n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n));

export interface OpResult {
  key: string;
  label: string;
  target: number;
  drivers: Partial<Record<DriverName, Summary>>;
  /** sql.js ops/s ÷ better-sqlite3 ops/s. */
  ratio: number;
  /** better-sqlite3 p50 ÷ sql.js p50 (the same ratio, from medians). */
  ratioP50: number;
  pass: boolean;
  error?: string;
}

export interface BacklogResult {
  driver: DriverName;
  /** Queue size → claim summary (the queue holds exactly that many at every timed claim). */
  sizes: { queued: number; setupMs: number; claim: Summary }[];
  /** p50 at the large backlog ÷ p50 at the small one. */
  ratio: number;
  pass: boolean;
  error?: string;
}

export interface BulkResult {
  driver: DriverName;
  single: Summary;
  /** Latencies per execution (batch latency ÷ batch size). */
  batch: Summary;
  speedup: number;
  error?: string;
}

export function renderOps(ops: OpResult[]): string {
  return renderTable(
    [
      { header: 'operation', align: 'left' },
      { header: 'sql.js ops/s' },
      { header: 'p50 us' },
      { header: 'p99 us' },
      { header: 'native ops/s' },
      { header: 'p50 us' },
      { header: 'p99 us' },
      { header: 'ratio' },
      { header: 'p50 ratio' },
      { header: 'target' },
      { header: 'result', align: 'left' },
    ],
    ops.map((r) => {
      const js = r.drivers['sql.js'];
      const nat = r.drivers['better-sqlite3'];
      return [
        r.label,
        fmtOps(js?.opsPerSec ?? Number.NaN),
        fmtUs(js?.p50Us ?? Number.NaN),
        fmtUs(js?.p99Us ?? Number.NaN),
        fmtOps(nat?.opsPerSec ?? Number.NaN),
        fmtUs(nat?.p50Us ?? Number.NaN),
        fmtUs(nat?.p99Us ?? Number.NaN),
        fmtPct(r.ratio),
        fmtPct(r.ratioP50),
        `>= ${Math.round(r.target * 100)}%`,
        r.error ? `ERROR ${r.error}` : passText(r.pass),
      ];
    }),
  );
}

export function renderBacklog(backlog: BacklogResult[], small: number, large: number): string {
  return renderTable(
    [
      { header: 'driver', align: 'left' },
      { header: `p50 @${k(small)} us` },
      { header: `p99 @${k(small)} us` },
      { header: `p50 @${k(large)} us` },
      { header: `p99 @${k(large)} us` },
      { header: `setup ${k(large)} s` },
      { header: `${k(large)}/${k(small)}` },
      { header: 'target' },
      { header: 'result', align: 'left' },
    ],
    backlog.map((r) => {
      const a = r.sizes[0];
      const b = r.sizes[1];
      return [
        r.driver,
        fmtUs(a?.claim.p50Us ?? Number.NaN),
        fmtUs(a?.claim.p99Us ?? Number.NaN),
        fmtUs(b?.claim.p50Us ?? Number.NaN),
        fmtUs(b?.claim.p99Us ?? Number.NaN),
        b ? (b.setupMs / 1000).toFixed(1) : '-',
        fmtX(r.ratio),
        `<= ${TARGET_BACKLOG.toFixed(1)}x`,
        r.error ? `ERROR ${r.error}` : passText(r.pass),
      ];
    }),
  );
}

export function renderBulk(bulk: BulkResult[]): string {
  return renderTable(
    [
      { header: 'driver', align: 'left' },
      { header: 'single ops/s' },
      { header: 'p50 us' },
      { header: 'p99 us' },
      { header: 'batch ops/s' },
      { header: 'p50 us/exec' },
      { header: 'batch/single' },
      { header: 'target' },
      { header: 'result', align: 'left' },
    ],
    bulk.map((r) => [
      r.driver,
      fmtOps(r.single.opsPerSec),
      fmtUs(r.single.p50Us),
      fmtUs(r.single.p99Us),
      fmtOps(r.batch.opsPerSec),
      fmtUs(r.batch.p50Us),
      fmtX(r.speedup),
      '> 1x (preview)',
      r.error ? `ERROR ${r.error}` : passText(r.speedup > 1),
    ]),
  );
}
