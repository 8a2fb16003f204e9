/**
 * capabilities(): FlowFabric's identity + supports shape, with every flag
 * following what the engine's operation table and outbox channels hold.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OUTBOX_CHANNELS } from '../../src/api/events.js';
import { PACKAGE_VERSION } from '../../src/engine/reads/capabilities.js';
import { OPERATIONS } from '../../src/engine/operations.js';
import { makeEngine } from './helpers.js';

describe('capabilities', () => {
  it('reports the sqlite family, this package version and the RFC-017 stage', async () => {
    const { engine } = await makeEngine();
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(PACKAGE_VERSION).toBe(pkg.version);
    const [major, minor, patch] = pkg.version.split('.').map(Number);
    expect(engine.capabilities().identity).toEqual({ family: 'sqlite', version: { major, minor, patch }, rfc017Stage: 'Phase-4' });
  });

  it('says yes to what this engine does, and no to what neither it nor the reference backend does', async () => {
    const { engine } = await makeEngine();
    const { supports } = engine.capabilities();
    for (const flag of [
      'cancelExecution',
      'changePriority',
      'replayExecution',
      'revokeLease',
      'readExecutionState',
      'readExecutionInfo',
      'getExecutionResult',
      'budgetAdmin',
      'quotaAdmin',
      'releaseAdmission',
      'readQuotaPolicyLimits',
      'cancelFlowHeader',
      'ackCancelMember',
      'issueReclaimGrant',
      'issueGrantAndClaim',
      'claimExecution',
      'prepare',
      'subscribeLeaseHistory',
      'subscribeCompletion',
      'subscribeOperatorEvents',
      'registerWorker',
      'heartbeatWorker',
      'markWorkerDead',
      'listExpiredLeases',
      'listWorkers',
      'executionTags',
      'flowTags',
    ] as const) {
      expect(supports[flag], flag).toBe(true);
    }
    for (const flag of ['claimForWorker', 'subscribeInstanceTags', 'blockExecutionForAdmission', 'readBudgetUsageAndLimits', 'cancelFlowWaitTimeout', 'cancelFlowWaitIndefinite'] as const) {
      expect(supports[flag], flag).toBe(false);
    }
  });

  it('follows the operation table: a flag for another family is true exactly when its operations are there', async () => {
    const { engine } = await makeEngine();
    const { supports } = engine.capabilities();
    const ops = new Set<string>(OPERATIONS.map((o) => o.name));
    const channels = new Set<string>(OUTBOX_CHANNELS);
    expect(supports.listPendingWaitpoints).toBe(ops.has('listPendingWaitpoints'));
    expect(supports.rotateWaitpointHmacSecretAll).toBe(ops.has('rotateWaitpointHmacSecretAll'));
    expect(supports.seedWaitpointHmacSecret).toBe(ops.has('seedWaitpointHmacSecret'));
    expect(supports.subscribeSignalDelivery).toBe(channels.has('signal'));
    expect(supports.streamDurableSummary).toBe(ops.has('appendFrame') && ops.has('readSummary'));
    expect(supports.streamBestEffortLive).toBe(ops.has('appendFrame') && ops.has('tailStream'));
    // Plain data: it crosses the worker boundary as it is.
    expect(structuredClone(engine.capabilities())).toEqual(engine.capabilities());
  });
});
