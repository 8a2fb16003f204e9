/**
 * The worker: 'leader' part of `npm run bench:browser`: one page leads (the
 * engine in its dedicated Worker), then a second page on the same database
 * follows (calls through a port the broker relayed). Measured in the same
 * run, against a raw postMessage echo to a dedicated Worker:
 *
 *   - one caller, now() round trips, p50, in the leader tab and the follower tab;
 *   - 16 concurrent callers (createExecution; claim+complete) vs the same ops
 *     in a loop inside the worker: the leader tab alone (the target), the
 *     follower tab, and the leader tab again with the follower connected.
 *
 * The database is saved to IndexedDB with a 60 s debounce and no scanners,
 * so the only saves are the ones the topology makes: a follower's writes
 * wait for theirs, and with a follower connected the leader saves its own
 * once they pause.
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
  leader: { roles: string; now: number[]; conc: Concurrency; concWithFollower: Concurrency };
  follower: { now: number[]; conc: Concurrency };
}

export interface LeaderBenchConfig {
  rt: number;
  rtWarmup: number;
  total: number;
  callers: number;
  /** Alternating rounds of via-client and in-worker work (see demo/bench-leader.ts), `total / rounds` ops each. @default 8 */
  rounds?: number;
  /**
   * Rounds of the same size for the leader tab alone, the targeted row. A
   * round lasts tens of milliseconds, so a slow spell of the machine decides
   * a whole round's ratio: with 8 of them the median moved by up to 15
   * points between runs of the same build. @default 24
   */
  targetRounds?: number;
}

/** The defaults of LeaderBenchConfig's `rounds` and `targetRounds`. */
const ROUNDS = 8;
const TARGET_ROUNDS = 24;

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
    const rounds = config.rounds ?? ROUNDS;
    progress('worker leader: raw echo to a dedicated worker, round trips and concurrent callers in the leader tab alone ...');
    const leaderRole = await run(leaderPage, 'open', { name });
    const { raw, now: leaderNow } = await run(leaderPage, 'roundTripVsEcho', { n: config.rt, warmup: config.rtWarmup, blocks: 10 });
    const targetRounds = config.targetRounds ?? TARGET_ROUNDS;
    const leaderConc = await run(leaderPage, 'concurrency', { lane: 'leader', callers: config.callers, total: (config.total / rounds) * targetRounds, rounds: targetRounds });
    progress('worker leader: a follower tab joins ...');
    const roles = `${leaderRole}/${await run(followerPage, 'open', { name })}`;
    const followerNow = await run(followerPage, 'roundTrip', { n: config.rt, warmup: config.rtWarmup });
    // A follower's writes each wait for a save: a quarter of the work tells as much in a quarter of the time.
    const followerConc = await run(followerPage, 'concurrency', { lane: 'follower', callers: config.callers, total: Math.ceil(config.total / 4), rounds });
    const concWithFollower = await run(leaderPage, 'concurrency', { lane: 'leader2', callers: config.callers, total: config.total, rounds });
    return { raw, leader: { roles, now: leaderNow, conc: leaderConc, concWithFollower }, follower: { now: followerNow, conc: followerConc } };
  } finally {
    await run(followerPage, 'close', undefined).catch(() => {});
    await run(leaderPage, 'close', undefined).catch(() => {});
    await followerPage.close();
    await leaderPage.close();
  }
}

function medianOf(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
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
  out.push(`worker 'leader' (pages: ${report.leader.roles}): ${config.rt} sequential now() after ${config.rtWarmup} warm-up; the echo is a raw postMessage to a dedicated Worker, in blocks alternating with the leader's calls`);
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
  const rounds = config.rounds ?? ROUNDS;
  out.push(
    `worker 'leader': ${config.callers} concurrent callers vs the same ops in a loop inside the worker, in alternating rounds of ${config.total / rounds} ops (a quarter in the follower): ${config.targetRounds ?? TARGET_ROUNDS} rounds in the leader tab alone, ${rounds} in the others; ratio = median of the rounds' ratios, middle half = their 25th to 75th percentiles`,
  );
  out.push(
    "a follower's writes wait for their save; with a follower connected the leader saves its own writes whenever they pause, here between every round (the debounce is 60 s so that otherwise no save runs)",
  );
  const rows: string[][] = [];
  const cases = [
    ['leader tab alone', report.leader.conc, true],
    ['follower tab', report.follower.conc, false],
    ['leader tab, a follower connected', report.leader.concWithFollower, false],
  ] as const;
  for (const [who, conc, targeted] of cases) {
    for (const [op, r] of Object.entries(conc)) {
      const sum = (xs: number[]): number => xs.reduce((x, y) => x + y, 0);
      const via = (r.ops * r.viaClientMs.length) / (sum(r.viaClientMs) / 1000);
      const inWorker = (r.ops * r.inWorkerMs.length) / (sum(r.inWorkerMs) / 1000);
      const ratios = r.viaClientMs.map((ms, i) => r.inWorkerMs[i]! / ms).sort((a, b) => a - b);
      const ratio = medianOf(ratios);
      const quartile = (q: number): string => fmtPct(ratios[Math.min(ratios.length - 1, Math.floor(q * ratios.length))]!);
      rows.push([`${op}, ${who}`, fmtOps(via), fmtOps(inWorker), fmtPct(ratio), `${quartile(0.25)}–${quartile(0.75)}`, targeted ? `>= ${TARGET.concurrency * 100}%` : '', targeted ? pass(ratio >= TARGET.concurrency) : '']);
    }
  }
  out.push(
    renderTable(
      [{ header: 'operation', align: 'left' }, { header: 'via client ops/s' }, { header: 'in-worker ops/s' }, { header: 'ratio' }, { header: 'middle half' }, { header: 'target' }, { header: 'result', align: 'left' }],
      rows,
    ),
  );
  return out;
}
