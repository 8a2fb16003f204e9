/** The clock bar's advance progress, the status panel and its pill. */
import { css } from 'lit';

export const statusStyles = css`
/* ── clock bar: advance progress ────────────────────────────────────── */
.clock-progress { display: inline-flex; align-items: center; gap: 0.5rem; font-size: 0.82rem; }
.clock-progress progress { width: 8rem; accent-color: var(--primary); }
.clock-bar .inline-error { flex-basis: 100%; margin: 0; }
.clock-note a { color: var(--primary); }
/* The countdown inside the accent button: lighter than its label, still readable on the tinted background. */
.next-reset-in { font-weight: 400; }

/* ── header pill ────────────────────────────────────────────────────── */
.top .pill[data-role='follower'] { background: rgba(151, 117, 250, 0.3); }

/* ── status panel ───────────────────────────────────────────────────── */
.status-kv dd.tone-bad { background: none; color: var(--bad); font-weight: 600; }
.panel-status .actions { gap: 0.5rem; }
`;
