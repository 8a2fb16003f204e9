/**
 * Shared set-up for the suspension tests: a seeded keystore, a claimed
 * execution, and a suspend on fresh waitpoints.
 */
import type { Handle, ResumeCondition, SuspendInput, SuspendResult } from '../../src/index.js';
import { makeEngine, WORKER, type TestEngine } from './helpers.js';
import type { ScannerOptions } from '../../src/scanners/build-scanners.js';

export const KID = 'kid-test';
export const SECRET = 'cafebabe'.repeat(8);
export const SECRET_2 = 'deadbeef'.repeat(8);

export interface Claimed extends TestEngine {
  executionId: string;
  handle: Handle;
}

/** A seeded engine with one claimed execution in lane `l`. */
export async function claimedExecution(options: { scanners?: ScannerOptions | false; seed?: boolean } = {}): Promise<Claimed> {
  const made = await makeEngine({ scanners: options.scanners ?? false });
  if (options.seed !== false) made.engine.seedWaitpointHmacSecret({ kid: KID, secretHex: SECRET });
  const { executionId } = made.engine.createExecution({ laneId: 'l' });
  const handle = made.engine.claim({ laneId: 'l', ...WORKER })!;
  return { ...made, executionId, handle };
}

/** Suspend on fresh waitpoints with the given keys. */
export function suspendOn(
  t: Claimed,
  keys: string[],
  resumeCondition: ResumeCondition,
  extra: Omit<SuspendInput, 'handle' | 'waitpoints' | 'resumeCondition'> = {},
): SuspendResult {
  return t.engine.suspend({
    handle: t.handle,
    waitpoints: keys.map((waitpointKey) => ({ kind: 'fresh', waitpointKey })),
    resumeCondition,
    ...extra,
  });
}

/** A suspended execution, plus its suspend result. */
export async function suspendedExecution(
  keys: string[],
  condition: ResumeCondition,
  extra: Omit<SuspendInput, 'handle' | 'waitpoints' | 'resumeCondition'> = {},
  options: { scanners?: ScannerOptions | false } = {},
): Promise<Claimed & { suspended: SuspendResult }> {
  const t = await claimedExecution(options);
  return { ...t, suspended: suspendOn(t, keys, condition, extra) };
}

/** Deliver a signal named `name` to the suspended execution's waitpoint with key `key`. */
export function signal(t: Claimed & { suspended: SuspendResult }, key: string, name: string, extra: { idempotencyKey?: string } = {}) {
  const wp = t.suspended.waitpoints.find((w) => w.waitpointKey === key)!;
  return t.engine.deliverSignal({ executionId: t.executionId, waitpointId: wp.waitpointId, waitpointToken: wp.token, signalName: name, ...extra });
}
