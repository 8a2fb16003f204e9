/** Styles of the flows views: the list, the DAG (SVG), edge groups and the forms. */
import { css } from 'lit';

export const flowsStyles = css`
.panel-flows, .panel-flow { margin: 1.2rem 1.6rem 3rem; }
.wrap { overflow-wrap: anywhere; word-break: break-word; }
.back-link { display: inline-block; margin-bottom: 0.6rem; font-size: 0.85rem; }
.flow-head { display: flex; flex-wrap: wrap; align-items: center; gap: 0.6rem; }
.flow-head h2 { min-width: 0; }
.flow-head button { margin-left: auto; }
.flow-create { margin-bottom: 1rem; }
.pager { margin-top: 0.8rem; align-items: center; }
.flow-section { margin: 1.2rem 0 0.5rem; }
.chip.flow-state-open { background: var(--waiting-bg); color: #475266; }
.chip.flow-state-running { background: var(--active-bg); color: #8a4600; }
.chip.flow-state-completed, .chip.group-satisfied { background: var(--completed-bg); color: #1e6b30; }
.chip.flow-state-failed, .chip.group-impossible { background: var(--failed-bg); color: #a61e1e; }
.chip.flow-state-cancelled { background: var(--slate-bg); color: var(--slate); }
.chip.group-pending { background: var(--waiting-bg); color: #475266; }
.chip.state-waiting_children, .chip.state-suspended, .chip.state-rate_limited, .chip.state-resumable { background: var(--delayed-bg); color: #5a32c8; }

/* ── the DAG ─────────────────────────────────────────────────────────── */
.dag-wrap { overflow: auto; max-height: 34rem; border: 1px solid var(--line); border-radius: var(--radius); background: #fbfcfe; padding: 0.4rem; }
.dag { display: block; }
.dag-node { cursor: pointer; }
.dag-node rect { fill: #fff; stroke: var(--waiting); stroke-width: 1.5; }
.dag-node:focus-visible rect, .dag-node:hover rect { stroke-width: 3; }
.dag-node:focus-visible { outline: none; }
.dag-label { font-size: 13px; font-weight: 650; fill: var(--text); }
.dag-sub { font-size: 11.5px; fill: #4a5464; }
.dag-node.state-waiting rect { fill: var(--waiting-bg); }
.dag-node.state-delayed rect, .dag-node.state-waiting_children rect, .dag-node.state-suspended rect, .dag-node.state-rate_limited rect, .dag-node.state-resumable rect { fill: var(--delayed-bg); stroke: var(--delayed); }
.dag-node.state-active rect { fill: var(--active-bg); stroke: var(--active); }
.dag-node.state-completed rect { fill: var(--completed-bg); stroke: var(--completed); }
.dag-node.state-failed rect, .dag-node.state-expired rect { fill: var(--failed-bg); stroke: var(--failed); }
.dag-node.state-cancelled rect, .dag-node.state-skipped rect { fill: var(--slate-bg); stroke: var(--slate); stroke-dasharray: 5 3; }
.dag-edge { cursor: pointer; }
.dag-edge:focus-visible { outline: none; }
.dag-hit { fill: none; stroke: transparent; stroke-width: 12; }
circle.dag-hit { fill: transparent; stroke: none; }
.dag-line { fill: none; stroke-width: 2; stroke: var(--waiting); }
.dag-edge:hover .dag-line, .dag-edge:focus-visible .dag-line, .dag-edge.selected .dag-line { stroke-width: 3.5; }
.edge-pending .dag-line { stroke: var(--waiting); }
.edge-satisfied .dag-line { stroke: var(--completed); }
.edge-failed .dag-line { stroke: var(--failed); }
.edge-skipped .dag-line { stroke: var(--slate); stroke-dasharray: 6 4; }
.edge-staged .dag-line { stroke: #9aa3b2; stroke-dasharray: 2 4; }
.dag-arrow path { fill: var(--waiting); }
.dag-arrow.edge-satisfied path { fill: var(--completed); }
.dag-arrow.edge-failed path { fill: var(--failed); }
.dag-arrow.edge-skipped path { fill: var(--slate); }
.dag-arrow.edge-staged path { fill: #9aa3b2; }
.dag-legend { margin: 0.2rem 0 0.5rem; }
.legend { display: inline-block; padding-left: 1.6rem; margin-right: 0.5rem; position: relative; }
.legend::before { content: ''; position: absolute; left: 0; top: 50%; width: 1.3rem; border-top: 2px solid var(--waiting); }
.legend.edge-satisfied::before { border-top-color: var(--completed); }
.legend.edge-failed::before { border-top-color: var(--failed); }
.legend.edge-skipped::before { border-top: 2px dashed var(--slate); }
.legend.edge-staged::before { border-top: 2px dotted #9aa3b2; }
.edge-details { margin-top: 0.8rem; }
.chip.edge-pending, .chip.edge-staged { background: var(--waiting-bg); color: #475266; }
.chip.edge-satisfied { background: var(--completed-bg); color: #1e6b30; }
.chip.edge-failed { background: var(--failed-bg); color: #a61e1e; }
.chip.edge-skipped { background: var(--slate-bg); color: var(--slate); }

/* ── forms ───────────────────────────────────────────────────────────── */
.flow-forms { display: grid; gap: 0.9rem; margin-top: 1.2rem; grid-template-columns: repeat(auto-fit, minmax(19rem, 1fr)); align-items: start; }
.flow-forms input.wide { width: 100%; }
.flow-forms select { max-width: 14rem; }
`;
