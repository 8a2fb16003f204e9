/**
 * The retention_trimmer: what it deletes, when (exactly maxAgeMs after a
 * terminal execution ended, or after an event happened), what it never
 * touches, and that an age of 0 keeps everything.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Engine } from '../../src/index.js';
import type { ScannerReport } from '../../src/scanners/scanner.js';
import { FlowBuilder } from './flow-helpers.js';
import { makeEngine, rows, TEST_START_MS, WORKER } from './helpers.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function count(engine: Engine, table: string, where = '1 = 1'): number {
  return rows<{ n: number }>(engine, `SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`)[0]!.n;
}

/** History rows of one execution, by table. */
function history(engine: Engine, executionId: string): Record<string, number> {
  const of = `execution_id = '${executionId}'`;
  return {
    attempts: count(engine, 'ff_attempt', of),
    lease: count(engine, 'ff_lease_event', of),
    completion: count(engine, 'ff_completion_event', of),
  };
}

/** Create, claim, renew and complete one execution; it ends now. */
function runToCompletion(engine: Engine, laneId = 'l'): string {
  const { executionId } = engine.createExecution({ laneId });
  const handle = engine.claim({ laneId, ...WORKER })!;
  engine.renewLease({ handle });
  engine.completeExecution({ handle, result: 'done' });
  return executionId;
}

function trimmerReports(engine: Engine): ScannerReport[] {
  const reports: ScannerReport[] = [];
  engine.onScannerReport((r) => {
    if (r.scanner === 'retention_trimmer') reports.push(r);
  });
  return reports;
}

describe('retention_trimmer', () => {
  it("trims a terminal execution's history exactly maxAgeMs after it ended, in one transaction, and keeps the execution", async () => {
    const { engine, clock } = await makeEngine({ scanners: { retention: { maxAgeMs: HOUR } } });
    const id = runToCompletion(engine);
    const endedAt = clock.now();
    expect(history(engine, id)).toEqual({ attempts: 1, lease: 3, completion: 1 });
    expect(engine.nextDue({ scanner: 'retention_trimmer' })).toEqual({ at: endedAt + HOUR, scanner: 'retention_trimmer' });

    clock.advanceTo(endedAt + HOUR - 1);
    expect(history(engine, id)).toEqual({ attempts: 1, lease: 3, completion: 1 });

    let commits = 0;
    engine.onCommit(() => commits++);
    const reports = trimmerReports(engine);
    clock.advanceTo(endedAt + HOUR);
    expect(commits).toBe(1);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ processed: 4, details: { executions: 1, leaseEvents: 3, completionEvents: 1, rows: 4 } });
    // The execution, its result and its attempt stay; its events are gone.
    expect(history(engine, id)).toEqual({ attempts: 1, lease: 0, completion: 0 });
    expect(engine.readExecutionState({ executionId: id })).toBe('completed');
    expect(engine.getExecutionResult({ executionId: id })).toBe('done');
    expect(engine.describeExecution({ executionId: id })!.attempts).toHaveLength(1);
    // Nothing left to do: virtual time will not tick it again.
    expect(engine.nextDue({ scanner: 'retention_trimmer' })).toBeNull();
  });

  it('reports the exact time of the next trimmable row after a tick', async () => {
    const { engine, clock } = await makeEngine({ scanners: { retention: { maxAgeMs: HOUR } } });
    runToCompletion(engine);
    clock.advance(20 * MINUTE);
    runToCompletion(engine);
    const secondEndedAt = clock.now();
    clock.advanceTo(TEST_START_MS + HOUR);
    expect(engine.nextDue({ scanner: 'retention_trimmer' })).toEqual({ at: secondEndedAt + HOUR, scanner: 'retention_trimmer' });
  });

  it('never touches a live execution: leased, expired and reclaimable, or waiting for a retry', async () => {
    const { engine, clock } = await makeEngine({ scanners: { retention: { maxAgeMs: HOUR } } });
    const leased = engine.createExecution({ laneId: 'a' }).executionId;
    engine.claim({ laneId: 'a', ...WORKER, leaseTtlMs: 1_000 });
    const retrying = engine.createExecution({ laneId: 'b', retryPolicy: { maxRetries: 3, backoff: { type: 'fixed', delayMs: 30 * DAY } } }).executionId;
    engine.failExecution({ handle: engine.claim({ laneId: 'b', ...WORKER })!, reason: 'flaky' });
    const ended = runToCompletion(engine, 'c');
    clock.advance(MINUTE); // lease_expiry marks the first one reclaimable
    const before = { leased: history(engine, leased), retrying: history(engine, retrying) };
    expect(before.leased.lease).toBe(2);

    clock.advance(10 * DAY);
    expect(history(engine, leased)).toEqual(before.leased);
    expect(history(engine, retrying)).toEqual(before.retrying);
    expect(engine.readExecutionState({ executionId: leased })).toBe('active');
    expect(engine.readExecutionState({ executionId: retrying })).toBe('delayed');
    expect(history(engine, ended)).toMatchObject({ lease: 0, completion: 0 });
  });

  describe('with a dispatch that keeps failing', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    afterEach(() => warn.mockClear());

    it('keeps an undispatched completion event (and its execution\'s other completion events), trims the rest', async () => {
      const { engine, clock } = await makeEngine({
        scanners: { retention: { maxAgeMs: HOUR }, intervals: { dependency_reconciler: 0 } },
        hooks: {
          beforeDispatch: () => {
            throw new Error('injected');
          },
        },
      });
      const flow = new FlowBuilder(engine);
      const [up, down] = flow.nodes(2);
      flow.edge(up!, down!);
      const handle = engine.claim({ laneId: 'flow', ...WORKER })!;
      engine.completeExecution({ handle });
      expect(count(engine, 'ff_completion_event', 'dispatched_at_ms IS NULL')).toBe(1);

      clock.advance(2 * HOUR);
      expect(history(engine, up!)).toEqual({ attempts: 1, lease: 0, completion: 1 });
      expect(count(engine, 'ff_completion_event', 'dispatched_at_ms IS NULL')).toBe(1);
      expect(engine.readEvents({ channel: 'completion' }).cursorExpired).toBeNull();
    });
  });

  it("keeps each budget's newest event whatever its age, and trims the superseded ones", async () => {
    const { engine, clock } = await makeEngine({ scanners: { retention: { maxAgeMs: HOUR } } });
    engine.createBudget({ budgetId: 'b', dimensions: [{ name: 'x', softLimit: 5, hardLimit: 10 }] });
    engine.reportUsageAdmin({ budgetId: 'b', usage: { x: 7 } }); // soft breach
    engine.reportUsageAdmin({ budgetId: 'b', usage: { x: 7 } }); // hard breach
    clock.advance(30 * MINUTE);
    engine.resetBudget({ budgetId: 'b' });
    expect(engine.listBudgetEvents({ budgetId: 'b' }).events.map((e) => e.eventType)).toEqual(['soft_breach', 'breach', 'reset']);

    clock.advance(HOUR);
    expect(engine.listBudgetEvents({ budgetId: 'b' }).events.map((e) => e.eventType)).toEqual(['reset']);
    clock.advance(400 * DAY);
    expect(engine.listBudgetEvents({ budgetId: 'b' }).events.map((e) => e.eventType)).toEqual(['reset']);
    expect(engine.nextDue({ scanner: 'retention_trimmer' })).toBeNull();
  });

  it("trims the worker registry's event trail by age and keeps the registrations", async () => {
    const { engine, clock } = await makeEngine({ scanners: { retention: { maxAgeMs: HOUR } } });
    engine.registerWorker({ workerId: 'w', workerInstanceId: 'w-1', lanes: ['l'], capabilities: [], livenessTtlMs: DAY });
    for (let i = 0; i < 4; i++) {
      clock.advance(30 * MINUTE);
      engine.heartbeatWorker({ workerInstanceId: 'w-1' });
    }
    // Events at 0, 30, 60, 90 and 120 minutes; at 120 the first three are over an hour old.
    expect(count(engine, 'ff_worker_registry_event')).toBe(2);
    expect(engine.listWorkers({}).workers.map((w) => w.workerInstanceId)).toEqual(['w-1']);
  });

  it('deletes in bounded batches: a backlog larger than a batch takes more than one tick', async () => {
    const { engine, clock } = await makeEngine({ scanners: { retention: { maxAgeMs: HOUR } } });
    const created = engine.createExecutions({ executions: Array.from({ length: 1_100 }, () => ({ laneId: 'l' })) });
    expect(created.results).toHaveLength(1_100);
    for (let i = 0; i < 1_100; i++) engine.completeExecution({ handle: engine.claim({ laneId: 'l', ...WORKER })! });
    const reports = trimmerReports(engine);
    clock.advance(HOUR);
    // Each execution has two lease events and a completion event: 3,300 rows. A tick takes at most
    // 500 executions and 2,000 rows of their history, and the next one follows an interval later.
    expect(reports.map((r) => [r.details?.['executions'], r.processed])).toEqual([[500, 1_500]]);
    clock.advance(2 * MINUTE);
    expect(reports.map((r) => [r.details?.['executions'], r.processed])).toEqual([
      [500, 1_500],
      [500, 1_500],
      [100, 300],
    ]);
    expect(count(engine, 'ff_lease_event') + count(engine, 'ff_completion_event')).toBe(0);
    expect(count(engine, 'ff_exec_core', 'history_trimmed = 0')).toBe(0);
  });

  it('a single execution with more rows than a batch is worked through over ticks, and marked trimmed only when done', async () => {
    const { engine, clock } = await makeEngine({ scanners: { retention: { maxAgeMs: HOUR } } });
    const { executionId } = engine.createExecution({ laneId: 'l' });
    const handle = engine.claim({ laneId: 'l', ...WORKER })!;
    for (let i = 0; i < 2_500; i++) engine.renewLease({ handle });
    engine.completeExecution({ handle });
    const reports = trimmerReports(engine);
    clock.advance(HOUR);
    expect(reports.map((r) => [r.details?.['executions'], r.processed])).toEqual([[0, 2_000]]);
    expect(count(engine, 'ff_exec_core', 'history_trimmed = 0')).toBe(1);
    clock.advance(MINUTE);
    expect(reports.map((r) => [r.details?.['executions'], r.processed])).toEqual([
      [0, 2_000],
      [1, 503],
    ]);
    expect(history(engine, executionId)).toEqual({ attempts: 1, lease: 0, completion: 0 });
  });

  it('an execution replayed after its history was trimmed is trimmed again once it ends again', async () => {
    const { engine, clock } = await makeEngine({ scanners: { retention: { maxAgeMs: HOUR } } });
    const id = runToCompletion(engine);
    clock.advance(HOUR);
    expect(history(engine, id)).toMatchObject({ lease: 0, completion: 0 });
    engine.replayExecution({ executionId: id });
    engine.completeExecution({ handle: engine.claim({ laneId: 'l', ...WORKER })! });
    expect(history(engine, id)).toMatchObject({ attempts: 2, lease: 2, completion: 1 });
    clock.advance(HOUR);
    expect(history(engine, id)).toMatchObject({ attempts: 2, lease: 0, completion: 0 });
  });

  it('an age of 0 keeps everything, and so does a disabled trimmer', async () => {
    for (const scanners of [{ retention: { maxAgeMs: 0 } }, { intervals: { retention_trimmer: 0 } }]) {
      const { engine, clock } = await makeEngine({ scanners });
      const id = runToCompletion(engine);
      engine.createBudget({ budgetId: 'b', dimensions: [{ name: 'x', hardLimit: 1 }] });
      engine.reportUsageAdmin({ budgetId: 'b', usage: { x: 2 } });
      engine.reportUsageAdmin({ budgetId: 'b', usage: { x: 2 } });
      expect(engine.scannerStates().find((s) => s.name === 'retention_trimmer')).toMatchObject({ enabled: false });
      clock.advance(400 * DAY);
      expect(engine.nextDue({ scanner: 'retention_trimmer' })).toBeNull();
      expect(history(engine, id)).toEqual({ attempts: 1, lease: 3, completion: 1 });
      expect(engine.listBudgetEvents({ budgetId: 'b' }).events).toHaveLength(2);
    }
  });

  it('refuses a bad setting by name', async () => {
    await expect(makeEngine({ scanners: { retention: { maxAgeMs: -1 } } })).rejects.toThrow(/scanners\.retention\.maxAgeMs/);
    await expect(makeEngine({ scanners: { retention: { attemptsKept: 1.5 } } })).rejects.toThrow(/scanners\.retention\.attemptsKept/);
  });
});
