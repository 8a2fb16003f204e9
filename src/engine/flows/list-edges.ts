import { listEdgesInput, type ListEdgesResult } from '../../api/flows.js';
import { defineOperation } from '../operation.js';
import { EDGE_COLUMNS, flowEdges, toEdgeInfo, type EdgeRow } from './edges.js';

export const listEdgesOp = defineOperation({
  name: 'listEdges',
  family: 'flows',
  kind: 'read',
  summary: "A flow's edges, or those of one member (`outgoing`, `incoming` or `both`), in staging order.",
  input: listEdgesInput,
  run: ({ ctx }, input): ListEdgesResult => {
    if (input.executionId === undefined) return { edges: flowEdges(ctx, input.flowId) };
    const sides = {
      outgoing: 'upstream_eid = :executionId',
      incoming: 'downstream_eid = :executionId',
      both: '(upstream_eid = :executionId OR downstream_eid = :executionId)',
    };
    const edges = ctx.db
      .prepare(`SELECT ${EDGE_COLUMNS} FROM ff_edge WHERE flow_id = :flowId AND ${sides[input.direction]} ORDER BY staged_at_ms, rowid`)
      .all<EdgeRow>({ flowId: input.flowId, executionId: input.executionId })
      .map(toEdgeInfo);
    return { edges };
  },
});
