/**
 * The error banner (every failed action, with its EngineError code, until
 * dismissed) and short-lived toasts for outcomes.
 */
import { h, setText } from './dom.js';

export interface PlainError {
  code: string;
  message: string;
  details: Record<string, unknown>;
}

/** Any thrown value as code + message + details (an EngineError keeps all three across the worker boundary). */
export function toPlainError(err: unknown): PlainError {
  if (typeof err === 'object' && err !== null) {
    const e = err as { code?: unknown; message?: unknown; details?: unknown };
    return {
      code: typeof e.code === 'string' ? e.code : 'error',
      message: typeof e.message === 'string' ? e.message : String(err),
      details: typeof e.details === 'object' && e.details !== null ? (e.details as Record<string, unknown>) : {},
    };
  }
  return { code: 'error', message: String(err), details: {} };
}

/** Most errors kept on screen at once; older ones are dropped. */
const MAX_ERRORS = 4;
/** How long a toast stays (UI time, not engine time). */
const TOAST_MS = 4_000;

export type ToastKind = 'ok' | 'warn' | 'bad' | 'info';

export class Notices {
  constructor(
    private readonly banner: HTMLElement,
    private readonly toasts: HTMLElement,
  ) {
    this.banner.hidden = true;
  }

  /** Show a failed action: `action` says what was being done. */
  error(err: unknown, action: string): void {
    const plain = toPlainError(err);
    console.warn(`[playground] ${action} failed:`, err);
    const newest = this.banner.firstElementChild as HTMLElement | null;
    if (newest && newest.dataset['signature'] === `${action}|${plain.code}|${plain.message}`) {
      const repeat = Number(newest.dataset['repeat'] ?? '1') + 1;
      newest.dataset['repeat'] = String(repeat);
      setText(newest.querySelector('.error-repeat'), `×${repeat}`);
      return;
    }
    const entry = h(
      'div',
      { class: 'error-entry', role: 'alert', testid: 'error-entry', 'data-code': plain.code, 'data-signature': `${action}|${plain.code}|${plain.message}` },
      h('span', { class: 'error-code', testid: 'error-code' }, plain.code),
      h(
        'div',
        { class: 'error-body' },
        h('strong', null, `${action} failed`),
        h('span', { class: 'error-repeat' }),
        h('p', { class: 'error-message', testid: 'error-message' }, plain.message),
        issuesOf(plain.details),
      ),
      h('button', { type: 'button', class: 'ghost error-dismiss', testid: 'error-dismiss', 'aria-label': 'Dismiss this error', onClick: () => this.dismiss(entry) }, '✕'),
    );
    this.banner.prepend(entry);
    while (this.banner.children.length > MAX_ERRORS) this.banner.lastElementChild!.remove();
    this.banner.hidden = false;
  }

  dismiss(entry: HTMLElement): void {
    entry.remove();
    this.banner.hidden = this.banner.children.length === 0;
  }

  toast(message: string, kind: ToastKind = 'info'): void {
    const el = h('div', { class: `toast toast-${kind}`, role: 'status', testid: 'toast', 'data-kind': kind }, message);
    this.toasts.append(el);
    setTimeout(() => el.remove(), TOAST_MS);
  }
}

/** Validation issues as a short list ("dimensions.0.softLimit: must not exceed hardLimit (10)"). */
function issuesOf(details: Record<string, unknown>): HTMLElement | null {
  const issues = Array.isArray(details['issues']) ? (details['issues'] as { path?: unknown; message?: unknown }[]) : [];
  // One issue is already the message; list them only when there are several.
  if (issues.length < 2) return null;
  return h(
    'ul',
    { class: 'error-issues' },
    issues.slice(0, 6).map((i) => h('li', null, `${String(i.path ?? '')}: ${String(i.message ?? '')}`)),
  );
}
