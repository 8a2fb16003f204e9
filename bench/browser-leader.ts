/**
 * The worker: 'leader' part of `npm run bench:browser`: two pages on one
 * database, the first leading (the engine in its dedicated Worker), the
 * second following (calls through a port the broker relayed). Measured in
 * the same run, against a raw postMessage echo to a dedicated Worker:
 *
 *   - one caller, now() round trips, p50, through the leader and the follower;
 *   - 16 concurrent callers (createExecution; claim+complete) vs the same ops
 *     in a loop inside the worker, through the leader and the follower.
 *
 * The database is saved to IndexedDB (scanners off, a long debounce), so a
 * follower's writes wait for their save, as they do in use.
 */
import type { Page } from 'playwright-core';
import type { FfLeaderBench } from '../demo/bench-leader.js';
import { Samples, summarize, type Summary } from './stats.js';
import { fmtOps, fmtPct, fmtUs, fmtX, renderTable } from './table.js';

/** The brief's targets for the leader tab: a round trip within 1.5x the raw echo, and 70 % of in-worker throughput. */
const TARGET = { roundTripVsEcho: 1.5, concurrency: 0.7 };

type Concurrency = Awaited<ReturnType<FfLeaderBench['concurrency']>>;

export interface LeaderReport {
  raw: number[];
  leader: { roles: string; now: number[]; conc: Concurrency };
  follower: { now: number[]; conc: Concurrency };
}

export interface LeaderBenchConfig {
  rt: number;
  rtWarmup: number;
  total: number;
  callers: number;
}

const run = <K extends keyof FfLeaderBench>(page: Page, scenario: K, input: Parameters<FfLeaderBench[K]>[0]): Promise<Awaited<ReturnType<FfLeaderBench[K]>>> =>
  // A string, so no bundler helper of this file leaks into the page.
  page.evaluate(`window.ffLeaderBench.${scenario}(${JSON.stringify(input ?? null)})`) as Promise<Awaited<ReturnType<FfLeaderBench[K]>>>;

export async function runLeaderBench(newPage: () => Promise<Page>, config: LeaderBenchConfig, progress: (line: string) => void): Promise<LeaderReport> {
  const name = `leader-${Date.now().toString(36)}`;
  const leaderPage = await newPage();
  const followerPage = await newPage();
  // demo/bench.html loads these scenarios as a second module script, which may run after the page's first.
  await Promise.all([leaderPage, followerPage].map((page) => page.waitForFunction(() => 'ffLeaderBench' in window)));
  try {
    progress('worker leader: raw echo to a dedicated worker, round trips ...');
    const raw = await run(leaderPage, 'rawDedicated', { n: config.rt, warmup: config.rtWarmup });
    const roles = `${await run(leaderPage, 'open', { name })}/${await run(followerPage, 'open', { name })}`;
    const leaderNow = await run(leaderPage, 'roundTrip', { n: config.rt, warmup: config.rtWarmup });
    const followerNow = await run(followerPage, 'roundTrip', { n: config.rt, warmup: config.rtWarmup });
    progress('worker leader: concurrent callers, leader then follower ...');
    const leaderConc = await run(leaderPage, 'concurrency', { lane: 'leader', callers: config.callers, total: config.total });
    const followerConc = await run(followerPage, 'concurrency', { lane: 'follower', callers: config.callers, total: config.total });
    return { raw, leader: { roles, now: leaderNow, conc: leaderConc }, follower: { now: followerNow, conc: followerConc } };
  } finally {
    await run(followerPage, 'close', undefined).catch(() => {});
    await run(leaderPage, 'close', undefined).catch(() => {});
    await followerPage.close();
    await leaderPage.close();
  }
}

function summaryOfMs(ms: readonly number[]): Summary {
  const samples = new Samples(ms.length);
  for (const v of ms) samples.add(v * 1e6);
  return summarize(samples);
}

export function renderLeader(report: LeaderReport, config: LeaderBenchConfig): string[] {
  const pass = (ok: boolean): string => (ok ? 'ok' : 'MISS');
  const raw = summaryOfMs(report.raw);
  const out: string[] = [];
  out.push(`worker 'leader' (pages: ${report.leader.roles}): ${config.rt} sequential now() after ${config.rtWarmup} warm-up; the echo is a raw postMessage to a dedicated Worker, same run`);
  out.push(
    renderTable(
      [{ header: 'path', align: 'left' }, { header: 'calls/s' }, { header: 'p50 us' }, { header: 'p99 us' }, { header: 'p50 vs echo' }, { header: 'target' }, { header: 'result', align: 'left' }],
      (
        [
          ['raw echo, dedicated Worker (the floor)', report.raw, false],
          ['now() in the leader tab', report.leader.now, true],
          ['now() in a follower tab', report.follower.now, false],
        ] as const
      ).map(([label, ms, targeted]) => {
        const s = summaryOfMs(ms);
        const ratio = s.p50Us / raw.p50Us;
        return [label, fmtOps(s.opsPerSec), fmtUs(s.p50Us), fmtUs(s.p99Us), fmtX(ratio), targeted ? `<= ${TARGET.roundTripVsEcho}x` : '', targeted ? pass(ratio <= TARGET.roundTripVsEcho) : ''];
      }),
    ),
  );
  out.push('');
  out.push(`worker 'leader': ${config.callers} concurrent callers vs the same ops in a loop inside the worker (${config.total} ops each); a follower's writes wait for their save`);
  const rows: string[][] = [];
  for (const [who, conc, targeted] of [['leader', report.leader.conc, true], ['follower', report.follower.conc, false]] as const) {
    for (const [op, r] of Object.entries(conc)) {
      const via = r.ops / (r.viaClientMs / 1000);
      const inWorker = r.ops / (r.inWorkerMs / 1000);
      const ratio = via / inWorker;
      rows.push([`${op}, ${who} tab`, fmtOps(via), fmtOps(inWorker), fmtPct(ratio), targeted ? `>= ${TARGET.concurrency * 100}%` : '', targeted ? pass(ratio >= TARGET.concurrency) : '']);
    }
  }
  out.push(renderTable([{ header: 'operation', align: 'left' }, { header: 'via client ops/s' }, { header: 'in-worker ops/s' }, { header: 'ratio' }, { header: 'target' }, { header: 'result', align: 'left' }], rows));
  return out;
}
