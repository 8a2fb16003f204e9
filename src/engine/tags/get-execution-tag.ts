/** getExecutionTag (FlowFabric's get_execution_tag): one tag's value, or null (also for an unknown execution). */
import { getExecutionTagInput } from '../../api/tags.js';
import { tagPath } from './tag-path.js';
import { defineOperation } from '../operation.js';

export const getExecutionTagOp = defineOperation({
  name: 'getExecutionTag',
  family: 'tags',
  kind: 'read',
  summary: "One tag of an execution, or null when it is not set or the execution doesn't exist.",
  input: getExecutionTagInput,
  run: ({ ctx }, input): string | null => {
    const row = ctx.db
      .prepare('SELECT json_extract(tags, :path) AS value FROM ff_exec_core WHERE execution_id = :executionId')
      .get<{ value: unknown }>({ executionId: input.executionId, path: tagPath(input.key) });
    return row === undefined || row.value === null ? null : String(row.value);
  },
});
