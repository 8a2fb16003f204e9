/**
 * Where each member and edge of a flow is drawn, computed by dagre (a
 * layered graph layout: upstreams left, downstreams right). Only the shape
 * of the graph matters to the layout, so the result is kept until a member
 * or an edge is added: state changes (which happen on every refresh) only
 * recolour what is already placed.
 */
import { Graph, layout } from '@dagrejs/dagre';
import type { EdgeInfo, FlowMember } from '../../api/flows.js';
import { NODE_HEIGHT, NODE_WIDTH, type FlowLayout, type Point } from './flow-geometry.js';

export { NODE_HEIGHT, NODE_WIDTH };

let cached: { key: string; layout: FlowLayout } | null = null;

export function layoutFlow(members: readonly FlowMember[], edges: readonly EdgeInfo[]): FlowLayout {
  const key = `${members.map((m) => m.executionId).join(',')}|${edges.map((e) => e.edgeId).join(',')}`;
  if (cached?.key === key) return cached.layout;
  const g = new Graph({ multigraph: true });
  g.setGraph({ rankdir: 'LR', nodesep: 26, ranksep: 70, marginx: 12, marginy: 12 });
  for (const m of members) g.setNode(m.executionId, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const e of edges) {
    // An edge to an execution that is not (or no longer) listed as a member would add a box with no size.
    if (g.hasNode(e.upstreamExecutionId) && g.hasNode(e.downstreamExecutionId)) g.setEdge(e.upstreamExecutionId, e.downstreamExecutionId, {}, e.edgeId);
  }
  layout(g);
  const nodes = new Map<string, Point>();
  for (const id of g.nodes()) {
    const n = g.node(id);
    nodes.set(id, { x: n.x - NODE_WIDTH / 2, y: n.y - NODE_HEIGHT / 2 });
  }
  const placed = new Map<string, Point[]>();
  for (const e of g.edges()) {
    const label = g.edge(e) as { points?: Point[] } | undefined;
    if (e.name !== undefined && label?.points) placed.set(e.name, label.points.map((p) => ({ x: p.x, y: p.y })));
  }
  const graph = g.graph();
  const result: FlowLayout = { width: Math.ceil(graph.width ?? 0), height: Math.ceil(graph.height ?? 0), nodes, edges: placed };
  cached = { key, layout: result };
  return result;
}
