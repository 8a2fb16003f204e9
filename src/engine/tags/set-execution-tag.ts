/**
 * setExecutionTag (FlowFabric's set_execution_tag): set one tag of an
 * execution, at any point of its life. Tags live in the execution's `tags`
 * document, each dotted key as one flat member. Setting `cairn.instance_id`
 * changes the instance tag of every event written about the execution from
 * now on (events already written keep theirs). An unknown execution is
 * `not_found`.
 */
import type { z } from 'zod';
import { errors } from '../../api/errors.js';
import { setExecutionTagInput, type SetTagResult } from '../../api/tags.js';
import type { EngineContext } from '../core/context.js';
import { tagPath } from './tag-path.js';
import { defineOperation } from '../operation.js';

export function setExecutionTag(ctx: EngineContext, input: z.output<typeof setExecutionTagInput>): SetTagResult {
  const path = tagPath(input.key);
  const row = ctx.db
    .prepare('SELECT json_extract(tags, :path) AS previous FROM ff_exec_core WHERE execution_id = :executionId')
    .get<{ previous: unknown }>({ executionId: input.executionId, path });
  if (!row) throw errors.notFound('execution', input.executionId);
  ctx.db.prepare('UPDATE ff_exec_core SET tags = json_set(tags, :path, :value) WHERE execution_id = :executionId').run({
    executionId: input.executionId,
    path,
    value: input.value,
  });
  return { key: input.key, value: input.value, previousValue: row.previous === null ? null : String(row.previous) };
}

export const setExecutionTagOp = defineOperation({
  name: 'setExecutionTag',
  family: 'tags',
  kind: 'write',
  summary: 'Set one tag of an execution (a flat dotted key such as `cairn.session_id`); `cairn.instance_id` tags the events written from then on.',
  input: setExecutionTagInput,
  run: ({ ctx }, input): SetTagResult => setExecutionTag(ctx, input),
});
