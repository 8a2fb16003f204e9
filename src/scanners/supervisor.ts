/**
 * Scanner supervisor: one loop per scanner on the engine clock.
 *
 * Real time: each loop is a chained timer (on the injected Timer, so a test
 * drives it with a ManualTimer instead of waiting); the first tick runs one interval
 * after start, the next one interval after the previous tick finished, so
 * ticks of one scanner never overlap and missed ticks are not bursted. An
 * interval of 0 disables the scanner. A failing tick is reported and the loop
 * goes on. `shutdown(graceMs)` stops every loop, waits up to the grace for
 * running ticks and returns how many did not finish; calling it again is
 * harmless.
 *
 * Virtual time (a ManualClock): no timers. The clock asks `nextDue()` and
 * calls `runDueTick()` as it advances. A scanner's next tick is one interval
 * after its previous tick, or later when its `nextWorkAt()` says there is
 * nothing to do before then: idle ticks are skipped, so advancing ten
 * virtual years costs the ticks that change something, not millions of
 * empty ones. The clock never moves past a tick it has not run (see
 * ManualClock.advanceTo), so nothing due is ever left behind it.
 */
import type { Clock } from '../engine/time/clock.js';
import { realTimer, type Timer, type TimerId } from '../worker-runtime/worker-runtime-timer.js';
import type { Scanner, ScannerReport } from './scanner.js';

export interface DueTick {
  at: number;
  scanner: string;
}

export interface ScannerState {
  name: string;
  intervalMs: number;
  enabled: boolean;
  running: boolean;
  lastTickAt: number | null;
  lastReport: ScannerReport | null;
  lastError: string | null;
  ticks: number;
}

interface Loop {
  scanner: Scanner;
  state: ScannerState;
  /** Virtual time: when the previous tick ran (start time before the first). */
  anchor: number;
  timer: TimerId | undefined;
  running: Promise<void> | undefined;
}

export type ReportListener = (report: ScannerReport) => void;
export type TickErrorListener = (scanner: string, error: unknown) => void;

export class ScannerSupervisor {
  private readonly loops: Loop[];
  private started = false;
  private stopped = false;
  private readonly virtual: boolean;

  constructor(
    private readonly clock: Clock,
    scanners: readonly Scanner[],
    private readonly onReport: ReportListener = () => {},
    private readonly onError: TickErrorListener = () => {},
    /** Real-clock ticks and the shutdown grace wait on it; virtual time needs none. */
    private readonly timer: Timer = realTimer,
  ) {
    this.virtual = clock.kind === 'manual';
    this.loops = scanners.map((scanner) => ({
      scanner,
      state: {
        name: scanner.name,
        intervalMs: scanner.intervalMs,
        enabled: scanner.intervalMs > 0,
        running: false,
        lastTickAt: null,
        lastReport: null,
        lastError: null,
        ticks: 0,
      },
      anchor: 0,
      timer: undefined,
      running: undefined,
    }));
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    const now = this.clock.now();
    for (const loop of this.loops) {
      loop.anchor = now;
      if (loop.state.enabled && !this.virtual) this.schedule(loop);
    }
  }

  /** Run one tick of `name` now, outside its schedule (it still never overlaps itself). */
  async runNow(name: string): Promise<ScannerReport | null> {
    const loop = this.loops.find((l) => l.scanner.name === name);
    if (!loop) throw new Error(`no scanner named ${name}`);
    if (loop.running) await loop.running;
    if (this.virtual) loop.anchor = this.clock.now();
    return this.runTick(loop, this.clock.now());
  }

  states(): ScannerState[] {
    return this.loops.map((l) => ({ ...l.state }));
  }

  // ── virtual time ──────────────────────────────────────────────────────

  /** The earliest tick that would do work (virtual time), optionally of one scanner. */
  nextDue(scanner?: string): DueTick | null {
    let best: DueTick | null = null;
    for (const loop of this.loops) {
      if (scanner !== undefined && loop.scanner.name !== scanner) continue;
      const at = this.dueAt(loop);
      if (at !== null && (best === null || at < best.at)) best = { at, scanner: loop.scanner.name };
    }
    return best;
  }

  /** Run the tick `nextDue()` named; the clock has already moved to its time. Null while an async tick runs. */
  runDueTick(due: DueTick): ScannerReport | null {
    const loop = this.loops.find((l) => l.scanner.name === due.scanner);
    if (!loop) return null;
    loop.anchor = due.at;
    const result = this.runTick(loop, due.at);
    return result instanceof Promise ? null : result;
  }

  private dueAt(loop: Loop): number | null {
    if (!this.started || this.stopped || !loop.state.enabled || loop.running) return null;
    // A tick can run no earlier than now: work a tick has just made due in the past (an event it
    // superseded was already older than the retention age, say) is due now, not behind the clock.
    const earliest = Math.max(loop.anchor + loop.scanner.intervalMs, this.clock.now());
    if (!loop.scanner.nextWorkAt) return earliest;
    const work = loop.scanner.nextWorkAt();
    return work === null ? null : Math.max(earliest, work);
  }

  // ── ticks ─────────────────────────────────────────────────────────────

  private schedule(loop: Loop): void {
    if (this.stopped) return;
    loop.timer = this.timer.setTimeout(() => {
      loop.timer = undefined;
      void Promise.resolve(this.runTick(loop, this.clock.now())).finally(() => this.schedule(loop));
    }, loop.scanner.intervalMs);
    // In Node, a scanner timer alone must not keep the process alive.
    (loop.timer as { unref?: () => void }).unref?.();
  }

  /** Synchronous when the scanner's tick is (every built-in one is). */
  private runTick(loop: Loop, now: number): ScannerReport | null | Promise<ScannerReport | null> {
    loop.state.running = true;
    const settle = (report: ScannerReport | null, error: unknown): ScannerReport | null => {
      loop.state.running = false;
      loop.running = undefined;
      loop.state.lastTickAt = now;
      loop.state.ticks++;
      if (error !== undefined) {
        loop.state.lastError = error instanceof Error ? error.message : String(error);
        this.onError(loop.scanner.name, error);
        return null;
      }
      loop.state.lastError = null;
      loop.state.lastReport = report;
      if (report) this.onReport(report);
      return report;
    };
    let result: ScannerReport | Promise<ScannerReport>;
    try {
      result = loop.scanner.tick(now);
    } catch (err) {
      return settle(null, err);
    }
    if (!(result instanceof Promise)) return settle(result, undefined);
    const done = result.then(
      (report) => settle(report, undefined),
      (err: unknown) => settle(null, err),
    );
    loop.running = done.then(() => undefined);
    return done;
  }

  /**
   * Stop every loop; wait up to `graceMs` (real milliseconds) for running
   * ticks. Returns how many ticks had not finished. A second call returns 0.
   */
  async shutdown(graceMs = 0): Promise<number> {
    if (this.stopped) return 0;
    this.stopped = true;
    for (const loop of this.loops) {
      if (loop.timer !== undefined) this.timer.clearTimeout(loop.timer);
      loop.timer = undefined;
    }
    const running = this.loops.map((l) => l.running).filter((p): p is Promise<void> => p !== undefined);
    if (running.length === 0) return 0;
    let finished = 0;
    const all = Promise.all(running.map((p) => p.then(() => void finished++)));
    let timer: TimerId | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = this.timer.setTimeout(resolve, graceMs);
    });
    await Promise.race([all, grace]);
    this.timer.clearTimeout(timer);
    return running.length - finished;
  }
}
