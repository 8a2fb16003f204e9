/**
 * The scanner supervisor on a real clock. Its loops wait on an injected
 * Timer: each test passes a ManualTimer, and a clock that reads the same
 * timer, and moves time itself, so it sees exactly the ticks due by then
 * however loaded the machine is.
 */
import { describe, expect, it } from 'vitest';
import { createEngine, type Clock } from '../../src/index.js';
import type { Scanner, ScannerReport } from '../../src/scanners/scanner.js';
import { ScannerSupervisor } from '../../src/scanners/supervisor.js';
import { ManualTimer } from '../../src/worker-runtime/manual-timer.js';
import { openDriver, TEST_START_MS } from './helpers.js';

const report = (scanner: string, at: number, processed = 0): ScannerReport => ({ scanner, at, processed, errors: 0 });
/** Let every queued microtask run (an async tick's continuation, the next schedule). Not a wait on time. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A real-kind clock that reads the ManualTimer: milliseconds since the timer was made. */
function timed() {
  const timer = new ManualTimer();
  const clock: Clock = { kind: 'real', now: () => timer.now() };
  /** Move time by `ms`, one millisecond at a time, letting async ticks settle at each step. */
  const elapse = async (ms: number) => {
    for (let i = 0; i < ms; i++) {
      timer.advance(1);
      await settle();
    }
  };
  /** A promise that resolves `ms` later on the timer: what an async tick waits on. */
  const sleep = (ms: number) => new Promise<void>((resolve) => timer.setTimeout(resolve, ms));
  const supervise = (scanners: Scanner[], onError?: (name: string, error: unknown) => void) =>
    new ScannerSupervisor(clock, scanners, undefined, onError, timer);
  return { timer, elapse, sleep, supervise };
}

describe('scanner supervisor on a real clock, driven by a ManualTimer', () => {
  it('first tick one interval after start, then one interval after each; interval 0 never runs', async () => {
    const { timer, elapse, supervise } = timed();
    const ticks: Record<string, number[]> = { a: [], off: [] };
    const sup = supervise([
      { name: 'a', intervalMs: 40, tick: (now) => (ticks['a']!.push(now), report('a', now)) },
      { name: 'off', intervalMs: 0, tick: (now) => (ticks['off']!.push(now), report('off', now)) },
    ]);
    sup.start();
    expect(timer.pending).toBe(1); // the disabled scanner has no timer
    await elapse(39);
    expect(ticks['a']).toEqual([]);
    await elapse(1);
    expect(ticks['a']).toEqual([40]);
    await elapse(80);
    expect(ticks['a']).toEqual([40, 80, 120]);
    expect(ticks['off']).toEqual([]);
    expect(await sup.shutdown(100)).toBe(0);
    expect(timer.pending).toBe(0);
  });

  it('a failing tick is reported and the loop goes on', async () => {
    const { elapse, supervise } = timed();
    let calls = 0;
    const failures: string[] = [];
    const sup = supervise(
      [
        {
          name: 'flaky',
          intervalMs: 15,
          tick: (now) => {
            calls++;
            if (calls === 1) throw new Error('boom');
            return report('flaky', now);
          },
        },
      ],
      (name, err) => failures.push(`${name}: ${(err as Error).message}`),
    );
    sup.start();
    await elapse(15);
    expect(failures).toEqual(['flaky: boom']);
    expect(sup.states()[0]).toMatchObject({ lastError: 'boom', ticks: 1 });
    await elapse(30);
    expect(calls).toBe(3);
    expect(failures).toEqual(['flaky: boom']);
    expect(sup.states()[0]).toMatchObject({ name: 'flaky', lastError: null, ticks: 3 });
    await sup.shutdown(0);
  });

  it('ticks of one scanner never overlap, even when a tick outlasts the interval', async () => {
    const { elapse, sleep, supervise } = timed();
    const starts: number[] = [];
    let active = 0;
    let maxActive = 0;
    let done = 0;
    const sup = supervise([
      {
        name: 'slow',
        intervalMs: 5,
        tick: async (now) => {
          starts.push(now);
          active++;
          maxActive = Math.max(maxActive, active);
          await sleep(30);
          active--;
          done++;
          return report('slow', now);
        },
      },
    ]);
    sup.start();
    await elapse(150);
    // Each tick starts one interval after the previous one finished, never during it.
    expect(starts).toEqual([5, 40, 75, 110, 145]);
    expect(done).toBe(4);
    expect(maxActive).toBe(1);
    const stopping = sup.shutdown(100);
    await elapse(30);
    expect(await stopping).toBe(0);
    expect(done).toBe(5);
  });

  it('shutdown waits up to the grace and counts ticks stuck past it; a second call is harmless', async () => {
    const { timer, elapse, sleep, supervise } = timed();
    let release!: () => void;
    const stuck = new Promise<void>((resolve) => (release = resolve));
    const quickDone: number[] = [];
    const sup = supervise([
      { name: 'stuck', intervalMs: 5, tick: async (now) => (await stuck, report('stuck', now)) },
      { name: 'quick', intervalMs: 5, tick: async (now) => (await sleep(10), quickDone.push(now), report('quick', now)) },
    ]);
    sup.start();
    await elapse(8); // both ticks started at 5; 'quick' ends at 15, 'stuck' never
    let abandoned: number | undefined;
    const stopping = sup.shutdown(60).then((n) => (abandoned = n));
    await elapse(59);
    expect(quickDone).toHaveLength(1);
    expect(abandoned).toBeUndefined();
    await elapse(1);
    await stopping;
    expect(abandoned).toBe(1);
    expect(await sup.shutdown(60)).toBe(0);
    release();
    await elapse(40);
    expect(quickDone).toHaveLength(1); // stopped loops do not tick again
    expect(timer.pending).toBe(0);
  });

  it("an engine on a real clock runs its scanners on the engine's timer", async () => {
    const timer = new ManualTimer();
    const clock: Clock = { kind: 'real', now: () => TEST_START_MS + timer.now() };
    const engine = await createEngine({ devMode: true, driver: await openDriver(), clock, timer, banner: false, scanners: { intervals: { delayed_promotion: 1_000 } } });
    const id = engine.createExecution({ laneId: 'l', delayUntil: clock.now() + 1_500 }).executionId;
    // The next tick is scheduled once the previous one has settled (a microtask later).
    timer.advance(1_000);
    await settle();
    expect(engine.readExecutionState({ executionId: id })).toBe('delayed');
    timer.advance(999);
    await settle();
    expect(engine.readExecutionState({ executionId: id })).toBe('delayed');
    timer.advance(1);
    expect(engine.readExecutionState({ executionId: id })).toBe('waiting');
    expect(engine.scannerStates().find((s) => s.name === 'delayed_promotion')).toMatchObject({ ticks: 2, lastTickAt: TEST_START_MS + 2_000 });
    expect(await engine.shutdown({ graceMs: 0 })).toBe(0);
    expect(timer.pending).toBe(0);
    engine.close();
  });
});
