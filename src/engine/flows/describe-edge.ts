import { edgeRef, type EdgeInfo } from '../../api/flows.js';
import { defineOperation } from '../operation.js';
import { readEdge, toEdgeInfo } from './edges.js';

export const describeEdgeOp = defineOperation({
  name: 'describeEdge',
  family: 'flows',
  kind: 'read',
  summary: 'One edge with its state, or `null`.',
  input: edgeRef,
  run: ({ ctx }, { flowId, edgeId }): EdgeInfo | null => {
    const edge = readEdge(ctx, flowId, edgeId);
    return edge ? toEdgeInfo(edge) : null;
  },
});
