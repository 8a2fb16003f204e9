/**
 * An operation, as data: its name, family and kind, its input schema, a
 * one-line summary, and its body. Every public engine method is one of
 * these, defined once in its own file under src/engine/<family>/ and listed
 * once in operations.ts. The Engine's methods, the worker's allow-list, the
 * browser client's types and the API reference are all derived from that
 * table, so nothing else needs to be kept in step by hand.
 */
import type { z } from 'zod';
import type { ManualClock } from './time/clock.js';
import type { ClockPlayer } from './time/clock-player.js';
import type { EngineContext } from './core/context.js';
import type { ScannerSupervisor } from '../scanners/supervisor.js';

/** The families, in the order the API reference lists them. */
export const FAMILIES = {
  executions: 'Executions',
  reads: 'Reads',
  budgets: 'Budgets',
  quotas: 'Quotas',
  workers: 'Workers',
  leases: 'Expired leases and reclaim',
  flows: 'Flows and dependencies',
  tags: 'Tags',
  suspension: 'Suspension, waitpoints and signals',
  operator: 'Operator controls',
  streams: 'Streams',
  outbox: 'Outbox reads',
  time: 'Scanners and virtual time',
} as const;

export type Family = keyof typeof FAMILIES;

/**
 * - `read`: runs outside any write transaction and changes nothing.
 * - `write`: one transaction on the engine clock, followed by the flow completion cascade.
 * - `control`: drives time or the scanners; it manages its own transactions.
 * - `wait`: a read that may wait on the engine clock for a commit to change
 *   its answer (`runtime.nextCommit`). Its body is async and the method
 *   returns a promise, in-process too; the browser client sends it in a
 *   message of its own, so a long wait never holds up other calls.
 */
export type OperationKind = 'read' | 'write' | 'control' | 'wait';

/** What the engine hands a control operation besides its context. */
export interface EngineRuntime {
  readonly supervisor: ScannerSupervisor;
  /** Clock playback; null on a real clock. */
  readonly player: ClockPlayer | null;
  /** The engine's ManualClock, or `unavailable` when it runs on a real clock. */
  manualClock(op: string): ManualClock;
  /** Save the virtual time in the database (after an advance), returning `value`. */
  recordTime<T>(value: T): T;
  /**
   * For `wait` operations: resolves at the engine's next commit, or once the
   * engine clock reaches `until` (a ManualClock's advance, a timer on a real
   * clock), whichever is first; rejects with `closed` if the engine closes.
   */
  nextCommit(until: number): Promise<void>;
  /** For `wait` operations: run a read with database errors wrapped as for a `read` operation. */
  read<T>(op: string, body: () => T): T;
}

/** The arguments of an operation's body. */
export interface OperationEnv {
  readonly ctx: EngineContext;
  /** The engine clock when the operation started. */
  readonly now: number;
  readonly runtime: EngineRuntime;
  /** The names of every operation of the engine's table (what `capabilities` reports from). */
  readonly operationNames: ReadonlySet<string>;
}

export interface Operation<N extends string = string, S extends z.ZodType = z.ZodType, R = unknown> {
  readonly name: N;
  readonly family: Family;
  readonly kind: OperationKind;
  /** One line for the API reference. */
  readonly summary: string;
  /** Checked before the body runs; a failure is `validation.invalid_input` naming the field. */
  readonly input: S;
  readonly run: (env: OperationEnv, input: z.output<S>) => R;
}

/** Define an operation; the identity function, there for inference. */
export function defineOperation<const N extends string, S extends z.ZodType, R>(op: Operation<N, S, R>): Operation<N, S, R> {
  return op;
}

// ── types derived from a table of operations ──────────────────────────────

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the widest operation, for `extends` checks only
export type AnyOperation = Operation<string, any, any>;

/** `input` may be left out when every field of it is optional. */
type MethodOf<O> =
  O extends Operation<string, infer S, infer R>
    ? Record<never, never> extends z.input<S>
      ? (input?: z.input<S>) => R
      : (input: z.input<S>) => R
    : never;

/** One method per operation: `engine.claim(input)`. */
export type OperationMethods<T extends readonly AnyOperation[]> = {
  [O in T[number] as O['name']]: MethodOf<O>;
};

/** The same methods, async: what the browser client offers. */
export type AsyncMethods<M> = {
  [K in keyof M]: M[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never;
};
