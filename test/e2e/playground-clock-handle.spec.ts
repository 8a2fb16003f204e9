/**
 * The playground's clock modes, the test handle an app installs for its
 * e2e tests, and the tab's role in the status area.
 */
import { EngineError } from '../../src/index.js';
import { expect, test } from './fixture-playground.js';

const HOUR = 3_600_000;

test('virtual time: play moves it with real time, pause stops it, the custom advance moves it exactly', async ({ page, ffBackend }) => {
  const t0 = await ffBackend.now();
  await page.getByTestId('clock-advance-amount').fill('90');
  await page.getByTestId('clock-advance-unit').selectOption('min');
  await page.getByTestId('clock-advance-go').click();
  await expect(page.getByTestId('clock-now')).toHaveAttribute('data-now-ms', String(t0 + 90 * 60_000));
  await page.getByTestId('clock-play').click();
  await expect(page.getByTestId('clock-state')).toHaveText('playing — 1 s per second');
  await expect.poll(() => ffBackend.now()).toBeGreaterThan(t0 + 90 * 60_000 + 500);
  await page.getByTestId('clock-play').click();
  await expect(page.getByTestId('clock-state')).toHaveText('paused');
  const paused = await ffBackend.now();
  await expect(page.getByTestId('clock-now')).toHaveAttribute('data-now-ms', String(paused));
  // Paused means paused: a few refreshes later it has not moved.
  await page.getByTestId('clock-advance-1s').click();
  await expect(page.getByTestId('clock-now')).toHaveAttribute('data-now-ms', String(paused + 1000));
});

test('real time: the clock controls are absent and the clock runs on its own', async ({ page, ffBackend }) => {
  await ffBackend.open({ clock: 'real' });
  await expect(page.getByTestId('clock-mode')).toHaveText('Real time');
  await expect(page.getByTestId('clock-state')).toHaveText('wall clock');
  await expect(page.getByTestId('clock-note')).toContainText('wall clock');
  // Nothing that would move or stop the clock is drawn.
  for (const id of ['clock-controls', 'clock-play', 'clock-rate', 'clock-advance-1h', 'clock-advance-go', 'clock-next-reset']) await expect(page.getByTestId(id)).toHaveCount(0);
  await expect(page.getByTestId('clock-switch')).toHaveText('Use virtual time');
  await expect(page.getByTestId('status-clock')).toHaveText('real (wall clock)');
  const first = Number(await page.getByTestId('clock-now').getAttribute('data-now-ms'));
  await expect.poll(async () => Number(await page.getByTestId('clock-now').getAttribute('data-now-ms'))).toBeGreaterThan(first);
  // Its database is a separate one: the virtual-time database is untouched by it.
  expect((await ffBackend.status()).name).toBe(`${ffBackend.dbName}-real`);
  await expect(ffBackend.advance(1000)).rejects.toMatchObject({ code: 'unavailable' });
});

test('the test handle: seed, call by name, typed errors, clock control, waitForEvent, events', async ({ ffBackend }) => {
  const status = await ffBackend.status();
  expect(status).toMatchObject({ name: `${ffBackend.dbName}-virtual`, clock: 'manual', persistence: 'indexeddb' });
  const seeded = await ffBackend.seed({
    budgets: [{ budgetId: 'b', dimensions: [{ name: 'tokens', hardLimit: 10 }], resetIntervalMs: HOUR }],
    quotaPolicies: [{ quotaPolicyId: 'q', maxConcurrent: 1 }],
    workers: [{ workerId: 'w', workerInstanceId: 'w-1', lanes: ['l'], capabilities: [], livenessTtlMs: 10_000 }],
    executions: [{ laneId: 'l' }, { laneId: 'l', priority: 5 }],
  });
  expect(seeded).toMatchObject({ budgetIds: ['b'], quotaPolicyIds: ['q'], workerInstanceIds: ['w-1'] });
  expect(seeded.executionIds).toHaveLength(2);

  const handle = await ffBackend.call('claim', { laneId: 'l', workerId: 'w', workerInstanceId: 'w-1', leaseTtlMs: 30_000 });
  expect(handle?.executionId).toBe(seeded.executionIds[1]);
  await ffBackend.call('completeExecution', { handle: handle!, result: 'done' });
  const completion = await ffBackend.waitForEvent({ channel: 'completion', match: { executionId: seeded.executionIds[1]!, outcome: 'success' } });
  expect(completion.cursor).toMatch(/^completion:\d+$/);
  expect(await ffBackend.call('getExecutionResult', { executionId: seeded.executionIds[1]! })).toBe('done');

  // An EngineError keeps its code and details across page.evaluate.
  const error = await ffBackend.call('createBudget', { budgetId: '', dimensions: [] }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(EngineError);
  expect(error).toMatchObject({ code: 'validation.invalid_input', details: { field: 'budgetId' } });
  await expect(ffBackend.call('readExecutionState', { executionId: 'nope' } as never)).rejects.toMatchObject({ code: 'validation.invalid_input' });

  // Clock: jump to the next budget reset, and wait for its event. Only a budget with usage has a reset to run.
  await ffBackend.call('reportUsageAdmin', { budgetId: 'b', usage: { tokens: 2 } });
  const due = await ffBackend.nextDue('budget_reset');
  expect(due).toMatchObject({ scanner: 'budget_reset', at: (await ffBackend.now()) + HOUR });
  const moved = await ffBackend.clock.toNext('budget_reset');
  expect(moved).toMatchObject({ now: due!.at });
  expect(moved!.processed).toBeGreaterThanOrEqual(1);
  const reset = await ffBackend.waitForEvent({ channel: 'budget', match: { budgetId: 'b', eventType: 'reset', details: { trigger: 'scheduled' } } });
  expect(reset.occurredAtMs).toBe(due!.at);
  // `after: 'now'` waits for a new one; none comes without moving time.
  await expect(ffBackend.waitForEvent({ channel: 'budget', after: 'now', timeoutMs: 300 })).rejects.toThrow(/no 'budget' event/);
  const budgetEvents = await ffBackend.events({ channel: 'budget' });
  expect(budgetEvents.map((e) => e.channel === 'budget' && e.eventType)).toEqual(['reset']);

  // reset(): an empty database; the handle forgets the events it saw.
  await ffBackend.reset();
  expect(await ffBackend.call('listBudgets', {})).toMatchObject({ budgets: [] });
  expect(await ffBackend.events()).toEqual([]);
});

test('without ?testHandle=1 the app exposes no handle', async ({ page }) => {
  await page.goto(`/?db=no-handle-${Date.now().toString(36)}&play=0`);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  expect(await page.evaluate(() => '__ffBackend' in window)).toBe(false);
});

test("the status area shows whether this tab runs the engine (leader) or uses another tab's (follower), and the handoff", async ({ page, context, ffBackend }) => {
  await ffBackend.now(); // the fixture has opened this database in `page`
  await expect(page.getByTestId('status-role')).toHaveAttribute('data-role', 'leader');
  await expect(page.getByTestId('status-role')).toContainText('the engine runs in this tab');
  await expect(page.getByTestId('status-pill')).toContainText('leader');
  // A second tab on the same database follows.
  const second = await context.newPage();
  await second.goto(page.url());
  await expect(second.getByTestId('status-role')).toHaveAttribute('data-role', 'follower');
  await expect(second.getByTestId('status-role')).toContainText('uses the engine in another tab');
  await expect(page.getByTestId('status-role')).toHaveAttribute('data-role', 'leader');
  // The leader's tab goes: the other one takes the engine over (the fixture skips its reset: its page is closed).
  await page.close();
  await expect(second.getByTestId('status-role')).toHaveAttribute('data-role', 'leader', { timeout: 15_000 });
  await expect(second.getByTestId('status-role')).toContainText('reconnected 1×');
  await second.close();
});
