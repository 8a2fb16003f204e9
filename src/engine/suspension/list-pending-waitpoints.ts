/**
 * listPendingWaitpoints: an execution's open waitpoints (pending or active),
 * in waitpoint id order, a page at a time. Tokens are redacted to their kid
 * and a 16-hex-character fingerprint; readWaitpointToken gives the operator
 * the token itself.
 */
import type { z } from 'zod';
import { errors } from '../../api/errors.js';
import { listPendingWaitpointsInput, type ListPendingWaitpointsResult, type PendingWaitpointInfo } from '../../api/suspension.js';
import type { EngineContext } from '../core/context.js';
import { defineOperation } from '../operation.js';
import { redactToken } from './hmac-keys.js';

interface Row {
  waitpoint_id: string;
  waitpoint_key: string;
  state: 'pending' | 'active';
  created_at_ms: number;
  activated_at_ms: number | null;
  expires_at_ms: number | null;
  required_signal_names: string;
  token: string;
}

export function listPendingWaitpoints(ctx: EngineContext, input: z.output<typeof listPendingWaitpointsInput>): ListPendingWaitpointsResult {
  const exists = ctx.db.prepare('SELECT 1 AS one FROM ff_exec_core WHERE execution_id = :executionId').get({ executionId: input.executionId });
  if (!exists) throw errors.notFound('execution', input.executionId);
  const rows = ctx.db
    .prepare(
      `SELECT waitpoint_id, waitpoint_key, state, created_at_ms, activated_at_ms, expires_at_ms, required_signal_names, token
         FROM ff_waitpoint_pending
        WHERE execution_id = :executionId AND waitpoint_id > :after AND state IN ('pending', 'active')
        ORDER BY waitpoint_id LIMIT :limit`,
    )
    .all<Row>({ executionId: input.executionId, after: input.after ?? '', limit: input.limit + 1 });
  const page = rows.slice(0, input.limit);
  const entries = page.map(
    (r): PendingWaitpointInfo => ({
      waitpointId: r.waitpoint_id,
      executionId: input.executionId,
      waitpointKey: r.waitpoint_key,
      state: r.state,
      createdAtMs: r.created_at_ms,
      activatedAtMs: r.activated_at_ms,
      expiresAtMs: r.expires_at_ms,
      requiredSignalNames: JSON.parse(r.required_signal_names) as string[],
      ...redactToken(r.token),
    }),
  );
  return { entries, nextCursor: rows.length > input.limit ? page[page.length - 1]!.waitpoint_id : null };
}

export const listPendingWaitpointsOp = defineOperation({
  name: 'listPendingWaitpoints',
  family: 'suspension',
  kind: 'read',
  summary: "An execution's open waitpoints in id order, paged by `nextCursor`; each token shown only as its kid and fingerprint.",
  input: listPendingWaitpointsInput,
  run: ({ ctx }, input): ListPendingWaitpointsResult => listPendingWaitpoints(ctx, input),
});
