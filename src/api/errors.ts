/**
 * The one error type of the engine. Every failure a caller can see is an
 * `EngineError` with a stable string `code` and plain-data `details`, so it
 * survives structured cloning (the worker boundary) intact.
 *
 * Codes mirror FlowFabric's `EngineError` kinds in snake_case:
 * `<family>.<kind>` for the families that have kinds, a bare word otherwise.
 */
export type EngineErrorCode =
  /** Malformed input; `details.field` names the offending field. */
  | 'validation.invalid_input'
  /** A handle minted by another backend (Valkey, Postgres). */
  | 'validation.handle_from_other_backend'
  /**
   * A waitpoint token was refused (`details.reason`: malformed, wrong_kid,
   * unknown_kid, kid_retired, signature_mismatch, wrong_execution, expired);
   * `details.field` is `waitpointToken`.
   */
  | 'validation.invalid_token'
  /** Stored data or an encoded handle/cursor could not be decoded. */
  | 'validation.corruption'
  /** The named entity (`details.entity`) does not exist. */
  | 'not_found'
  /** The handle's worker does not hold the lease. */
  | 'contention.lease_conflict'
  /** The execution is not in the `active` phase (e.g. already terminal). */
  | 'contention.execution_not_active'
  /** The execution cannot be claimed or changed in its current state. */
  | 'contention.execution_not_eligible'
  /** The execution cannot be leased from a grant in its current state (not eligible, or interrupted). */
  | 'contention.execution_not_leaseable'
  /** No claim grant for this execution, or it belongs to another worker. */
  | 'contention.invalid_claim_grant'
  /** The claim grant's time ran out before it was redeemed. */
  | 'contention.claim_grant_expired'
  /** The graph changed since the caller read its revision. */
  | 'contention.stale_graph_revision'
  /** The handle belongs to an older attempt or lease epoch. */
  | 'state.stale_lease'
  /** The lease ran out before the call. */
  | 'state.lease_expired'
  /** An operator revoked the lease. */
  | 'state.lease_revoked'
  /**
   * A subscription's resume cursor is older than the retained history: the
   * retention trimmer deleted events after it. `details` has the channel,
   * `trimmedThroughEventId`, `oldestRetainedEventId` and a `resumeCursor`.
   */
  | 'state.cursor_expired'
  /**
   * appendFrame on a stream whose attempt has ended (completed, failed,
   * delayed, cancelled, reclaimed, lease expired or revoked). `details` has
   * `closedAt`, `closedReason` and the fence's own code (`fenceCode`).
   */
  | 'state.stream_closed'
  | 'state.execution_not_suspended'
  | 'state.execution_not_terminal'
  | 'conflict.active_attempt_exists'
  | 'conflict.rotation_conflict'
  /** The database failed underneath (a bug or a corrupt image). */
  | 'transport'
  /** The operation is not available in this backend or configuration. */
  | 'unavailable'
  /** The engine (or its worker) was closed or crashed. */
  | 'closed'
  /** Persistence failed (IndexedDB error, quota exceeded). */
  | 'persistence';

export type ErrorDetails = Record<string, unknown>;

export class EngineError extends Error {
  override readonly name = 'EngineError';
  readonly code: EngineErrorCode;
  readonly details: ErrorDetails;

  constructor(code: EngineErrorCode, message: string, details: ErrorDetails = {}) {
    super(message);
    this.code = code;
    this.details = details;
  }

  /** Plain-data form, for crossing a structured-clone boundary. */
  toJSON(): { name: 'EngineError'; code: EngineErrorCode; message: string; details: ErrorDetails } {
    return { name: this.name, code: this.code, message: this.message, details: this.details };
  }
}

export function isEngineError(value: unknown): value is EngineError {
  return value instanceof EngineError;
}

/** Shorthand constructors used across the engine. */
export const errors = {
  invalid(field: string, message: string, extra: ErrorDetails = {}): EngineError {
    return new EngineError('validation.invalid_input', `${field}: ${message}`, {
      field,
      issues: [{ path: field, code: 'custom', message }],
      ...extra,
    });
  },
  notFound(entity: string, id: string): EngineError {
    return new EngineError('not_found', `${entity} not found: ${id}`, { entity, id });
  },
  corruption(what: string, extra: ErrorDetails = {}): EngineError {
    return new EngineError('validation.corruption', what, extra);
  },
  unavailable(op: string, why: string): EngineError {
    return new EngineError('unavailable', `${op} is unavailable: ${why}`, { op });
  },
};
