/** Cards, boards, lists and details of the panels. */
import { css } from 'lit';

export const panelsStyles = css`
/* ── executions ─────────────────────────────────────────────────────── */
.exec-form { margin-bottom: 1rem; }
.exec-form input[type='number'] { width: 6.5rem; }
.board-wrap { display: grid; gap: 1rem; }
.board { display: grid; gap: 0.7rem; grid-template-columns: repeat(auto-fit, minmax(10.5rem, 1fr)); }
.column { background: #f7f8fb; border-radius: var(--radius); padding: 0.55rem; min-height: 8rem; border-top: 3px solid var(--waiting); }
.column header { display: flex; justify-content: space-between; align-items: center; padding: 0.1rem 0.2rem 0.5rem; font-weight: 650; font-size: 0.88rem; }
.column .count { font-variant-numeric: tabular-nums; background: #fff; border-radius: 999px; padding: 0 0.5rem; font-size: 0.8rem; border: 1px solid var(--line); }
.column-delayed { border-top-color: var(--delayed); }
.column-active { border-top-color: var(--active); }
.column-completed { border-top-color: var(--completed); }
.column-failed { border-top-color: var(--failed); }
.column-other { border-top-color: var(--slate); }
.column-list { display: grid; gap: 0.4rem; max-height: 22rem; overflow: auto; }
.column-more { margin: 0.4rem 0.2rem 0; font-size: 0.78rem; }
.exec-card { display: grid; gap: 0.15rem; text-align: left; width: 100%; padding: 0.45rem 0.55rem; border-radius: 8px; border: 1px solid var(--line); border-left: 4px solid var(--waiting); background: #fff; font-size: 0.8rem; white-space: normal; }
.exec-top { display: flex; justify-content: space-between; gap: 0.4rem; align-items: center; }
.exec-id { font-weight: 600; }
.exec-card .chip.lane { font-size: 0.7rem; max-width: 6rem; overflow: hidden; text-overflow: ellipsis; }
.exec-extra { color: var(--muted); font-size: 0.76rem; }
.exec-card.state-delayed { border-left-color: var(--delayed); }
.exec-card.state-delayed .exec-extra { color: var(--delayed); }
.exec-card.state-active { border-left-color: var(--active); background: #fffcf3; }
.exec-card.state-active .exec-extra { color: #a35400; }
.exec-card.lease-expired { border-left-style: dashed; }
.exec-card.selected { outline: 2px solid var(--primary); outline-offset: -2px; }
.exec-card.state-completed { border-left-color: var(--completed); }
.exec-card.state-failed { border-left-color: var(--failed); }
.exec-card.state-cancelled, .exec-card.state-skipped, .exec-card.state-expired { border-left-color: var(--slate); }
.chip.state-waiting { background: var(--waiting-bg); color: #475266; }
.chip.state-delayed { background: var(--delayed-bg); color: var(--delayed); }
.chip.state-active { background: var(--active-bg); color: #a35400; }
.chip.state-completed, .chip.outcome-success { background: var(--completed-bg); color: var(--completed); }
.chip.state-failed, .chip.outcome-failed, .chip.outcome-lease_expired { background: var(--failed-bg); color: var(--failed); }
.chip.outcome-retry { background: #fff4e0; color: #8a5000; }
.chip.state-cancelled, .chip.state-skipped, .chip.state-expired, .chip.outcome-cancelled, .chip.outcome-interrupted_reclaimed { background: var(--slate-bg); color: var(--slate); }
.chip.outcome-running { background: var(--active-bg); color: #a35400; }
.details { background: #fbfcfe; }
.kv { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 0.3rem 1rem; margin: 0 0 0.8rem; font-size: 0.86rem; }
.kv dt { color: var(--muted); }
.kv dd { margin: 0; word-break: break-word; }
table { width: 100%; border-collapse: collapse; font-size: 0.84rem; }
th, td { text-align: left; padding: 0.35rem 0.5rem; border-bottom: 1px solid var(--line); vertical-align: middle; }
th { font-size: 0.74rem; text-transform: uppercase; letter-spacing: 0.04em; color: var(--muted); font-weight: 600; }
.table-wrap { overflow-x: auto; margin-top: 0.9rem; }

/* ── worker, timeline, quotas, workers, status ──────────────────────── */
.panel-worker .stats { margin-top: 1rem; }
.chip.worker-running, .chip.worker-alive { background: var(--completed-bg); color: var(--completed); }
.chip.worker-stopping, .chip.worker-lapsed { background: var(--active-bg); color: #a35400; }
.chip.worker-dead, .chip.worker-stopped, .chip.worker-idle { background: var(--slate-bg); color: var(--slate); }
.activity { list-style: none; margin: 0; padding: 0; font-family: var(--mono); font-size: 0.78rem; display: grid; gap: 0.2rem; max-height: 14rem; overflow: auto; }
.activity li { padding: 0.15rem 0.5rem; border-radius: 5px; border-left: 3px solid var(--waiting); background: #f8f9fb; }
.activity li.tone-ok { border-left-color: var(--ok); }
.activity li.tone-warn { border-left-color: var(--warn); }
.activity li.tone-bad { border-left-color: var(--bad); }
.filters { display: flex; flex-wrap: wrap; gap: 0.4rem 0.6rem; margin-bottom: 0.7rem; }
.filters .chip { padding: 0.15rem 0.55rem; font-size: 0.8rem; }
.timeline { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.25rem; max-height: 38rem; overflow: auto; }
.timeline-item { display: grid; grid-template-columns: 4.8rem 6rem minmax(0, 1fr); gap: 0.5rem; align-items: center; font-size: 0.82rem; padding: 0.25rem 0.4rem; border-radius: 6px; }
.timeline-item:nth-child(odd) { background: #f8f9fb; }
.timeline-item .chip { text-align: center; }
.timeline-text { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.chip.ch-completion { background: var(--completed-bg); color: var(--completed); }
.chip.ch-lease { background: var(--active-bg); color: #a35400; }
.chip.ch-budget { background: var(--primary-soft); color: var(--primary); }
.chip.ch-scanner { background: var(--delayed-bg); color: var(--delayed); }
.t-failed .timeline-text, .t-breach .timeline-text, .t-expired .timeline-text { color: var(--bad); }
.quota-list { display: grid; gap: 0.5rem; margin: 1rem 0 0.4rem; }
.quota-row { display: grid; grid-template-columns: minmax(6rem, 0.8fr) minmax(0, 1fr) minmax(0, 1fr); gap: 1rem; align-items: center; padding: 0.5rem 0.7rem; border: 1px solid var(--line); border-radius: 8px; }
.quota-name { font-weight: 600; }
.meter { display: grid; gap: 0.2rem; }
.meter .bar { height: 0.55rem; }
.meter-text { font-size: 0.8rem; }
.row-actions { white-space: nowrap; text-align: right; }
.row-actions button + button { margin-left: 0.3rem; }
.status-kv { grid-template-columns: max-content minmax(0, 1fr); }
.status-kv dd { font-variant-numeric: tabular-nums; }

/* ── details: operator controls, suspension, stream ─────────────────── */
.details-section { border-top: 1px solid var(--line); margin-top: 0.9rem; padding-top: 0.7rem; }
.details-section h4 { margin: 0 0 0.5rem; }
.details-section h5 { margin: 0.7rem 0 0.3rem; font-size: 0.78rem; text-transform: uppercase; letter-spacing: 0.04em; color: var(--muted); }
.inline-form { display: flex; flex-wrap: wrap; gap: 0.5rem 0.7rem; align-items: flex-end; margin: 0.4rem 0; }
.inline-form .field { min-width: 7rem; }
input.narrow { width: 7rem; }
.inline-result { font-size: 0.82rem; align-self: center; }
.inline-result.tone-ok { color: var(--ok); }
.inline-result.tone-bad { color: var(--bad); }
.plain-list { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.2rem; font-size: 0.8rem; }
.plain-list:empty::after { content: 'none'; color: var(--muted); }
.countdown { margin: 0.3rem 0; font-size: 0.9rem; }
.frames { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.15rem; font-size: 0.78rem; max-height: 14rem; overflow: auto; }
.frames li { padding: 0.1rem 0.4rem; border-left: 3px solid var(--line); background: #f8f9fb; border-radius: 4px; }
.frames li[data-mode='summary'] { border-left-color: var(--primary); }
.frames[data-empty='true']::after { content: 'No frames yet.'; color: var(--muted); }
.summary { margin: 0; padding: 0.5rem; background: #f8f9fb; border-radius: 6px; font-size: 0.78rem; max-height: 12rem; overflow: auto; }
.chip.suspension-waiting { background: var(--delayed-bg); color: var(--delayed); }
.chip.suspension-satisfied { background: var(--completed-bg); color: var(--completed); }
.chip.ch-operator { background: var(--failed-bg); color: var(--failed); }
.chip.ch-signal { background: var(--delayed-bg); color: var(--delayed); }
.chip.ch-stream { background: var(--slate-bg); color: var(--slate); }

`;
