/**
 * Styles of the executions views: board cards as links, the list with its
 * filters and pager, and the drawer. (The board's columns and the detail
 * sections' base styles are in panels.ts, shared with the other panels.)
 */
import { css } from 'lit';

export const executionsStyles = css`
/* ── board ──────────────────────────────────────────────────────────── */
a.exec-card { color: inherit; text-decoration: none; }
a.exec-card:hover { background: #f3f5f9; }
.exec-card .exec-id, .exec-card .exec-meta { overflow-wrap: anywhere; }
.panel-executions .blurb a { color: var(--primary); }

/* ── list ───────────────────────────────────────────────────────────── */
.list-filters { align-items: flex-end; margin-bottom: 0.8rem; }
.list-filters input { width: 12rem; }
.list-filter-actions { display: flex; gap: 0.4rem; }
.exec-table td a { color: var(--primary); font-weight: 600; }
.exec-table tr.selected { background: var(--primary-soft); }
.exec-table td { overflow-wrap: anywhere; }
.pager { display: flex; align-items: center; gap: 0.8rem; margin-top: 0.8rem; }

/* ── drawer ─────────────────────────────────────────────────────────── */
/* Docked on the right, over the view, below the confirm dialog; it scrolls on its own. */
ff-dt-execution-detail { position: fixed; top: 0; right: 0; bottom: 0; z-index: 30; width: min(46rem, 100vw); display: block; }
.drawer { height: 100%; overflow: auto; border-radius: 0; border-width: 0 0 0 1px; box-shadow: -10px 0 30px rgba(31, 39, 51, 0.14); padding: 1rem 1.2rem 2rem; }
.drawer-head { position: sticky; top: -1rem; z-index: 1; margin: -1rem -1.2rem 0.6rem; padding: 0.8rem 1.2rem; background: #fbfcfe; border-bottom: 1px solid var(--line); }
.drawer-head h3 { min-width: 0; overflow-wrap: anywhere; }
.drawer-head .spacer { display: flex; gap: 0.4rem; align-items: center; }
.drawer .inline-result { display: block; margin: 0.3rem 0; }
.drawer .inline-form .inline-result { display: inline; margin: 0; }
.vector { margin: 0 0 0.8rem; }
.vector summary { cursor: pointer; font-size: 0.86rem; color: var(--text); }
.vector-kv { margin-top: 0.4rem; }
.vector-kv code { background: var(--waiting-bg); padding: 0 0.3rem; border-radius: 4px; }
.reclaim-form { margin-top: 0.6rem; padding: 0.6rem 0.8rem; border: 1px dashed #d9c2a0; border-radius: 8px; background: #fffcf3; }
.reclaim-form h5 { margin-top: 0; }
.reclaim-form p { margin: 0 0 0.4rem; }
.reclaim-form input.mono { width: 11rem; }
.chip.outcome-attempt_interrupted, .chip.outcome-delayed { background: var(--slate-bg); color: var(--slate); }
.frames li, .summary, .plain-list li { overflow-wrap: anywhere; }
/* Darker text on the light state tints, for contrast of at least 4.5:1. */
.chip.state-completed, .chip.outcome-success { color: #1e6b30; }
.chip.state-failed, .chip.outcome-failed, .chip.outcome-lease_expired { color: #b02525; }
.chip.state-delayed { color: #5a35c9; }
`;
