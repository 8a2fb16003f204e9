/**
 * Where the devtools is looking: a view, an optional id (a flow), and query
 * parameters (filters, `exec` for the execution drawer). A route is written
 * as a hash URL (`#/flows/f-1?exec=e-9`) in both modes:
 *
 * - `hash`: the page's own URL holds it, so every execution and flow has a
 *   link and the back button works (the playground uses this);
 * - `memory`: a private history inside the element, so a devtools mounted
 *   in someone's app never rewrites that app's URL.
 */
export const VIEWS = ['overview', 'executions', 'flows', 'timeline', 'budgets', 'status'] as const;
export type ViewName = (typeof VIEWS)[number];

export interface Route {
  view: ViewName;
  /** The second path segment: a flow id for `flows`. */
  id: string | null;
  params: Record<string, string>;
}

export type RoutingMode = 'hash' | 'memory';

export function parseRoute(hash: string): Route {
  const text = hash.replace(/^#\/?/, '');
  const [path = '', query = ''] = splitOnce(text, '?');
  const [first = '', ...rest] = path.split('/').map((s) => safeDecode(s));
  const view = (VIEWS as readonly string[]).includes(first) ? (first as ViewName) : 'overview';
  const params: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(query)) if (v !== '') params[k] = v;
  return { view, id: rest.length > 0 && rest[0] !== '' ? rest.join('/') : null, params };
}

export function formatRoute(route: Route): string {
  const path = route.view === 'overview' && route.id === null ? '' : route.id === null ? route.view : `${route.view}/${encodeURIComponent(route.id)}`;
  const query = new URLSearchParams(Object.entries(route.params).filter(([, v]) => v !== '')).toString();
  return `#/${path}${query ? `?${query}` : ''}`;
}

export function sameRoute(a: Route, b: Route): boolean {
  return formatRoute(a) === formatRoute(b);
}

/** A route with some parameters changed; `null` removes one. */
export function withParams(route: Route, changes: Record<string, string | null>): Route {
  const params = { ...route.params };
  for (const [k, v] of Object.entries(changes)) {
    if (v === null || v === '') delete params[k];
    else params[k] = v;
  }
  return { ...route, params };
}

export class Router {
  private stack: string[];
  private index = 0;
  private readonly listeners = new Set<(route: Route) => void>();
  private readonly onHashChange = (): void => this.emit();

  constructor(readonly mode: RoutingMode, initial = '#/') {
    this.stack = [mode === 'hash' && location.hash.startsWith('#/') ? location.hash : initial];
    if (mode === 'hash') addEventListener('hashchange', this.onHashChange);
  }

  get current(): Route {
    return parseRoute(this.mode === 'hash' ? location.hash : this.stack[this.index]!);
  }

  /** The href an in-app link carries (the element routes clicks on it in memory mode). */
  href(route: Route): string {
    return formatRoute(route);
  }

  go(route: Route | string, options: { replace?: boolean } = {}): void {
    const target = typeof route === 'string' ? formatRoute(parseRoute(route)) : formatRoute(route);
    if (this.mode === 'hash') {
      if (location.hash === target) return;
      if (options.replace) history.replaceState(history.state, '', target);
      else location.hash = target;
      if (options.replace) this.emit();
      return;
    }
    if (this.stack[this.index] === target) return;
    if (options.replace) this.stack[this.index] = target;
    else {
      this.stack = [...this.stack.slice(0, this.index + 1), target];
      this.index = this.stack.length - 1;
    }
    this.emit();
  }

  back(): void {
    if (this.mode === 'hash') history.back();
    else if (this.index > 0) {
      this.index -= 1;
      this.emit();
    }
  }

  subscribe(listener: (route: Route) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispose(): void {
    if (this.mode === 'hash') removeEventListener('hashchange', this.onHashChange);
    this.listeners.clear();
  }

  private emit(): void {
    const route = this.current;
    for (const l of this.listeners) l(route);
  }
}

function splitOnce(text: string, sep: string): [string, string] {
  const i = text.indexOf(sep);
  return i < 0 ? [text, ''] : [text.slice(0, i), text.slice(i + 1)];
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
