/**
 * Shared setup for the lease-expiry and reclaim tests: an execution whose
 * short lease has run out and been marked, the lease-expiry scanner body run
 * by hand, and the grant / reclaim steps.
 */
import { expect } from 'vitest';
import type { Engine, Handle, ManualClock } from '../../src/index.js';
import { markExpiredLeases } from '../../src/engine/leases/lease-expiry.js';
import { makeEngine, rows, scannerContext, WORKER } from './helpers.js';

export const TTL = 1_000;
export const GRANT = { workerId: 'w2', workerInstanceId: 'w2-i1', laneId: 'l', grantTtlMs: 5_000 } as const;
export const RECLAIM = { workerId: 'w2', workerInstanceId: 'w2-i1', leaseTtlMs: 30_000 } as const;

export function markExpired(engine: Engine, clock: ManualClock, limit = 100): number {
  return engine.driver.transaction(() => markExpiredLeases(scannerContext(engine), clock.now(), limit));
}

export function leaseEvents(engine: Engine, executionId: string): Array<[string, number, number]> {
  return rows<{ event_type: string; attempt_index: number; lease_epoch: number }>(
    engine,
    `SELECT event_type, attempt_index, lease_epoch FROM ff_lease_event WHERE execution_id = '${executionId}' ORDER BY event_id`,
  ).map((r) => [r.event_type, r.attempt_index, r.lease_epoch]);
}

export function grantCount(engine: Engine): number {
  return rows<{ n: number }>(engine, 'SELECT COUNT(*) AS n FROM ff_claim_grant')[0]!.n;
}

/** One execution, claimed with a short lease that has run out and been marked by the scanner. */
export async function expiredExecution(options: { maxReclaimCount?: number; requiredCapabilities?: string[] } = {}) {
  const t = await makeEngine();
  const id = t.engine.createExecution({ laneId: 'l', ...options }).executionId;
  const handle = t.engine.claim({ laneId: 'l', ...WORKER, capabilities: options.requiredCapabilities ?? [], leaseTtlMs: TTL })!;
  t.clock.advance(TTL);
  expect(markExpired(t.engine, t.clock)).toBe(1);
  return { ...t, id, handle };
}

/** Expire the current lease of `id` (held until `ttl` from now) and mark it. */
export function expireAgain(engine: Engine, clock: ManualClock, ttl: number): void {
  clock.advance(ttl);
  expect(markExpired(engine, clock)).toBe(1);
}

export function reclaim(engine: Engine, id: string): Handle {
  const grant = engine.issueReclaimGrant({ executionId: id, ...GRANT });
  expect(grant.kind).toBe('granted');
  const r = engine.reclaimExecution({ executionId: id, ...RECLAIM });
  if (r.kind !== 'claimed') throw new Error(`expected claimed, got ${JSON.stringify(r)}`);
  return r.handle;
}
