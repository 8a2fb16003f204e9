/**
 * createWaitpoint: a waitpoint made ahead of a suspension (state `pending`),
 * so its token can be handed out before the worker suspends; suspend binds
 * it with a `use_pending` binding. Fenced (FlowFabric checks nothing), so
 * only the lease holder can make one.
 */
import type { z } from 'zod';
import { createWaitpointInput, type CreateWaitpointResult } from '../../api/suspension.js';
import type { EngineContext } from '../core/context.js';
import { fence } from '../executions/fence.js';
import { defineOperation } from '../operation.js';
import { mintToken, requireActiveKey } from './hmac-keys.js';

export function createWaitpoint(ctx: EngineContext, input: z.output<typeof createWaitpointInput>, now: number): CreateWaitpointResult {
  const row = fence(ctx, input.handle, now);
  const key = requireActiveKey(ctx, 'createWaitpoint');
  const waitpointId = ctx.ids.uuid();
  const token = mintToken(key, row.execution_id, waitpointId);
  const expiresAtMs = input.expiresInMs === undefined ? null : now + input.expiresInMs;
  ctx.db
    .prepare(
      `INSERT INTO ff_waitpoint_pending (waitpoint_id, execution_id, waitpoint_key, token_kid, token, state, created_at_ms, expires_at_ms)
       VALUES (:waitpointId, :executionId, :waitpointKey, :kid, :token, 'pending', :now, :expiresAtMs)`,
    )
    .run({ waitpointId, executionId: row.execution_id, waitpointKey: input.waitpointKey, kid: key.kid, token, now, expiresAtMs });
  return { kind: 'created', waitpointId, waitpointKey: input.waitpointKey, token, expiresAtMs };
}

export const createWaitpointOp = defineOperation({
  name: 'createWaitpoint',
  family: 'suspension',
  kind: 'write',
  summary: 'A pending waitpoint and its token, made before suspending (bind it with a `use_pending` binding); it may expire.',
  input: createWaitpointInput,
  run: ({ ctx, now }, input): CreateWaitpointResult => createWaitpoint(ctx, input, now),
});
