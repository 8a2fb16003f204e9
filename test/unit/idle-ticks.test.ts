/** A scanner tick with nothing due commits nothing, so an idle engine has no unsaved changes. */
import { describe, expect, it } from 'vitest';
import { SCANNER_NAMES } from '../../src/scanners/scanner.js';
import { makeEngine, WORKER } from './helpers.js';

describe('idle scanner ticks', () => {
  it('commit nothing when nothing is due, and one transaction when something is', async () => {
    const { engine, clock } = await makeEngine({ scanners: {} });
    let commits = 0;
    engine.onCommit(() => commits++);
    for (const scanner of SCANNER_NAMES) await engine.runScanner({ scanner });
    expect(commits).toBe(0);

    engine.createExecution({ laneId: 'l' });
    engine.claim({ laneId: 'l', ...WORKER });
    commits = 0;
    await engine.runScanner({ scanner: 'lease_expiry' });
    expect(commits).toBe(0); // the lease is not due yet
    // Advancing to the expiry runs the lease_expiry tick: one transaction, one expired lease.
    clock.advanceTo(clock.now() + WORKER.leaseTtlMs);
    expect(commits).toBe(1);
    expect(engine.readExecutionInfo({ executionId: engine.listExecutions().executions[0]!.executionId })!.stateVector.ownershipState).toBe(
      'lease_expired_reclaimable',
    );
  });
});
