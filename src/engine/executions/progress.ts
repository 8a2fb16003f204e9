/**
 * progress: record a worker's percent and/or message. A field that is not
 * given keeps its previous value (absent stays absent).
 */
import type { z } from 'zod';
import type { ProgressResult } from '../../api/executions.js';
import { progressInput } from '../../api/executions.js';
import type { EngineContext } from '../core/context.js';
import { fence } from './fence.js';
import { defineOperation } from '../operation.js';

export function progress(ctx: EngineContext, input: z.output<typeof progressInput>, now: number): ProgressResult {
  const row = fence(ctx, input.handle, now);
  if (input.percent !== undefined) {
    ctx.db
      .prepare(`UPDATE ff_exec_core SET raw_fields = json_set(raw_fields, '$.progress_pct', :percent) WHERE execution_id = :executionId`)
      .run({ executionId: row.execution_id, percent: input.percent });
  }
  if (input.message !== undefined) {
    ctx.db
      .prepare(`UPDATE ff_exec_core SET raw_fields = json_set(raw_fields, '$.progress_message', :message) WHERE execution_id = :executionId`)
      .run({ executionId: row.execution_id, message: input.message });
  }
  return { kind: 'recorded' };
}

export const progressOp = defineOperation({
  name: 'progress',
  family: 'executions',
  kind: 'write',
  summary: 'Record progress; a field left out keeps its old value.',
  input: progressInput,
  run: ({ ctx, now }, input): ProgressResult => progress(ctx, input, now),
});
