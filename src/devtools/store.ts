/**
 * The devtools' spine: the backend it inspects, one refresh loop that asks
 * every mounted panel to reload from backend reads, `act()` through which
 * every user action runs (its error is kept under the action's scope, so
 * it shows beside the form or card it came from), page-wide notices and
 * toasts, and the confirm dialog.
 */
import type { BrowserBackend } from '../client/browser-backend.js';
import type { BackendEvent } from '../worker/protocol.js';
import { Router, type Route, type RoutingMode } from './router.js';

/** What a panel loads from: the engine clock's reading for this refresh. */
export interface View {
  now: number;
}

export interface Loadable {
  /** Re-read what this panel shows. */
  load?(view: View): Promise<void> | void;
  /** The database was replaced (reset or import): forget anything cached. */
  clear?(): void;
  requestUpdate(): void;
}

export interface PlainError {
  code: string;
  message: string;
  details: Record<string, unknown>;
}

export interface Notice {
  id: number;
  action: string;
  error: PlainError;
  repeat: number;
}

export type ToastKind = 'ok' | 'warn' | 'bad' | 'info';
export interface Toast {
  id: number;
  kind: ToastKind;
  message: string;
}

export interface ConfirmRequest {
  title: string;
  body: string;
  confirmLabel: string;
  /** A destructive action's button is drawn red. */
  danger?: boolean;
  /** An extra button shown before confirming, e.g. "Export first". */
  extra?: { label: string; run: () => Promise<void> | void };
  resolve: (ok: boolean) => void;
}

export interface DevtoolsSettings {
  /** Run clock advances in slices of at most this many scanner ticks (default: 50 ms slices). */
  sliceTicks?: number | null;
  /** Show the clock as virtual (manual, advanceable) or real. Read from the backend when left out. */
  clockMode?: 'virtual' | 'real';
  /**
   * Virtual time only: play (true) or pause (false) the engine clock as the devtools start; null or left
   * out leaves it as it is (another tab may be playing it). The host decides, e.g. from its URL or storage.
   */
  play?: boolean | null;
  /** Called whenever the devtools play or pause the clock, e.g. so the host can remember the choice. */
  onPlayChange?: (playing: boolean) => void;
  /** A link offered in the clock bar to the same app on the other kind of clock (the host knows its URLs). */
  clockSwitchHref?: string;
}

/** Re-render this often without any event: countdowns move, other tabs' and scanners' changes show. */
export const REFRESH_MS = 400;
/** Most page-wide errors kept at once; older ones are dropped. */
const MAX_NOTICES = 4;
/** How long a toast stays (UI time, not engine time). */
const TOAST_MS = 4_000;

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

export class DevtoolsStore {
  /** The engine clock at the last refresh. Panels never read Date.now() for engine time. */
  now = 0;
  readonly router: Router;
  /** Errors of user actions, by scope (a form's or a card's key), until that scope acts again or is dismissed. */
  readonly errors = new Map<string, { action: string; error: PlainError }>();
  notices: Notice[] = [];
  toasts: Toast[] = [];
  confirmation: ConfirmRequest | null = null;
  stopped = false;

  private readonly panels = new Set<Loadable>();
  private readonly shellListeners = new Set<() => void>();
  private readonly eventListeners = new Set<(event: BackendEvent) => void>();
  private readonly replacedListeners = new Set<() => void>();
  private nextId = 1;
  private refreshing = false;
  private again = false;
  private scheduled = false;
  private interval: ReturnType<typeof setInterval> | null = null;
  private lastRefreshError = '';

  constructor(
    readonly backend: BrowserBackend,
    readonly settings: DevtoolsSettings = {},
    routing: RoutingMode = 'memory',
  ) {
    this.router = new Router(routing);
    void backend.closed.then((reason) => {
      this.stopped = true;
      this.notify(reason, 'The backend connection');
    });
  }

  get route(): Route {
    return this.router.current;
  }

  start(): void {
    if (this.interval !== null) return;
    this.interval = setInterval(() => this.invalidate(), REFRESH_MS);
    this.invalidate();
  }

  stop(): void {
    if (this.interval !== null) clearInterval(this.interval);
    this.interval = null;
    this.router.dispose();
  }

  mount(panel: Loadable): void {
    this.panels.add(panel);
    this.invalidate();
  }

  unmount(panel: Loadable): void {
    this.panels.delete(panel);
  }

  /** The shell (notices, toasts, confirm dialog) re-renders on these. */
  onShellChange(listener: () => void): () => void {
    this.shellListeners.add(listener);
    return () => this.shellListeners.delete(listener);
  }

  onEvent(listener: (event: BackendEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  emitEvent(event: BackendEvent): void {
    for (const listener of this.eventListeners) listener(event);
  }

  /** Hear about reset and import (beyond the panels' own clear()). */
  onDatabaseReplaced(listener: () => void): () => void {
    this.replacedListeners.add(listener);
    return () => this.replacedListeners.delete(listener);
  }

  /** Re-render soon (coalesced: many calls in one tick cost one refresh). */
  invalidate(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setTimeout(() => {
      this.scheduled = false;
      void this.refresh();
    }, 0);
  }

  /**
   * Run a user action. Its previous error under `scope` is cleared first;
   * a failure is kept under `scope` (shown beside its form by `errorFor`).
   * Resolves to undefined on failure.
   */
  async act<T>(scope: string, action: string, fn: () => Promise<T>): Promise<T | undefined> {
    this.clearError(scope);
    try {
      const result = await fn();
      this.invalidate();
      return result;
    } catch (err) {
      console.warn(`[ff-devtools] ${action} failed:`, err);
      this.errors.set(scope, { action, error: toPlainError(err) });
      this.invalidate();
      this.changed();
      return undefined;
    }
  }

  errorFor(scope: string): { action: string; error: PlainError } | undefined {
    return this.errors.get(scope);
  }

  clearError(scope: string): void {
    if (this.errors.delete(scope)) this.changed();
  }

  /** A page-wide error with no form to sit beside (the connection, a failed refresh). */
  notify(err: unknown, action: string): void {
    const error = toPlainError(err);
    const newest = this.notices[0];
    if (newest && newest.action === action && newest.error.code === error.code && newest.error.message === error.message) newest.repeat += 1;
    else this.notices = [{ id: this.nextId++, action, error, repeat: 1 }, ...this.notices].slice(0, MAX_NOTICES);
    this.changed();
  }

  dismissNotice(id: number): void {
    this.notices = this.notices.filter((n) => n.id !== id);
    this.changed();
  }

  toast(message: string, kind: ToastKind = 'info'): void {
    const toast = { id: this.nextId++, kind, message };
    this.toasts = [...this.toasts, toast];
    this.changed();
    setTimeout(() => {
      this.toasts = this.toasts.filter((t) => t !== toast);
      this.changed();
    }, TOAST_MS);
  }

  /** Ask before a destructive action; resolves true when confirmed. */
  confirm(request: Omit<ConfirmRequest, 'resolve'>): Promise<boolean> {
    this.confirmation?.resolve(false);
    return new Promise((resolve) => {
      this.confirmation = {
        ...request,
        resolve: (ok) => {
          this.confirmation = null;
          this.changed();
          resolve(ok);
        },
      };
      this.changed();
    });
  }

  /** After reset or import: every panel forgets what it cached. */
  databaseReplaced(): void {
    for (const panel of this.panels) panel.clear?.();
    for (const listener of this.replacedListeners) listener();
    this.invalidate();
  }

  /** The engine's time as last read; it moves back only when the database is reset. */
  rememberClock(now: number): void {
    this.now = now;
  }

  private changed(): void {
    for (const listener of this.shellListeners) listener();
  }

  private async refresh(): Promise<void> {
    if (this.refreshing) {
      this.again = true;
      return;
    }
    this.refreshing = true;
    try {
      do {
        this.again = false;
        this.rememberClock(await this.backend.now());
        const view: View = { now: this.now };
        const failures: unknown[] = [];
        await Promise.all(
          [...this.panels].map((p) =>
            Promise.resolve()
              .then(() => p.load?.(view))
              .then(() => p.requestUpdate())
              .catch((err: unknown) => failures.push(err)),
          ),
        );
        this.noteRefresh(failures[0]);
      } while (this.again && !this.stopped);
    } catch (err) {
      this.noteRefresh(err);
    } finally {
      this.refreshing = false;
    }
  }

  /** A failing read is reported once, not on every refresh, until reads work again. */
  private noteRefresh(err: unknown): void {
    if (err === undefined) {
      this.lastRefreshError = '';
      return;
    }
    const key = String((err as { message?: unknown }).message ?? err);
    if (key === this.lastRefreshError) return;
    this.lastRefreshError = key;
    this.notify(err, 'Refreshing the devtools');
  }
}
