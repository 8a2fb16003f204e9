/**
 * How a handler says what kind of failure it threw. A plain Error is
 * `transient` (retried under the execution's retry policy); a
 * PermanentError, or any thrown value carrying a valid `failureClass`,
 * fails with that class.
 */
import { FAILURE_CLASSES, type FailureClass } from '../api/states.js';

/** failExecution caps its reason at this many characters; longer messages are cut rather than refused. */
const MAX_REASON_LENGTH = 4096;

/** Throw this from a handler to fail the execution at once, with no retry. */
export class PermanentError extends Error {
  override readonly name = 'PermanentError';
  readonly failureClass = 'permanent' as const;
}

export function failureClassOf(error: unknown): FailureClass {
  const declared = (error as { failureClass?: unknown } | null | undefined)?.failureClass;
  return FAILURE_CLASSES.find((c) => c === declared) ?? 'transient';
}

/** The failure reason stored on the attempt: the error's message, or the thrown value as text. */
export function reasonOf(error: unknown): string {
  const message = (error as { message?: unknown } | null | undefined)?.message;
  const text = typeof message === 'string' ? message : String(error);
  return text.length > MAX_REASON_LENGTH ? text.slice(0, MAX_REASON_LENGTH) : text;
}
