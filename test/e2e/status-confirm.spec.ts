/**
 * The status panel's destructive actions ask first: an import names what it
 * replaces and offers to export the current database before it goes, Cancel
 * keeps everything, and reset confirms too. The clock bar refuses a bad
 * advance beside itself. Saves clock.png, status.png and confirm-import.png.
 */
import { readFile } from 'node:fs/promises';
import type { FfBackend } from '../../src/testing/playwright.js';
import { expect, test } from './fixture-playground.js';

const SHOTS = 'test/e2e/screenshots';

async function budgetIds(ffBackend: FfBackend): Promise<string[]> {
  return ((await ffBackend.call('listBudgets', {})) as { budgets: { budgetId: string }[] }).budgets.map((b) => b.budgetId).sort();
}

test('import asks first; "Export first" downloads the current database before it is replaced', async ({ page, ffBackend }, testInfo) => {
  await page.setViewportSize({ width: 1440, height: 1000 });
  // The file to import holds budget 'imported'; the database it replaces holds 'current'.
  await ffBackend.seed({ budgets: [{ budgetId: 'imported', dimensions: [{ name: 'tokens', hardLimit: 10 }], resetIntervalMs: 3_600_000 }] });
  const [first] = await Promise.all([page.waitForEvent('download'), page.getByTestId('status-export').click()]);
  const importFile = testInfo.outputPath('imported.ffsnap');
  await first.saveAs(importFile);
  await ffBackend.reset();
  await ffBackend.seed({ budgets: [{ budgetId: 'current', dimensions: [{ name: 'tokens', hardLimit: 10 }], resetIntervalMs: 3_600_000 }] });

  await page.getByTestId('status-import-file').setInputFiles(importFile);
  const dialog = page.getByTestId('confirm-dialog');
  await expect(dialog).toContainText('Replace the database with this import?');
  await expect(dialog).toContainText("'imported.ffsnap'");
  await expect(page.getByTestId('confirm-extra')).toHaveText('Export first');
  await page.getByTestId('confirm-dialog').screenshot({ path: `${SHOTS}/confirm-import.png` });

  const [backup] = await Promise.all([page.waitForEvent('download'), page.getByTestId('confirm-extra').click()]);
  const backupFile = testInfo.outputPath('backup.ffsnap');
  await backup.saveAs(backupFile);
  expect((await readFile(backupFile)).subarray(0, 8).toString()).toBe('FFSNAP1\n');
  // The export did not replace anything, and the question is still open.
  await expect(dialog).toBeVisible();
  expect(await budgetIds(ffBackend)).toEqual(['current']);

  await page.getByTestId('confirm-ok').click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('toast').last()).toContainText("Imported 'imported.ffsnap'");
  expect(await budgetIds(ffBackend)).toEqual(['imported']);

  // The backup is the database as it was before the import: importing it brings 'current' back.
  await page.getByTestId('status-import-file').setInputFiles(backupFile);
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('toast').last()).toContainText("Imported 'backup.ffsnap'");
  expect(await budgetIds(ffBackend)).toEqual(['current']);
});

test('Cancel on the import question keeps the database as it was', async ({ page, ffBackend }, testInfo) => {
  await ffBackend.seed({ executions: [{ laneId: 'other' }] });
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('status-export').click()]);
  const file = testInfo.outputPath('other.ffsnap');
  await download.saveAs(file);
  await ffBackend.seed({ budgets: [{ budgetId: 'kept', dimensions: [{ name: 'tokens', hardLimit: 10 }], resetIntervalMs: 0 }] });
  const sequence = (await ffBackend.status()).sequence;

  // Through the button, as a person picks a file.
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId('status-import').click()]);
  await chooser.setFiles(file);
  await expect(page.getByTestId('confirm-dialog')).toBeVisible();
  await page.getByTestId('confirm-cancel').click();
  await expect(page.getByTestId('confirm-dialog')).toHaveCount(0);
  await expect(page.getByTestId('toast').last()).toContainText('cancelled: nothing changed');
  expect(await budgetIds(ffBackend)).toEqual(['kept']);
  expect((await ffBackend.status()).sequence).toBe(sequence);

  // Escape answers no as well.
  await page.getByTestId('status-import-file').setInputFiles(file);
  await expect(page.getByTestId('confirm-dialog')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('confirm-dialog')).toHaveCount(0);
  expect(await budgetIds(ffBackend)).toEqual(['kept']);
});

test('reset asks first: Cancel keeps everything, confirming empties the database', async ({ page, ffBackend }) => {
  await page.setViewportSize({ width: 1440, height: 1000 });
  await ffBackend.seed({ budgets: [{ budgetId: 'keep-me', dimensions: [{ name: 'tokens', hardLimit: 10 }], resetIntervalMs: 60_000 }], executions: [{ laneId: 'r' }] });
  await expect(page.getByTestId('status-role')).toHaveAttribute('data-role', 'leader');
  await expect(page.getByTestId('status-schema')).toContainText(/^v\d+ · opened from/);
  await expect(page.getByTestId('status-pill')).toContainText('IndexedDB');
  await page.getByTestId('panel-status').screenshot({ path: `${SHOTS}/status.png` });

  await page.getByTestId('status-reset').click();
  await expect(page.getByTestId('confirm-dialog')).toContainText('Reset the database?');
  await expect(page.getByTestId('confirm-extra')).toHaveCount(0);
  await page.getByTestId('confirm-cancel').click();
  await expect(page.getByTestId('confirm-dialog')).toHaveCount(0);
  expect(await budgetIds(ffBackend)).toEqual(['keep-me']);

  await page.getByTestId('status-reset').click();
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('toast').last()).toContainText('Database reset');
  expect(await budgetIds(ffBackend)).toEqual([]);
  await expect(page.getByTestId('clock-next-reset-in')).toHaveText('(none scheduled)');
  await expect(page.getByTestId('clock-next-reset')).toBeDisabled();
});

test('the clock bar: a bad advance is refused beside it; jump to the next reset; play is remembered without ?play', async ({ page, ffBackend }) => {
  await page.setViewportSize({ width: 1440, height: 1000 });
  const t0 = await ffBackend.now();
  await page.getByTestId('clock-advance-amount').fill('0');
  await page.getByTestId('clock-advance-go').click();
  const bar = page.getByTestId('panel-clock');
  await expect(bar.getByTestId('error-code')).toHaveText('validation.invalid_input');
  await expect(bar.getByTestId('error-message')).toContainText('positive amount');
  expect(await ffBackend.now()).toBe(t0);
  // The next advance clears the error.
  await page.getByTestId('clock-advance-amount').fill('2');
  await page.getByTestId('clock-advance-go').click();
  await expect(page.getByTestId('clock-now')).toHaveAttribute('data-now-ms', String(t0 + 2 * 60_000));
  await expect(bar.getByTestId('inline-error')).toHaveCount(0);

  await ffBackend.seed({ budgets: [{ budgetId: 'hourly', dimensions: [{ name: 'tokens', hardLimit: 10 }], resetIntervalMs: 3_600_000 }] });
  const { nextResetAtMs } = (await ffBackend.call('getBudgetStatus', { budgetId: 'hourly' })) as { nextResetAtMs: number };
  await expect(page.getByTestId('clock-next-reset-in')).toHaveText('(in 1h 00m 00s)');
  await page.getByTestId('panel-clock').screenshot({ path: `${SHOTS}/clock.png` });
  await page.getByTestId('clock-next-reset').click();
  await expect(page.getByTestId('clock-now')).toHaveAttribute('data-now-ms', String(nextResetAtMs));
  await expect(page.getByTestId('toast').last()).toContainText('Jumped to');

  // Play, then open the page without ?play: the saved choice plays it again; after Pause, it stays paused.
  await page.getByTestId('clock-rate').selectOption('60');
  await page.getByTestId('clock-play').click();
  await expect(page.getByTestId('clock-state')).toHaveText('playing — 1m 00s per second');
  await ffBackend.call('pauseClock', {});
  const url = new URL(page.url());
  url.searchParams.delete('play');
  await page.goto(url.toString());
  await expect(page.getByTestId('clock-state')).toHaveText(/^playing/);
  await page.getByTestId('clock-play').click();
  await expect(page.getByTestId('clock-state')).toHaveText('paused');
  await page.goto(url.toString());
  await expect(page.getByTestId('clock-now')).not.toHaveText('…');
  await page.waitForTimeout(1_000);
  await expect(page.getByTestId('clock-state')).toHaveText('paused');
});

test('the status view, with the clock bar and an open confirm dialog, has no serious accessibility violations', async ({ page, ffBackend }) => {
  const { default: AxeBuilder } = await import('@axe-core/playwright');
  await ffBackend.seed({ budgets: [{ budgetId: 'a11y', dimensions: [{ name: 'tokens', hardLimit: 10 }], resetIntervalMs: 60_000 }] });
  await page.getByTestId('nav-status').click();
  await expect(page.getByTestId('status-role')).toHaveAttribute('data-role', 'leader');
  const serious = async (): Promise<string[]> => {
    const { violations } = await new AxeBuilder({ page }).include('ff-devtools').analyze();
    return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  };
  expect(await serious()).toEqual([]);
  await page.getByTestId('status-reset').click();
  await expect(page.getByTestId('confirm-cancel')).toBeFocused();
  expect(await serious()).toEqual([]);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('confirm-dialog')).toHaveCount(0);
  expect(await budgetIds(ffBackend)).toEqual(['a11y']);
});
