/**
 * The flows views and the in-page worker, driven by clicks and typing: a
 * flow built in the UI (members, edges, a group policy) whose DAG follows
 * the engine as its upstream completes, a node that opens its execution's
 * drawer, and the sample data run to the end by the in-page worker.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixture-playground.js';

const SHOTS = 'test/e2e/screenshots';

function node(page: Page, label: string) {
  return page.getByTestId('flow-node').filter({ hasText: label });
}

function edgeBetween(page: Page, from: string, to: string) {
  return page.locator(`[data-testid="flow-edge"][aria-label^="Edge ${from} to ${to}:"]`);
}

test('a flow built in the UI: members, edges, a policy; its DAG follows the engine; a node opens its drawer', async ({ page, ffBackend }) => {
  await page.setViewportSize({ width: 1440, height: 1100 });
  await page.getByTestId('nav-flows').click();
  await expect(page.getByTestId('flows-empty')).toBeVisible();

  await page.getByTestId('flow-kind').fill('etl');
  await page.getByTestId('flow-create').click();
  await expect(page.getByTestId('flow-view')).toBeVisible();
  const flowId = (await page.getByTestId('flow-id').textContent())!;
  expect(page.url()).toContain(`#/flows/${flowId}`);
  await expect(page.getByTestId('flow-state')).toHaveText('open');
  await expect(page.getByTestId('flow-dag-empty')).toBeVisible();

  // Three members on a lane no worker polls, so only this test moves them.
  for (const label of ['extract', 'transform', 'load']) {
    await page.getByTestId('flow-new-lane').fill('etl');
    await page.getByTestId('flow-new-label').fill(label);
    await page.getByTestId('flow-new-member').click();
    await expect(page.getByTestId('flow-member-form').getByTestId('flow-form-result')).toContainText(`Added ${label}`);
  }
  await expect(page.getByTestId('flow-node')).toHaveCount(3);
  await expect(page.getByTestId('flow-revision')).toHaveText('3');

  // extract → transform and transform → load, applied at once.
  const edgeForm = page.getByTestId('flow-edge-form');
  for (const [up, down] of [['extract', 'transform'], ['transform', 'load']] as const) {
    await edgeForm.getByTestId('flow-edge-upstream').selectOption({ label: up });
    await edgeForm.getByTestId('flow-edge-downstream').selectOption({ label: down });
    await edgeForm.getByTestId('flow-edge-stage').click();
    await expect(edgeForm.getByTestId('flow-form-result')).toHaveText(`Applied ${up} → ${down}: its group is pending`);
  }
  // An edge into itself is refused beside the form, and the previous result line goes.
  await edgeForm.getByTestId('flow-edge-upstream').selectOption({ label: 'load' });
  await edgeForm.getByTestId('flow-edge-stage').click();
  await expect(edgeForm.getByTestId('inline-error')).toContainText('self_referencing_edge');
  await expect(edgeForm.getByTestId('flow-form-result')).toHaveCount(0);
  // extract → load, staged only: drawn dotted until applied from its details.
  await edgeForm.getByTestId('flow-edge-upstream').selectOption({ label: 'extract' });
  await edgeForm.getByTestId('flow-edge-apply').uncheck();
  await edgeForm.getByTestId('flow-edge-stage').click();
  await expect(edgeForm.getByTestId('flow-form-result')).toHaveText('Staged extract → load (not applied)');
  await expect(edgeForm.getByTestId('inline-error')).toHaveCount(0);
  await expect(edgeBetween(page, 'extract', 'load')).toHaveAttribute('data-state', 'staged');
  await edgeBetween(page, 'extract', 'load').click();
  await expect(page.getByTestId('edge-details')).toContainText('not yet: it gates nothing until applied');
  await page.getByTestId('edge-apply').click();
  await expect(edgeBetween(page, 'extract', 'load')).toHaveAttribute('data-state', 'pending');
  await expect(page.getByTestId('edge-state')).toHaveText('pending');

  // The policy form: a quorum of 0 is refused beside it; then load needs 2 of its 2 upstreams.
  const policyForm = page.getByTestId('flow-policy-form');
  await policyForm.getByTestId('flow-policy-downstream').selectOption({ label: 'load' });
  await policyForm.getByTestId('flow-policy-kind').selectOption('quorum');
  await policyForm.getByTestId('flow-policy-k').fill('0');
  await policyForm.getByTestId('flow-policy-set').click();
  await expect(policyForm.getByTestId('error-code')).toHaveText('validation.invalid_input');
  await policyForm.getByTestId('flow-policy-k').fill('2');
  await policyForm.getByTestId('flow-policy-on-satisfied').selectOption('let_run');
  await policyForm.getByTestId('flow-policy-set').click();
  await expect(policyForm.getByTestId('flow-form-result')).toHaveText('load: quorum, group pending');
  await expect(policyForm.getByTestId('inline-error')).toHaveCount(0);

  const loadGroup = page.locator('[data-testid="flow-group"]').filter({ hasText: 'load' });
  await expect(loadGroup).toContainText('2 upstreams must succeed (then the others run on)');
  await expect(node(page, 'extract')).toHaveAttribute('data-state', 'waiting');
  await expect(node(page, 'transform')).toHaveAttribute('data-state', 'waiting_children');
  await expect(node(page, 'load')).toHaveAttribute('data-state', 'waiting_children');
  await expect(page.locator('[data-testid="flow-edge"][data-state="pending"]')).toHaveCount(3);

  // The upstream runs and completes (a worker of the test's own).
  const handle = await ffBackend.call('claim', { laneId: 'etl', workerId: 't', workerInstanceId: 't-1', leaseTtlMs: 30_000 });
  expect(handle).not.toBeNull();
  await expect(node(page, 'extract')).toHaveAttribute('data-state', 'active');
  await expect(page.getByTestId('flow-state')).toHaveText('running');
  await ffBackend.call('completeExecution', { handle: handle! });
  await expect(node(page, 'extract')).toHaveAttribute('data-state', 'completed');
  await expect(edgeBetween(page, 'extract', 'transform')).toHaveAttribute('data-state', 'satisfied');
  await expect(edgeBetween(page, 'extract', 'load')).toHaveAttribute('data-state', 'satisfied');
  await expect(node(page, 'transform')).toHaveAttribute('data-state', 'waiting');
  // load still waits on transform: 1 of its 2 upstreams succeeded.
  await expect(node(page, 'load')).toHaveAttribute('data-state', 'waiting_children');
  await expect(loadGroup.getByTestId('group-success')).toHaveText('1');
  await expect(loadGroup.getByTestId('group-running')).toHaveText('1');
  await expect(page.locator('[data-testid="flow-group"]').filter({ hasText: 'transform' }).getByTestId('group-state')).toHaveText('satisfied');
  // The clock bar is sticky and the view taller than the viewport: shoot it whole in a taller one.
  await page.setViewportSize({ width: 1440, height: 2000 });
  await page.evaluate(() => scrollTo(0, 0));
  await page.getByTestId('flow-view').screenshot({ path: `${SHOTS}/flow-dag.png` });
  await page.setViewportSize({ width: 1440, height: 1100 });

  // A node opens the execution's drawer with the flow's route kept; Escape closes it.
  const transformId = (await node(page, 'transform').getAttribute('data-execution-id'))!;
  await node(page, 'transform').click();
  await expect(page).toHaveURL(new RegExp(`#/flows/${flowId}\\?exec=`));
  expect(decodeURIComponent(new URL(page.url()).hash)).toContain(transformId);
  await expect(page.locator('ff-dt-execution-detail')).toHaveCount(1);
  await page.keyboard.press('Escape');
  await expect(page.locator('ff-dt-execution-detail')).toHaveCount(0);
  expect(page.url()).toMatch(new RegExp(`#/flows/${flowId}$`));

  // The list links back to it, with its state and members.
  await page.getByTestId('flow-back').click();
  const row = page.locator(`[data-testid="flow-row"][data-flow-id="${flowId}"]`);
  await expect(row.getByTestId('flow-row-state')).toHaveText('running');
  await expect(row.getByTestId('flow-row-members')).toHaveText('3 (1 completed, 1 waiting, 1 waiting children)');
  await page.getByTestId('panel-flows').screenshot({ path: `${SHOTS}/flows.png` });
  await page.goBack();
  await expect(page.getByTestId('flow-view')).toBeVisible();
  await expect(page.getByTestId('flow-id')).toHaveText(flowId);

  // The list filtered by namespace, with the filter in the URL.
  const other = await ffBackend.call('createFlow', { namespace: 'billing' });
  await page.getByTestId('flow-back').click();
  await expect(page.getByTestId('flow-row')).toHaveCount(2);
  await page.getByTestId('flows-namespace').fill('billing');
  await page.getByTestId('flows-filter').click();
  await expect(page).toHaveURL(/#\/flows\?ns=billing$/);
  await expect(page.getByTestId('flow-row')).toHaveCount(1);
  await expect(page.getByTestId('flow-row')).toHaveAttribute('data-flow-id', other.flowId);
  await page.getByTestId('flows-namespace').fill('');
  await page.getByTestId('flows-filter').click();
  await expect(page.getByTestId('flow-row')).toHaveCount(2);
});

test('sample data: the in-page worker, as it starts, runs every sample execution to the end, the flow in order', async ({ page, ffBackend }) => {
  await page.setViewportSize({ width: 1440, height: 1400 });
  await page.getByTestId('status-sample').click();
  await expect(page.getByTestId('toast').filter({ hasText: 'a 4-step flow on lane media' })).toContainText('Start the in-page worker');
  const flows = await ffBackend.call('listFlows', {});
  expect(flows.flows).toHaveLength(1);
  const flowId = flows.flows[0]!.flowId;

  // Only the job's real working time is shortened; lanes and everything else stay as the panel starts.
  await expect(page.getByTestId('worker-lanes')).toHaveValue('default, emails, media');
  await page.getByTestId('worker-delay').fill('20');
  await page.getByTestId('worker-toggle').click();
  await expect(page.getByTestId('worker-state')).toHaveText('running');
  // 6 on default, 2 on emails, 4 flow members on media.
  await expect(page.getByTestId('worker-stat-completed')).toHaveText('12', { timeout: 30_000 });
  await expect(page.getByTestId('worker-stat-failed')).toHaveText('0');
  const lanes = await ffBackend.call('listLanes');
  for (const lane of lanes.lanes) expect(Object.keys(lane.counts).filter((s) => s !== 'completed'), `lane ${lane.laneId}`).toEqual([]);
  await page.getByTestId('panel-worker').screenshot({ path: `${SHOTS}/worker.png` });

  await page.getByTestId('nav-flows').click();
  await page.locator(`[data-testid="flow-row"][data-flow-id="${flowId}"]`).getByTestId('flow-link').click();
  await expect(page.getByTestId('flow-state')).toHaveText('completed');
  await expect(page.locator('[data-testid="flow-node"][data-state="completed"]')).toHaveCount(4);
  await expect(page.locator('[data-testid="flow-edge"][data-state="satisfied"]')).toHaveCount(4);
  // publish ran last: after both of its upstreams.
  const described = await ffBackend.call('describeFlow', { flowId });
  const publish = described!.groups.find((g) => g.total === 2)!;
  expect(publish).toMatchObject({ state: 'satisfied', successCount: 2 });
});

test('sample data loaded while the in-page worker runs: it stops claiming while the flow is built, then runs all of it', async ({ page, ffBackend }) => {
  void ffBackend; // opens the app
  await page.getByTestId('worker-delay').fill('20');
  await page.getByTestId('worker-toggle').click();
  await expect(page.getByTestId('worker-state')).toHaveText('running');
  await page.getByTestId('status-sample').click();
  await expect(page.getByTestId('toast').filter({ hasText: 'a 4-step flow on lane media' })).toContainText('The in-page worker runs it now.');
  await expect(page.getByTestId('worker-stat-completed')).toHaveText('12', { timeout: 30_000 });
  await expect(page.getByTestId('worker-stat-errors')).toHaveText('0');
  await expect(page.getByTestId('panel-worker').getByTestId('inline-error')).toHaveCount(0);
  await expect(page.getByTestId('worker-state')).toHaveText('running');
});

test('the flows list pages through listFlows cursors, 20 at a time', async ({ page, ffBackend }) => {
  for (let i = 0; i < 21; i++) await ffBackend.call('createFlow', { flowKind: `k${i}` });
  // The engine's order (oldest first; the clock stands still, so its tie-break decides).
  const ids = (await ffBackend.call('listFlows', { limit: 100 })).flows.map((f) => f.flowId);
  expect(ids).toHaveLength(21);
  await page.getByTestId('nav-flows').click();
  await expect(page.getByTestId('flow-row')).toHaveCount(20);
  await expect(page.getByTestId('flows-prev')).toBeDisabled();
  await page.getByTestId('flows-next').click();
  await expect(page.getByTestId('flows-page')).toHaveText('Page 2');
  // The second page holds the last one alone.
  await expect(page.getByTestId('flow-row')).toHaveCount(1);
  await expect(page.getByTestId('flow-row')).toHaveAttribute('data-flow-id', ids[20]!);
  await expect(page.getByTestId('flows-next')).toBeDisabled();
  await page.getByTestId('flows-prev').click();
  await expect(page.getByTestId('flow-row')).toHaveCount(20);
  await expect(page.getByTestId('flow-row').first()).toHaveAttribute('data-flow-id', ids[0]!);
});

/**
 * Violations axe rates serious or critical inside one area (a selector
 * path through shadow roots), as rule id and the elements hit. Only this
 * spec's areas are checked: the other panels are checked by their specs.
 */
async function seriousViolations(page: Page, within: [string, string, ...string[]]): Promise<string[]> {
  const result = await new AxeBuilder({ page }).include({ fromShadowDom: within }).analyze();
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('accessibility: the flows list, a flow with its DAG and the in-page worker have no serious axe violations', async ({ page, ffBackend }) => {
  const { flowId } = await ffBackend.call('createFlow', { flowKind: 'axe' });
  const a = await ffBackend.call('createExecution', { laneId: 'axe', flowId, tags: { 'devtools.label': 'first' } });
  const b = await ffBackend.call('createExecution', { laneId: 'axe', flowId, tags: { 'devtools.label': 'second' } });
  const staged = await ffBackend.call('stageDependencyEdge', { flowId, upstreamExecutionId: a.executionId, downstreamExecutionId: b.executionId, expectedGraphRevision: 2 });
  await ffBackend.call('applyDependencyToChild', { flowId, edgeId: staged.edgeId });

  await expect(page.getByTestId('panel-worker')).toBeVisible();
  expect(await seriousViolations(page, ['ff-playground-worker', '[data-testid="panel-worker"]'])).toEqual([]);
  await page.getByTestId('nav-flows').click();
  await expect(page.getByTestId('flow-row')).toHaveCount(1);
  expect(await seriousViolations(page, ['ff-devtools', '[data-testid="panel-flows"]'])).toEqual([]);
  await page.getByTestId('flow-link').click();
  await expect(page.getByTestId('flow-edge')).toHaveCount(1);
  // Every box and arrow says what it is.
  await expect(page.getByRole('link', { name: /^second axe · waiting children; open the details of second/ })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Edge first to second: pending; show its details' })).toBeVisible();
  await page.getByTestId('flow-edge').press('Enter');
  await expect(page.getByTestId('edge-details')).toBeVisible();
  expect(await seriousViolations(page, ['ff-devtools', '[data-testid="flow-view"]'])).toEqual([]);
});
