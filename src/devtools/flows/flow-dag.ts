/**
 * The DAG of one flow as SVG: a box per member coloured by its public
 * state, an arrow per edge coloured by its state (a staged edge that does
 * not gate anything yet is drawn dotted). A box is a link to the
 * execution's drawer; an arrow selects the edge, whose details are shown
 * below the graph. Both carry an accessible name that says what they show.
 */
import { html, nothing, svg, type TemplateResult } from 'lit';
import type { EdgeInfo, FlowDescription } from '../../api/flows.js';
import { NODE_HEIGHT, NODE_WIDTH, type LayoutFn, type Point } from './flow-geometry.js';

export interface DagHandlers {
  /** The label of a member: its `devtools.label` tag, else its short id. */
  label(executionId: string): string;
  /** The href of a member's drawer. */
  href(executionId: string): string;
  open(executionId: string): void;
  selectEdge(edgeId: string): void;
  selectedEdge: string | null;
}

const EDGE_STATES = ['pending', 'satisfied', 'failed', 'skipped', 'staged'] as const;

/** `staged` stands for an edge not applied yet: it is recorded but gates nothing. */
export function edgeLook(edge: EdgeInfo): (typeof EDGE_STATES)[number] {
  return edge.appliedAtMs === null ? 'staged' : edge.edgeState;
}

/** `layoutFlow` is null until the layout code has loaded. */
export function dagTemplate(flow: FlowDescription, h: DagHandlers, layoutFlow: LayoutFn | null): TemplateResult {
  if (flow.members.length === 0) return html`<p class="empty" data-testid="flow-dag-empty">No members yet: add an execution to this flow below.</p>`;
  if (!layoutFlow) return html`<p class="muted" data-testid="flow-dag-loading">Laying out the graph…</p>`;
  const placed = layoutFlow(flow.members, flow.edges);
  return html`<div class="dag-wrap">
    <svg class="dag" data-testid="flow-dag" role="group" aria-label="Dependency graph of the flow" width=${placed.width} height=${placed.height} viewBox="0 0 ${placed.width} ${placed.height}">
      <defs>
        ${EDGE_STATES.map(
          (s) => svg`<marker id="ff-dag-arrow-${s}" class="dag-arrow edge-${s}" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="12" markerHeight="12" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"></path></marker>`,
        )}
      </defs>
      ${flow.edges.map((e) => edgeTemplate(e, placed.edges.get(e.edgeId), h))}
      ${flow.members.map((m) => {
        const at = placed.nodes.get(m.executionId);
        if (!at) return nothing;
        const label = h.label(m.executionId);
        const title = clip(label, 20);
        const sub = `${clip(m.laneId, 10)} · ${m.publicState.replaceAll('_', ' ')}`;
        // The accessible name starts with the visible text, so speech control can say what it sees.
        return svg`<a class="dag-node state-${m.publicState}" data-testid="flow-node" data-execution-id=${m.executionId} data-state=${m.publicState}
            href=${h.href(m.executionId)} aria-label="${title} ${sub}; open the details of ${label} (lane ${m.laneId})"
            @click=${(ev: Event) => {
              ev.preventDefault();
              h.open(m.executionId);
            }}>
          <rect x=${at.x} y=${at.y} width=${NODE_WIDTH} height=${NODE_HEIGHT} rx="9"></rect>
          <text class="dag-label" x=${at.x + 10} y=${at.y + 22}>${title}</text>
          <text class="dag-sub" x=${at.x + 10} y=${at.y + 42}>${sub}</text>
        </a>`;
      })}
    </svg>
  </div>`;
}

function edgeTemplate(edge: EdgeInfo, points: Point[] | undefined, h: DagHandlers): unknown {
  if (!points || points.length < 2) return nothing;
  const look = edgeLook(edge);
  const d = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
  const name = `Edge ${h.label(edge.upstreamExecutionId)} to ${h.label(edge.downstreamExecutionId)}: ${look}; show its details`;
  const select = (): void => h.selectEdge(edge.edgeId);
  // A straight level edge has a box of zero height; the dot gives it a size and a target to click.
  const mid = points[Math.floor(points.length / 2)]!;
  return svg`<g class="dag-edge edge-${look} ${h.selectedEdge === edge.edgeId ? 'selected' : ''}" data-testid="flow-edge" data-edge-id=${edge.edgeId} data-state=${look}
      role="button" tabindex="0" aria-label=${name} aria-pressed=${h.selectedEdge === edge.edgeId ? 'true' : 'false'}
      @click=${select} @keydown=${(ev: KeyboardEvent) => {
        if (ev.key === 'Enter' || ev.key === ' ') {
          ev.preventDefault();
          select();
        }
      }}>
    <path class="dag-hit" d=${d}></path>
    <circle class="dag-hit" cx=${mid.x} cy=${mid.y} r="7"></circle>
    <path class="dag-line" d=${d} marker-end="url(#ff-dag-arrow-${look})"></path>
  </g>`;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
