/** Styles of the timeline, the why-waiting line and the per-execution history. */
import { css } from 'lit';

export const timelineStyles = css`
/* ── event timeline ─────────────────────────────────────────────────── */
ff-dt-timeline { display: block; min-width: 0; }
.timeline-item { grid-template-columns: 11.5rem 6rem minmax(0, 1fr); }
.panel-timeline:not(.timeline-full) .timeline-item { grid-template-columns: 8.5rem 5.5rem minmax(0, 1fr); font-size: 0.8rem; }
.panel-timeline:not(.timeline-full) .timeline-item time { font-size: 0.72rem; }
.timeline-full .timeline { max-height: none; }
/* An item is one line, clipped; a very long id in its link is clipped inside the link, so the link ends where the line does. */
.timeline-text { min-width: 0; }
.timeline-text a { color: var(--primary); text-decoration: none; display: inline-block; max-width: 100%; overflow: hidden; text-overflow: ellipsis; vertical-align: bottom; }
/* Darker than the shared tones, for 4.5:1 contrast on the striped rows. */
.timeline-item time, .history-event time { color: #4e5868 !important; }
.chip.ch-completion { color: #1e6b30; }
.chip.ch-operator { color: #a61e1e; }
.timeline-text a:hover, .timeline-text a:focus-visible { text-decoration: underline; }
.filters .field { display: inline-flex; align-items: center; gap: 0.35rem; font-size: 0.82rem; }
.timeline-exec input { width: 14rem; }
.timeline-more { display: flex; flex-wrap: wrap; align-items: center; gap: 0.6rem; margin-top: 0.7rem; }
.timeline-cursors { overflow-wrap: anywhere; }

/* ── why is it waiting? ─────────────────────────────────────────────── */
.why-waiting { margin: 0.4rem 0 0.8rem; padding: 0.55rem 0.8rem; border-radius: 8px; border-left: 4px solid var(--slate); background: var(--slate-bg); overflow-wrap: anywhere; }
.why-waiting p { margin: 0; }
.why-sentence { font-weight: 550; }
.why-calm { border-left-color: var(--ok); background: var(--completed-bg); }
.why-stuck { border-left-color: var(--warn); background: #fff4e0; }
.why-ended { border-left-color: var(--slate); }
.why-facts { margin-top: 0.3rem !important; display: flex; flex-wrap: wrap; gap: 0.3rem 1rem; color: #3c4656; }
.why-upstream { margin-right: 0.25rem; color: var(--primary); }
.chip.edge-pending { background: var(--waiting-bg); color: #475266; }
.chip.edge-satisfied { background: var(--completed-bg); color: #1e6b30; }
.chip.edge-failed, .chip.edge-skipped { background: var(--failed-bg); color: #a61e1e; }

/* ── per-execution history (Gantt) ──────────────────────────────────── */
.execution-history h4 { margin-top: 0.4rem; }
.gantt { display: grid; gap: 0.3rem; margin: 0.3rem 0; }
.gantt-axis { display: flex; justify-content: space-between; gap: 0.5rem; padding-left: 7.5rem; font-family: var(--mono); font-size: 0.72rem; }
.gantt-row { display: grid; grid-template-columns: 7rem minmax(0, 1fr); gap: 0.5rem; align-items: center; }
.gantt-label { color: #3c4656; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.gantt-track { position: relative; height: 1.35rem; background: #f3f5f9; border-radius: 5px; }
.gantt-bar { position: absolute; top: 0.15rem; bottom: 0.15rem; border-radius: 4px; overflow: hidden; background: var(--slate); color: #fff; font-size: 0.68rem; line-height: 1.05rem; }
.gantt-bar-label { padding: 0 0.3rem; white-space: nowrap; }
.bar-wait { background: #c9ced8; color: #1f2733; }
.bar-delay { background: #d9ccff; color: #3b1f99; }
.bar-backoff { background: repeating-linear-gradient(45deg, #ffe2b3, #ffe2b3 5px, #ffd08a 5px, #ffd08a 10px); color: #6b3d00; }
.bar-suspension { background: #e3dbff; color: #3b1f99; }
.bar-attempt.tone-success { background: #237032; }
.bar-attempt.tone-running { background: #a84f00; }
.bar-attempt.tone-retry { background: #b35c00; }
.bar-attempt.tone-failed, .bar-attempt.tone-lease_expired, .bar-attempt.tone-lease_revoked, .bar-attempt.tone-timeout { background: #c92a2a; }
.bar-attempt.tone-cancelled, .bar-attempt.tone-interrupted, .bar-attempt.tone-interrupted_reclaimed { background: #56657a; }
.gantt-marker { position: absolute; top: -0.1rem; bottom: -0.1rem; width: 2px; margin-left: -1px; background: #1f2733; }
.gantt-marker.mk-lease-expiry, .gantt-marker.mk-timeout { background: var(--bad); }
.gantt-marker.mk-renewal { background: #e8890c; top: 0.3rem; bottom: 0.3rem; }
.gantt-marker.mk-signal, .gantt-marker.mk-ev-signal { background: var(--delayed); }
.gantt-marker.mk-ev-completion, .gantt-marker.mk-ended { background: var(--completed); }
.gantt-legend { display: flex; flex-wrap: wrap; align-items: center; gap: 0.25rem 0.5rem; margin: 0.3rem 0 0.6rem; }
.gantt-legend .lg { display: inline-block; width: 0.9rem; height: 0.6rem; border-radius: 2px; }
.gantt-legend .lg.mk { width: 2px; height: 0.8rem; background: #1f2733; }
.history-events { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.15rem; max-height: 16rem; overflow: auto; font-size: 0.8rem; }
.history-event { display: grid; grid-template-columns: 11.5rem 6rem minmax(0, 1fr); gap: 0.5rem; align-items: center; padding: 0.15rem 0.4rem; border-radius: 5px; overflow-wrap: anywhere; }
.history-event:nth-child(odd) { background: #f8f9fb; }
.history-event time { font-family: var(--mono); font-size: 0.75rem; color: var(--muted); }
`;
