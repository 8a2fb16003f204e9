/**
 * comlink's `throw` transfer handler, replaced on both sides of the worker
 * boundary. comlink alone keeps only an error's name, message and stack, so
 * an EngineError would arrive as a bare Error without its `code` and
 * `details`. This handler carries them as plain data and rebuilds a real
 * EngineError on the receiving side; a zod error (whose `issues` zod 4 keeps
 * non-enumerable, so structured cloning drops them) becomes a
 * `validation.invalid_input` EngineError with the issues as plain objects.
 * Anything else goes through comlink's own handler unchanged.
 *
 * Install it in every realm that talks over the boundary (the worker entry
 * and the client do); installing twice is harmless.
 */
import * as Comlink from 'comlink';
import { EngineError, type EngineErrorCode, type ErrorDetails } from '../api/errors.js';
import type { ValidationIssue } from '../api/validate.js';

interface WireError {
  ffEngineError: true;
  code: EngineErrorCode;
  message: string;
  details: ErrorDetails;
  stack: string | undefined;
}

interface Thrown {
  value: unknown;
}

const INSTALLED = Symbol.for('ff-backend-browser.wire-installed');

export function installWireHandlers(): void {
  const handlers = Comlink.transferHandlers as Map<string, Comlink.TransferHandler<unknown, unknown>> & { [INSTALLED]?: true };
  if (handlers[INSTALLED]) return;
  const original = handlers.get('throw')!;
  handlers.set('throw', {
    canHandle: (value: unknown): value is Thrown => original.canHandle(value),
    serialize(thrown: unknown) {
      const wire = toWireError((thrown as Thrown).value);
      return wire ? [wire, []] : original.serialize(thrown);
    },
    deserialize(serialized: unknown) {
      if (isWireError(serialized)) throw fromWireError(serialized);
      return original.deserialize(serialized);
    },
  });
  handlers[INSTALLED] = true;
}

/** An EngineError (or a zod error) as plain, cloneable data; null for anything else. */
export function toWireError(value: unknown): WireError | null {
  if (value instanceof EngineError) {
    return { ffEngineError: true, code: value.code, message: value.message, details: plainData(value.details), stack: value.stack };
  }
  const issues = zodIssues(value);
  if (issues) {
    const first = issues[0];
    const field = first?.path || '(input)';
    return {
      ffEngineError: true,
      code: 'validation.invalid_input',
      message: `${field}: ${first?.message ?? 'invalid input'}`,
      details: { field, issues },
      stack: (value as Error).stack,
    };
  }
  return null;
}

export function fromWireError(wire: WireError): EngineError {
  const error = new EngineError(wire.code, wire.message, wire.details);
  // Keep the worker's stack (where it was thrown) below the page's (where it surfaced).
  if (wire.stack) error.stack = `${error.stack ?? ''}\n    --- thrown in the backend worker ---\n${wire.stack}`;
  return error;
}

/** Any thrown value as plain data: an EngineError (or zod error) with its code and details, anything else as name/message/stack. */
export type SerializedError = WireError | { ffEngineError: false; name: string; message: string; stack: string | undefined };

export function serializeError(value: unknown): SerializedError {
  const wire = toWireError(value);
  if (wire) return wire;
  const err = value instanceof Error ? value : new Error(String(value));
  return { ffEngineError: false, name: err.name, message: err.message, stack: err.stack };
}

export function deserializeError(serialized: SerializedError): Error {
  if (isWireError(serialized)) return fromWireError(serialized);
  return Object.assign(new Error(serialized.message), { name: serialized.name, stack: serialized.stack });
}

function isWireError(value: unknown): value is WireError {
  return typeof value === 'object' && value !== null && (value as { ffEngineError?: unknown }).ffEngineError === true;
}

/** zod 4 issues (a non-enumerable property) copied into plain objects, or null when `value` is not a zod error. */
function zodIssues(value: unknown): ValidationIssue[] | null {
  if (!(value instanceof Error) || value.name !== 'ZodError') return null;
  const issues = (value as { issues?: unknown }).issues;
  if (!Array.isArray(issues)) return null;
  return issues.map((issue: { path?: unknown[]; code?: unknown; message?: unknown }) => ({
    path: (issue.path ?? []).map(String).join('.'),
    code: String(issue.code ?? 'custom'),
    message: String(issue.message ?? ''),
  }));
}

/** Details are meant to be plain data; anything structured cloning refuses is turned into JSON-able values instead of failing the call. */
function plainData(details: ErrorDetails): ErrorDetails {
  try {
    return structuredClone(details);
  } catch {
    return JSON.parse(JSON.stringify(details, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : typeof v === 'function' ? undefined : v))) as ErrorDetails;
  }
}
