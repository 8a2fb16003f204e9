/**
 * The playground's spine: the backend, the refresh loop that re-renders
 * every panel from backend reads, and `act()`, through which every user
 * action runs so its errors reach the banner.
 */
import type { BackendEvent, BrowserBackend } from '../../src/index.js';
import type { PlaygroundConfig } from './config.js';
import type { Notices } from './notices.js';
import { WaitpointSecret } from './waitpoint-secret.js';

/** What every panel renders from: the engine clock's reading for this refresh. */
export interface View {
  now: number;
}

export interface Panel {
  refresh(view: View): Promise<void> | void;
  /** The database was replaced (reset or import): drop anything cached from the old one. */
  clear?(): void;
}

/**
 * Re-render this often without any event: countdowns move, and changes made
 * by another tab or by the worker's scanners show within a blink.
 */
const REFRESH_MS = 400;

export class App {
  /** The engine clock at the last refresh (virtual or real). Panels never read Date.now() for engine time. */
  now = 0;
  /** The waitpoint HMAC secret the playground seeds when the database has none. */
  readonly waitpointSecret = new WaitpointSecret(this);
  private readonly panels: Panel[] = [];
  private refreshing = false;
  private again = false;
  private scheduled = false;
  private lastRefreshError = '';
  private stopped = false;
  private readonly eventListeners = new Set<(event: BackendEvent) => void>();

  constructor(
    readonly backend: BrowserBackend,
    readonly config: PlaygroundConfig,
    readonly notices: Notices,
  ) {
    void backend.closed.then((reason) => {
      this.stopped = true;
      notices.error(reason, 'The backend connection');
    });
  }

  /** Hear every event the timeline's subscription delivers (one subscription serves the whole page). */
  onEvent(listener: (event: BackendEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  emitEvent(event: BackendEvent): void {
    for (const listener of this.eventListeners) listener(event);
  }

  add(panel: Panel): void {
    this.panels.push(panel);
  }

  start(): void {
    setInterval(() => this.invalidate(), REFRESH_MS);
    this.invalidate();
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

  /** Run a user action: errors go to the banner, success re-renders. Resolves to undefined on failure. */
  async act<T>(action: string, fn: () => Promise<T>): Promise<T | undefined> {
    try {
      const result = await fn();
      this.invalidate();
      return result;
    } catch (err) {
      this.notices.error(err, action);
      this.invalidate();
      return undefined;
    }
  }

  /** After reset or import: every panel forgets what it cached. */
  databaseReplaced(): void {
    for (const panel of this.panels) panel.clear?.();
    this.waitpointSecret.clear();
    this.invalidate();
  }

  /** The engine's time as last read; it moves back only when the database is reset. */
  rememberClock(now: number): void {
    this.now = now;
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
        await Promise.all(this.panels.map((p) => Promise.resolve().then(() => p.refresh(view)).catch((err: unknown) => failures.push(err))));
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
    this.notices.error(err, 'Refreshing the playground');
  }
}
