/** getFlowTag (FlowFabric's get_flow_tag): one tag's value, or null (also for an unknown flow). */
import { getFlowTagInput } from '../../api/tags.js';
import { tagPath } from './tag-path.js';
import { defineOperation } from '../operation.js';

export const getFlowTagOp = defineOperation({
  name: 'getFlowTag',
  family: 'tags',
  kind: 'read',
  summary: "One tag of a flow, or null when it is not set or the flow doesn't exist.",
  input: getFlowTagInput,
  run: ({ ctx }, input): string | null => {
    const row = ctx.db
      .prepare('SELECT json_extract(raw_fields, :path) AS value FROM ff_flow_core WHERE flow_id = :flowId')
      .get<{ value: unknown }>({ flowId: input.flowId, path: tagPath(input.key) });
    return row === undefined || row.value === null ? null : String(row.value);
  },
});
