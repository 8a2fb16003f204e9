/** The theme, type, header, clock bar, notices and form controls (shared by every panel). */
import { css } from 'lit';

export const baseStyles = css`
/* FlowFabric playground: a calm light theme, a card per panel. */
:host {
  --bg: #f4f6fa;
  --card: #fff;
  --text: #1f2733;
  --muted: #5f6978; /* 4.5:1 or better on every background the panels use */
  --line: #e3e7ee;
  --primary: #3b5bdb;
  --primary-soft: #edf2ff;
  --waiting: #7b8598;
  --waiting-bg: #eef0f4;
  --delayed: #7048e8;
  --delayed-bg: #f1ecff;
  --active: #e67700;
  --active-bg: #fff3d6;
  --completed: #2b8a3e;
  --completed-bg: #e5f6e8;
  --failed: #e03131;
  --failed-bg: #ffe9e9;
  --slate: #56657a;
  --slate-bg: #e8ecf1;
  --ok: #2f9e44;
  --warn: #e8890c;
  --bad: #e03131;
  --radius: 10px;
  --mono: ui-monospace, 'SFMono-Regular', 'JetBrains Mono', Menlo, Consolas, monospace;
  font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
  color: var(--text);
  background: var(--bg);
}
* { box-sizing: border-box; }
h1, h2, h3, h4 { margin: 0; font-weight: 650; }
h2 { font-size: 1.15rem; }
h3 { font-size: 1rem; }
.form h3 { margin-bottom: 0.7rem; }
h4, h3.h4 { font-size: 0.85rem; color: var(--muted); text-transform: uppercase; letter-spacing: 0.04em; margin: 0.9rem 0 0.4rem; }
.mono, code { font-family: var(--mono); font-size: 0.92em; }
.muted { color: var(--muted); }
.small { font-size: 0.82rem; }
[hidden] { display: none !important; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }

/* ── header, clock bar, notices ─────────────────────────────────────── */
.top { display: flex; align-items: center; justify-content: space-between; gap: 1rem; padding: 0.9rem 1.6rem; background: #1d2433; color: #fff; }
.top h1 { font-size: 1.25rem; }
.top p { margin: 0.15rem 0 0; opacity: 0.72; font-size: 0.88rem; }
.pill { font-size: 0.8rem; padding: 0.3rem 0.75rem; border-radius: 999px; background: rgba(255, 255, 255, 0.12); white-space: nowrap; }
.pill[data-unsaved='true'] { background: rgba(255, 196, 0, 0.25); }

.clock-slot { position: sticky; top: 0; z-index: 10; }
.clock-bar { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1.4rem; padding: 0.65rem 1.6rem; background: #fff; border-bottom: 1px solid var(--line); box-shadow: 0 2px 8px rgba(31, 39, 51, 0.05); }
.clock-readout { display: flex; align-items: baseline; gap: 0.8rem; }
.clock-mode { font-size: 0.72rem; font-weight: 700; text-transform: uppercase; letter-spacing: 0.06em; padding: 0.15rem 0.55rem; border-radius: 999px; background: var(--delayed-bg); color: var(--delayed); }
.clock-bar.real .clock-mode { background: var(--slate-bg); color: var(--slate); }
.clock-now { font-size: 1.35rem; font-weight: 600; letter-spacing: 0.01em; min-width: 17ch; }
.clock-state { color: var(--muted); font-size: 0.85rem; }
.clock-controls { display: flex; flex-wrap: wrap; gap: 0.4rem; align-items: center; }
.clock-custom { display: flex; gap: 0.3rem; align-items: center; }
.clock-custom input { width: 5rem; }
.clock-note { flex-basis: 100%; margin: 0; font-size: 0.8rem; color: var(--muted); }

.errors { display: grid; gap: 0.5rem; padding: 0.8rem 1.6rem 0; }
.error-entry { display: flex; align-items: flex-start; gap: 0.8rem; padding: 0.65rem 0.9rem; border-radius: var(--radius); background: #fff5f5; border: 1px solid #ffc9c9; color: #7d1d1d; }
.error-code { font-family: var(--mono); font-size: 0.78rem; padding: 0.1rem 0.45rem; border-radius: 6px; background: #ffe3e3; white-space: nowrap; }
.error-body { flex: 1; min-width: 0; }
.error-body p { margin: 0.15rem 0 0; word-break: break-word; }
.error-repeat { margin-left: 0.4rem; font-size: 0.8rem; }
.error-issues { margin: 0.3rem 0 0; padding-left: 1.1rem; font-size: 0.85rem; }
.toasts { position: fixed; right: 1.2rem; bottom: 1.2rem; display: grid; gap: 0.5rem; z-index: 20; max-width: min(28rem, 90vw); }
.toast { padding: 0.6rem 0.9rem; border-radius: var(--radius); background: #1d2433; color: #fff; box-shadow: 0 6px 20px rgba(0, 0, 0, 0.18); font-size: 0.88rem; border-left: 4px solid var(--primary); animation: toast-in 0.18s ease-out; }
.toast-ok { border-left-color: var(--ok); }
.toast-warn { border-left-color: var(--warn); }
.toast-bad { border-left-color: var(--bad); }
@keyframes toast-in { from { transform: translateY(8px); opacity: 0; } }

/* ── layout ─────────────────────────────────────────────────────────── */
.grid { display: grid; gap: 1.2rem; padding: 1.2rem 1.6rem 3rem; grid-template-columns: minmax(0, 1fr); }
.boot { color: var(--muted); }
.panel { background: var(--card); border-radius: 14px; padding: 1.1rem 1.3rem 1.3rem; box-shadow: 0 1px 2px rgba(31, 39, 51, 0.06), 0 0 0 1px rgba(31, 39, 51, 0.04); min-width: 0; }
.panel-head { margin-bottom: 0.9rem; }
.blurb { margin: 0.2rem 0 0; color: var(--muted); font-size: 0.88rem; max-width: 70ch; }
.card { border: 1px solid var(--line); border-radius: var(--radius); padding: 0.9rem 1rem; background: #fff; }
.card-head { display: flex; align-items: center; gap: 0.7rem; flex-wrap: wrap; margin-bottom: 0.6rem; }
.card-head .spacer, .card-head > button:last-child { margin-left: auto; }
.empty p { margin: 0 0 0.6rem; }
.empty { color: var(--muted); background: #f8f9fb; border: 1px dashed var(--line); border-radius: var(--radius); padding: 0.9rem 1rem; margin: 0; }

/* ── forms and buttons ──────────────────────────────────────────────── */
.form .row, .row { display: flex; flex-wrap: wrap; gap: 0.7rem; align-items: flex-start; }
.form .row + .row { margin-top: 0.6rem; }
.row.actions { margin-top: 0.8rem; align-items: center; }
.field { display: grid; gap: 0.2rem; font-size: 0.8rem; color: var(--muted); }
.field-label { font-weight: 600; color: #3c4656; }
.field-hint { font-size: 0.72rem; }
.inline { display: flex; gap: 0.3rem; }
.hint { font-size: 0.78rem; color: var(--muted); margin: 0.7rem 0 0; }
input, select { font: inherit; color: var(--text); padding: 0.38rem 0.5rem; border: 1px solid #cfd5df; border-radius: 7px; background: #fff; min-width: 0; }
input[type='number'] { width: 7rem; }
input:not([type]), input[type='text'] { width: 10rem; }
input[type='checkbox'] { width: auto; accent-color: var(--primary); }
input:focus-visible, select:focus-visible, button:focus-visible, a:focus-visible { outline: 2px solid var(--primary); outline-offset: 1px; }
input:disabled, select:disabled { background: #f3f4f7; color: var(--muted); }
button { font: inherit; padding: 0.42rem 0.85rem; border-radius: 7px; border: 1px solid #cfd5df; background: #fff; color: var(--text); cursor: pointer; white-space: nowrap; }
button:hover:not(:disabled) { background: #f3f5f9; }
button:disabled { opacity: 0.5; cursor: default; }
button.primary { background: var(--primary); border-color: var(--primary); color: #fff; font-weight: 600; }
button.primary:hover:not(:disabled) { background: #3451c6; }
button.accent { background: var(--delayed-bg); border-color: #d5c8ff; color: #4f2fc0; font-weight: 600; }
button.danger { color: var(--bad); border-color: #ffc9c9; }
button.danger:hover:not(:disabled) { background: #fff5f5; }
button.ghost { border-color: transparent; background: transparent; color: var(--muted); }
button.small { padding: 0.2rem 0.55rem; font-size: 0.8rem; }
button.icon { padding: 0.2rem 0.45rem; }
.check { display: inline-flex; align-items: center; gap: 0.3rem; font-size: 0.85rem; }
.result { display: block; margin-top: 0.6rem; padding: 0.45rem 0.7rem; border-radius: 7px; font-size: 0.88rem; }
.result:empty { display: none; }
.tone-ok { background: var(--completed-bg); color: #1e6b30; }
.tone-warn { background: #fff4e0; color: #8a5000; }
.tone-bad { background: var(--failed-bg); color: #a61e1e; }
.tone-info { background: var(--primary-soft); color: #2c3f99; }
.chip { display: inline-block; font-size: 0.75rem; padding: 0.08rem 0.5rem; border-radius: 999px; background: var(--waiting-bg); color: #475266; white-space: nowrap; }

`;
