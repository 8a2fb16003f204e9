/** The shell: views nav, the toast strip, the drawer, the confirm dialog, panel layout. */
import { css } from 'lit';

export const shellStyles = css`
:host { display: block; }
/*
 * Docked in someone's app: the host is the containing block of everything
 * fixed inside it (the drawer, the confirm dialog), so they stay within the
 * panel, and only the view scrolls under the header and the clock.
 */
:host([layout='panel']) { height: 100%; overflow: hidden; contain: layout paint; }
:host([layout='panel']) .shell { height: 100%; display: flex; flex-direction: column; }
:host([layout='panel']) .view { flex: 1; min-height: 0; overflow: auto; }
:host([layout='panel']) .top { padding: 0.5rem 1rem; }
:host([layout='panel']) .top p { display: none; }
/* The overview lays its panels out by the width it is given, not the window's. */
.view { container: view / inline-size; }
@container view (min-width: 70rem) {
  .grid.overview { grid-template-columns: minmax(0, 1.25fr) minmax(0, 1fr); grid-template-areas: 'budgets budgets' 'executions executions' 'worker timeline' 'quotas timeline' 'workers status'; align-items: start; }
  .grid.overview > ff-dt-budgets { grid-area: budgets; }
  .grid.overview > ff-dt-executions-board { grid-area: executions; }
  .grid.overview ::slotted(*) { grid-area: worker; }
  .grid.overview > ff-dt-timeline { grid-area: timeline; }
  .grid.overview > ff-dt-quotas { grid-area: quotas; }
  .grid.overview > ff-dt-workers { grid-area: workers; }
  .grid.overview > ff-dt-status { grid-area: status; }
}
.views { display: flex; flex-wrap: wrap; align-items: center; gap: 0.2rem 0.4rem; padding: 0.5rem 1.6rem; border-bottom: 1px solid var(--line); background: var(--card); }
.views a { padding: 0.3rem 0.7rem; border-radius: 999px; color: var(--text); text-decoration: none; font-size: 0.9rem; }
.views a[aria-current='page'] { background: var(--primary-soft); color: var(--primary); font-weight: 600; }
.views a:focus-visible { outline: 2px solid var(--primary); }
/* Toasts sit in the nav strip, never over content. */
.views .toasts { position: static; margin-left: auto; display: flex; flex-wrap: wrap; gap: 0.4rem; max-width: min(40rem, 100%); }
.views .toast { padding: 0.25rem 0.7rem; box-shadow: none; font-size: 0.82rem; min-width: 0; overflow-wrap: anywhere; }
.view { padding: 1rem 1.6rem; }
.view > .grid { padding: 0; }
.inline-error { display: flex; gap: 0.6rem; align-items: flex-start; margin: 0.6rem 0; padding: 0.5rem 0.7rem; border-radius: var(--radius); background: var(--failed-bg); border: 1px solid #ffc9c9; overflow-wrap: anywhere; }
.inline-error .error-message { margin: 0.15rem 0 0; }
.error-entry, .error-message, .inline-error { overflow-wrap: anywhere; word-break: break-word; }
.confirm-backdrop { position: fixed; inset: 0; z-index: 50; display: grid; place-items: center; background: rgba(15, 20, 30, 0.35); }
.confirm { max-width: min(30rem, 92vw); padding: 1.2rem 1.4rem; }
.confirm p { overflow-wrap: anywhere; }
`;
