/**
 * The flows view's layout (dagre): upstreams sit left of their downstreams,
 * every drawn edge has a polyline from its upstream's box to its
 * downstream's, edges naming a non-member are left out, and the layout is
 * reused until the graph's shape changes.
 */
import { describe, expect, it } from 'vitest';
import type { EdgeInfo, FlowMember } from '../../src/api/flows.js';
import { layoutFlow, NODE_HEIGHT, NODE_WIDTH } from '../../src/devtools/flows/flow-layout.js';

const member = (n: number): FlowMember => ({ executionId: `{fp:0}:00000000-0000-4000-8000-00000000000${n}`, laneId: 'l', publicState: 'waiting' });
const edge = (id: string, up: FlowMember, down: FlowMember): EdgeInfo => ({
  flowId: 'f',
  edgeId: id,
  upstreamExecutionId: up.executionId,
  downstreamExecutionId: down.executionId,
  dependencyKind: 'success_only',
  dataPassingRef: null,
  edgeState: 'pending',
  stagedAtMs: 0,
  appliedAtMs: 0,
  resolvedAtMs: null,
});

/** Is `p` on the outline of the box at `box` (within a pixel)? */
function onBorder(p: { x: number; y: number }, box: { x: number; y: number }): boolean {
  const inside = p.x >= box.x - 1 && p.x <= box.x + NODE_WIDTH + 1 && p.y >= box.y - 1 && p.y <= box.y + NODE_HEIGHT + 1;
  const near = (a: number, b: number): boolean => Math.abs(a - b) <= 1;
  return inside && (near(p.x, box.x) || near(p.x, box.x + NODE_WIDTH) || near(p.y, box.y) || near(p.y, box.y + NODE_HEIGHT));
}

describe('layoutFlow', () => {
  const [fetch, resize, thumb, publish] = [member(1), member(2), member(3), member(4)];
  const edges = [edge('e1', fetch, resize), edge('e2', fetch, thumb), edge('e3', resize, publish), edge('e4', thumb, publish)];

  it('puts each upstream left of its downstreams, the two middle steps side by side', () => {
    const placed = layoutFlow([fetch, resize, thumb, publish], edges);
    const x = (m: FlowMember): number => placed.nodes.get(m.executionId)!.x;
    const y = (m: FlowMember): number => placed.nodes.get(m.executionId)!.y;
    expect(x(fetch) + NODE_WIDTH).toBeLessThan(x(resize));
    expect(x(resize)).toBe(x(thumb));
    expect(Math.abs(y(resize) - y(thumb))).toBeGreaterThanOrEqual(NODE_HEIGHT);
    expect(x(thumb) + NODE_WIDTH).toBeLessThan(x(publish));
    for (const m of [fetch, resize, thumb, publish]) {
      expect(x(m)).toBeGreaterThanOrEqual(0);
      expect(x(m) + NODE_WIDTH).toBeLessThanOrEqual(placed.width);
      expect(y(m) + NODE_HEIGHT).toBeLessThanOrEqual(placed.height);
    }
  });

  it('draws every edge from its upstream box to its downstream box', () => {
    const placed = layoutFlow([fetch, resize, thumb, publish], edges);
    for (const e of edges) {
      const points = placed.edges.get(e.edgeId)!;
      expect(points.length).toBeGreaterThanOrEqual(2);
      const from = placed.nodes.get(e.upstreamExecutionId)!;
      const to = placed.nodes.get(e.downstreamExecutionId)!;
      expect(onBorder(points[0]!, from)).toBe(true);
      expect(onBorder(points[points.length - 1]!, to)).toBe(true);
      // Left to right: it leaves its upstream on the right half and reaches its downstream on the left half.
      expect(points[0]!.x).toBeGreaterThan(from.x + NODE_WIDTH / 2);
      expect(points[points.length - 1]!.x).toBeLessThan(to.x + NODE_WIDTH / 2);
    }
  });

  it('leaves out an edge to an execution that is not a member', () => {
    const stray = member(9);
    const placed = layoutFlow([fetch, resize], [edge('e1', fetch, resize), edge('x', fetch, stray)]);
    expect([...placed.nodes.keys()]).toEqual([fetch.executionId, resize.executionId]);
    expect([...placed.edges.keys()]).toEqual(['e1']);
  });

  it('reuses the layout while members and edges stay the same, whatever their states', () => {
    const first = layoutFlow([fetch, resize], [edge('e1', fetch, resize)]);
    const again = layoutFlow([{ ...fetch, publicState: 'completed' }, resize], [{ ...edge('e1', fetch, resize), edgeState: 'satisfied' }]);
    expect(again).toBe(first);
    expect(layoutFlow([fetch, resize, thumb], [edge('e1', fetch, resize)])).not.toBe(first);
  });
});
