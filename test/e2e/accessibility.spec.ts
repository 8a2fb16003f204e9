/**
 * An axe-core check of the main views, with data in them: every view and
 * the execution drawer must have no serious or critical violation. axe
 * walks the open shadow root of `<ff-devtools>`, so the panels are checked
 * as rendered.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixture-playground.js';

async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

test('the main views and the drawer pass axe with no serious violation', async ({ page, ffBackend }) => {
  await page.setViewportSize({ width: 1440, height: 1000 });
  await page.getByTestId('status-sample').click();
  await expect(page.getByTestId('budget-card').first()).toBeVisible();
  const { executions } = await ffBackend.call('listExecutions', { limit: 1 });
  const first = executions[0]!;
  const flows = await ffBackend.call('listFlows', {});

  const views: [string, string][] = [
    ['overview', '#/'],
    ['executions', '#/executions'],
    ['flows', '#/flows'],
    ['timeline', '#/timeline'],
    ['budgets', '#/budgets'],
    ['status', '#/status'],
    ['drawer', `#/executions?exec=${encodeURIComponent(first.executionId)}`],
  ];
  if (flows.flows[0]) views.push(['flow', `#/flows/${encodeURIComponent(flows.flows[0].flowId)}`]);
  const found: Record<string, string[]> = {};
  for (const [name, hash] of views) {
    await page.evaluate((h) => (location.hash = h), hash);
    await expect(page.locator('ff-devtools')).toBeVisible();
    // One refresh (400 ms) renders the view's data.
    await page.waitForTimeout(800);
    const violations = await seriousViolations(page);
    if (violations.length > 0) found[name] = violations;
  }
  expect(found).toEqual({});
});
