/**
 * Budgets (form, cards, bars, history), quotas (meters) and the worker
 * registry. `.bar`, `.stats` and `.stat` are also used by other panels'
 * meters and counters.
 */
import { css } from 'lit';

export const budgetsStyles = css`
ff-dt-budgets, ff-dt-budget-form, ff-dt-budget-card, ff-dt-usage-report, ff-dt-quotas, ff-dt-quota-admission, ff-dt-workers { display: block; min-width: 0; }
/* The budgets panel holds the form beside the cards: it takes the grid's whole width. */
.grid > ff-dt-budgets { grid-column: 1 / -1; }

/* ── budgets ──────────────────────────────────────────────────────── */
.budgets-layout { display: grid; gap: 1rem; grid-template-columns: minmax(0, 1fr); }
/* Laid out by the panel's own width, not the window's: the devtools may be docked in a narrow side panel. */
.panel-budgets { container: budgets / inline-size; }
@container budgets (min-width: 56rem) { .budgets-layout { grid-template-columns: 22rem minmax(0, 1fr); align-items: start; } }
.budget-form .row .field input[type='number'] { width: 4.5rem; }
.dimension-head, .dimension-row { display: grid; grid-template-columns: minmax(0, 1.3fr) minmax(0, 1fr) minmax(0, 1fr) 1.8rem; gap: 0.4rem; align-items: center; }
.dimension-head { margin-top: 0.8rem; font-size: 0.75rem; font-weight: 600; color: #3c4656; }
.dimension-row { margin-top: 0.35rem; }
.dimension-row input { width: 100%; }
.budget-cards { display: grid; gap: 0.9rem; }
.budget-list { display: grid; gap: 0.9rem; }
.budget-card.breached { border-color: #ffc9c9; }
.budget-body { display: grid; gap: 1rem; grid-template-columns: minmax(0, 1fr); }
.budget-card { container: budget-card / inline-size; }
@container budget-card (min-width: 40rem) { .budget-body { grid-template-columns: minmax(0, 1.6fr) minmax(0, 1fr); } }
/* A narrow card puts the numbers under the bar, so the bar keeps its length. */
@container budget-card (max-width: 32rem) { .dim { grid-template-columns: minmax(0, 6rem) minmax(0, 1fr); row-gap: 0.15rem; } .dim-numbers { grid-column: 2; min-width: 0; } }
.dims { display: grid; gap: 0.55rem; }
.dim { display: grid; grid-template-columns: 6.5rem minmax(0, 1fr) auto; gap: 0.7rem; align-items: center; }
.dim-name { font-weight: 600; overflow: hidden; text-overflow: ellipsis; }
.dim-numbers { font-size: 0.85rem; white-space: nowrap; min-width: 12rem; }
.bar { position: relative; height: 0.8rem; border-radius: 999px; background: #edf0f5; overflow: visible; }
.bar-fill { height: 100%; border-radius: 999px; background: var(--primary); transition: width 0.25s ease, background 0.25s; }
.bar-fill.ok { background: #4c6ef5; }
.bar-fill.over-soft { background: var(--warn); }
.bar-fill.at-hard { background: var(--bad); }
.bar-hard { position: absolute; right: -1px; top: -0.22rem; bottom: -0.22rem; width: 3px; background: var(--bad); border-radius: 1px; }
.bar-soft { position: absolute; top: -0.22rem; bottom: -0.22rem; width: 2px; margin-left: -1px; background: var(--warn); border-radius: 1px; }
.stats { display: flex; flex-wrap: wrap; gap: 0.5rem 1.4rem; margin-top: 0.9rem; }
.stat { display: grid; }
.stat-label { font-size: 0.72rem; text-transform: uppercase; letter-spacing: 0.04em; color: var(--muted); }
.stat-value { font-weight: 650; font-size: 1rem; font-variant-numeric: tabular-nums; }
.report-form { display: flex; flex-wrap: wrap; gap: 0.6rem; align-items: flex-end; margin-top: 0.9rem; padding-top: 0.8rem; border-top: 1px solid var(--line); }
.report-form input[type='number'] { width: 6rem; }
.report-form input:not([type]) { width: 8rem; }
.budget-side h4 { margin-top: 0; }
.history { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.35rem; max-height: 15rem; overflow: auto; }
.history-item { display: grid; grid-template-columns: 1fr auto; gap: 0 0.6rem; padding: 0.35rem 0.6rem; border-radius: 7px; background: #f8f9fb; border-left: 3px solid var(--slate); font-size: 0.84rem; }
/* Darker than --muted: the item's grey background would take small muted text below 4.5:1. */
.history-item .history-detail { grid-column: 1 / -1; font-size: 0.8rem; color: #4f5968; }
.history-time { font-size: 0.75rem; color: #4f5968; }
.history-item.ev-reset { border-left-color: var(--primary); }
.history-item.ev-breach { border-left-color: var(--bad); }
.history-item.ev-soft_breach { border-left-color: var(--warn); }
.history-title { font-weight: 600; }
.empty-note { font-size: 0.84rem; margin: 0; }
/* Ids are up to 256 characters with no spaces: they wrap instead of widening the page. */
.budget-card .card-head h3 { flex: 1 1 12rem; min-width: 0; overflow-wrap: anywhere; }
.budget-form [data-testid='budget-id'] { width: 100%; }
.history-item .history-title, .result, .quota-name, .workers td.wrap { overflow-wrap: anywhere; min-width: 0; }

/* ── quotas ─────────────────────────────────────────────────────────── */
/* No limit: an empty, dashed track rather than a bar drawn full. */
.bar.unlimited { background: transparent; border: 1px dashed #cfd5df; }
.admission-form { margin-top: 1rem; }
.panel-quotas { container: quotas / inline-size; }
@container quotas (max-width: 30rem) { .quota-row { grid-template-columns: minmax(0, 1fr); gap: 0.5rem; } }

/* ── worker registry ────────────────────────────────────────────────── */
.workers td.wrap { max-width: 16rem; }
/* The worker id and the capabilities sit under the instance and the lanes: two columns fewer, so the table fits a half-width panel. */
.workers .sub { display: block; font-size: 0.78rem; color: #4f5968; }
/* The shared green on its pale chip is under 4.5:1 at this size; a darker green keeps the state legible. */
.workers .chip.worker-alive { color: #1e6b30; }
/* In a narrow column the two buttons stack rather than push Mark dead out of sight. */
.workers .row-actions { white-space: normal; }
.workers .row-buttons { display: flex; flex-wrap: wrap; justify-content: flex-end; gap: 0.3rem; }
.workers .row-buttons button + button { margin-left: 0; }
`;
