import { listFlowsInput, type ListFlowsResult } from '../../api/flows.js';
import { decodeCursor, encodeCursor } from '../core/keyset-cursor.js';
import { defineOperation } from '../operation.js';
import { FLOW_COLUMNS, toFlowSummary, type FlowRow } from './flow-state.js';

export const listFlowsOp = defineOperation({
  name: 'listFlows',
  family: 'flows',
  kind: 'read',
  summary: 'Flows, oldest first, of one namespace or of all; `nextCursor` is set while more rows may follow.',
  input: listFlowsInput,
  run: ({ ctx }, input): ListFlowsResult => {
    const where: string[] = [];
    const params: Record<string, string | number> = { limit: input.limit };
    if (input.namespace !== undefined) {
      where.push('namespace = :namespace');
      params['namespace'] = input.namespace;
    }
    if (input.cursor !== undefined) {
      const [afterCreated, afterId] = decodeCursor('listFlows', input.cursor, ['number', 'string']);
      where.push('(created_at_ms, flow_id) > (:afterCreated, :afterId)');
      params['afterCreated'] = afterCreated;
      params['afterId'] = afterId;
    }
    const rows = ctx.db
      .prepare(
        `SELECT ${FLOW_COLUMNS} FROM ff_flow_core ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
          ORDER BY created_at_ms, flow_id LIMIT :limit`,
      )
      .all<FlowRow>(params);
    const last = rows[rows.length - 1];
    return {
      flows: rows.map(toFlowSummary),
      nextCursor: rows.length === input.limit && last ? encodeCursor('listFlows', [last.created_at_ms, last.flow_id]) : null,
    };
  },
});
