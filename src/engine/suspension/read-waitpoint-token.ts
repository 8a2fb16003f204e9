/**
 * readWaitpointToken: the token of a waitpoint, for the operator (who then
 * delivers a signal with it, or hands it to whoever should). null when the
 * waitpoint is gone (satisfied, resumed, expired) or never existed.
 */
import type { z } from 'zod';
import { readWaitpointTokenInput } from '../../api/suspension.js';
import type { EngineContext } from '../core/context.js';
import { defineOperation } from '../operation.js';

export function readWaitpointToken(ctx: EngineContext, input: z.output<typeof readWaitpointTokenInput>): string | null {
  const row = ctx.db.prepare('SELECT token FROM ff_waitpoint_pending WHERE waitpoint_id = :waitpointId').get<{ token: string }>(input);
  return row?.token ?? null;
}

export const readWaitpointTokenOp = defineOperation({
  name: 'readWaitpointToken',
  family: 'suspension',
  kind: 'read',
  summary: 'The token of a waitpoint (operator use), or `null` when the waitpoint does not exist.',
  input: readWaitpointTokenInput,
  run: ({ ctx }, input): string | null => readWaitpointToken(ctx, input),
});
