/**
 * The sizes and shapes a flow's drawing shares with its layout. Kept apart
 * from flow-layout.ts so the drawing needs no graph-layout code: dagre is
 * loaded only when a flow is first shown (see flow-view.ts).
 */
import type { EdgeInfo, FlowMember } from '../../api/flows.js';

export const NODE_WIDTH = 176;
export const NODE_HEIGHT = 58;

export interface Point {
  x: number;
  y: number;
}

export interface FlowLayout {
  width: number;
  height: number;
  /** Top-left corner of each member's box, by execution id. */
  nodes: Map<string, Point>;
  /** The polyline of each edge, by edge id. */
  edges: Map<string, Point[]>;
}

export type LayoutFn = (members: readonly FlowMember[], edges: readonly EdgeInfo[]) => FlowLayout;
