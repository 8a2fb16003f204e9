/**
 * The resume condition, evaluated against the signals a suspension has
 * received (its member map: waitpoint key → signals, in delivery order).
 *
 * - `signals`/`all_of`: every awaited signal has arrived; `any_of`: one has.
 *   An awaited signal matches a delivered one by name, and by waitpoint key
 *   when it names one.
 * - `approval`: a signal named `approved` (on its key when it names one).
 * - `operator_only`: no signal ever satisfies it.
 *
 * A `resume` timeout files a `timeout` signal under TIMEOUT_KEY; it resumes
 * the execution whatever the condition says (see suspension-timeout.ts).
 */
import type { ResumeCondition } from '../../api/suspension.js';
import type { StoredSignal } from './member-map.js';

export const TIMEOUT_KEY = '__timeout__';
export const APPROVED = 'approved';

interface Awaited {
  name: string;
  waitpointKey?: string | undefined;
}

function awaitedOf(condition: ResumeCondition): Awaited[] {
  switch (condition.kind) {
    case 'signals':
      return condition.signals;
    case 'approval':
      return [{ name: APPROVED, waitpointKey: condition.waitpointKey }];
    case 'operator_only':
      return [];
  }
}

function matches(awaited: Awaited, key: string, signal: StoredSignal): boolean {
  return signal.signalName === awaited.name && (awaited.waitpointKey === undefined || awaited.waitpointKey === key);
}

function arrived(awaited: Awaited, map: Record<string, StoredSignal[]>): boolean {
  return Object.entries(map).some(([key, signals]) => signals.some((s) => matches(awaited, key, s)));
}

export function isSatisfied(condition: ResumeCondition, map: Record<string, StoredSignal[]>): boolean {
  const awaited = awaitedOf(condition);
  if (awaited.length === 0) return false;
  return condition.kind === 'signals' && condition.mode === 'any_of' ? awaited.some((a) => arrived(a, map)) : awaited.every((a) => arrived(a, map));
}

/** Whether a delivered signal counts toward the condition (what observeSignals returns); the timeout signal always does. */
export function isMatched(condition: ResumeCondition, key: string, signal: StoredSignal): boolean {
  return key === TIMEOUT_KEY || awaitedOf(condition).some((a) => matches(a, key, signal));
}

/** Names the condition waits for on waitpoint `key` (empty = any signal counts there); shown by listPendingWaitpoints. */
export function requiredSignalNames(condition: ResumeCondition, key: string): string[] {
  if (condition.kind === 'operator_only') return ['__operator_only__'];
  const names = awaitedOf(condition)
    .filter((a) => a.waitpointKey === undefined || a.waitpointKey === key)
    .map((a) => a.name);
  return [...new Set(names)];
}

/** Waitpoint keys the condition names; each must be one of the suspension's waitpoints. */
export function conditionKeys(condition: ResumeCondition): string[] {
  return awaitedOf(condition).flatMap((a) => (a.waitpointKey === undefined ? [] : [a.waitpointKey]));
}
