/**
 * Errors that mean "this worker no longer holds the lease": the runtime
 * stops working on the job and never retries the call. Matched by `code`,
 * not by class, because errors from the worker client are rebuilt on this
 * side of the boundary.
 */
export const LEASE_LOST_CODES: ReadonlySet<string> = new Set([
  'state.stale_lease',
  'state.lease_expired',
  'state.lease_revoked',
  'contention.lease_conflict',
  'contention.execution_not_active',
  // appendFrame's refusal once the attempt has ended (its details keep the fence's own code).
  'state.stream_closed',
]);

export function leaseLostCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' && LEASE_LOST_CODES.has(code) ? code : undefined;
}
