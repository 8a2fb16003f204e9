/**
 * The waitpoints a suspend binds: fresh ones get an id (given or minted), a
 * pending one must exist, belong to the execution and not be bound yet.
 * Checked before anything is written, so a bad binding changes nothing.
 */
import { errors } from '../../api/errors.js';
import type { SuspendInput } from '../../api/suspension.js';
import type { EngineContext } from '../core/context.js';

export interface Bound {
  waitpointId: string;
  waitpointKey: string;
  /** The token a pending waitpoint was already issued; null for a fresh one. */
  token: string | null;
}

interface WaitpointRow {
  execution_id: string;
  waitpoint_key: string;
  token: string;
  state: string;
  expires_at_ms: number | null;
}

export function bindWaitpoints(ctx: EngineContext, executionId: string, bindings: SuspendInput['waitpoints'], now: number): Bound[] {
  const read = ctx.db.prepare('SELECT execution_id, waitpoint_key, token, state, expires_at_ms FROM ff_waitpoint_pending WHERE waitpoint_id = :waitpointId');
  const bound = bindings.map((b, i): Bound => {
    const field = `waitpoints.${i}.waitpointId`;
    if (b.kind === 'fresh') {
      const waitpointId = b.waitpointId ?? ctx.ids.uuid();
      if (b.waitpointId !== undefined && read.get({ waitpointId })) throw errors.invalid(field, `waitpoint ${waitpointId} already exists`);
      return { waitpointId, waitpointKey: b.waitpointKey, token: null };
    }
    const row = read.get<WaitpointRow>({ waitpointId: b.waitpointId });
    if (!row) throw errors.notFound('waitpoint', b.waitpointId);
    if (row.execution_id !== executionId) throw errors.invalid(field, `waitpoint ${b.waitpointId} belongs to another execution`);
    if (row.state !== 'pending') throw errors.invalid(field, `waitpoint ${b.waitpointId} is ${row.state}, not pending`);
    if (row.expires_at_ms !== null && row.expires_at_ms <= now) throw errors.invalid(field, `waitpoint ${b.waitpointId} has expired`);
    return { waitpointId: b.waitpointId, waitpointKey: row.waitpoint_key, token: row.token };
  });
  const ids = new Set(bound.map((b) => b.waitpointId));
  const keys = new Set(bound.map((b) => b.waitpointKey));
  if (ids.size !== bound.length) throw errors.invalid('waitpoints', 'the same waitpoint is bound twice');
  if (keys.size !== bound.length) throw errors.invalid('waitpoints', 'two waitpoints share a waitpoint key');
  return bound;
}
