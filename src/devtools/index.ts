/**
 * `ff-backend-browser/devtools`: the devtools panels for your own app.
 *
 *   import { mountDevtools } from 'ff-backend-browser/devtools';
 *   mountDevtools(backend); // a small toggle button; the panels load on first open
 *
 * This module is tiny on purpose and imports nothing heavy: the panels
 * (Lit, the graph layout) are a separate chunk fetched by `import()` the
 * first time the devtools open, so an app that never opens them pays only
 * for the button. `loadDevtools()` loads the element for those who place
 * `<ff-devtools>` themselves.
 */
import type { BrowserBackend } from '../client/browser-backend.js';
import type { FfDevtools } from './element.js';
import type { DevtoolsSettings } from './store.js';

export type { FfDevtools } from './element.js';
export type { DevtoolsSettings } from './store.js';
export type { Route, RoutingMode, ViewName } from './router.js';

export interface MountDevtoolsOptions {
  /** Where the toggle button and the panel are added. @default document.body */
  container?: HTMLElement;
  /** Open at once instead of waiting for the button. @default false */
  open?: boolean;
  /** The toggle button's corner. @default 'bottom-right' */
  position?: 'bottom-right' | 'bottom-left';
  /** The panel's height when open, as a CSS length. @default '55vh' */
  height?: string;
  settings?: DevtoolsSettings;
  /** The title in the panel's header. */
  heading?: string;
}

export interface DevtoolsHandle {
  readonly isOpen: boolean;
  /** The element once loaded (after the first open), else null. */
  readonly element: FfDevtools | null;
  open(): Promise<void>;
  close(): void;
  toggle(): Promise<void>;
  /** Remove the button and the panel, and stop the panel's refresh loop. */
  unmount(): void;
}

/** Load the `<ff-devtools>` element (defines the tag) and return its class. */
export async function loadDevtools(): Promise<typeof FfDevtools> {
  const module = await import('./element.js');
  return module.FfDevtools;
}

const HOST_CSS = `
:host { all: initial; }
.toggle { position: fixed; bottom: 12px; z-index: 2147483000; font: 600 13px/1 system-ui, sans-serif; padding: 9px 14px; border-radius: 999px;
  border: 1px solid #2c3650; background: #1d2433; color: #fff; cursor: pointer; box-shadow: 0 4px 14px rgba(0,0,0,.25); }
.toggle:focus-visible { outline: 3px solid #91a7ff; outline-offset: 2px; }
.right { right: 12px; } .left { left: 12px; }
.dock { position: fixed; left: 0; right: 0; bottom: 0; z-index: 2147482999; background: #f4f6fa; border-top: 2px solid #1d2433;
  box-shadow: 0 -6px 24px rgba(0,0,0,.18); overflow: auto; }
.dock[hidden] { display: none; }
`;

/** Add the devtools to the page: a toggle button, and a docked panel loaded on first open. */
export function mountDevtools(backend: BrowserBackend, options: MountDevtoolsOptions = {}): DevtoolsHandle {
  const host = document.createElement('div');
  host.setAttribute('data-ff-devtools', '');
  const root = host.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  style.textContent = HOST_CSS;
  const button = document.createElement('button');
  button.type = 'button';
  button.className = `toggle ${options.position === 'bottom-left' ? 'left' : 'right'}`;
  button.textContent = 'FlowFabric devtools';
  button.setAttribute('aria-expanded', 'false');
  button.setAttribute('data-testid', 'ff-devtools-toggle');
  const dock = document.createElement('div');
  dock.className = 'dock';
  dock.hidden = true;
  dock.style.height = options.height ?? '55vh';
  dock.setAttribute('role', 'region');
  dock.setAttribute('aria-label', 'FlowFabric devtools');
  root.append(style, dock, button);
  (options.container ?? document.body).append(host);

  let element: FfDevtools | null = null;
  let loading: Promise<void> | null = null;
  let isOpen = false;

  const load = (): Promise<void> =>
    (loading ??= loadDevtools().then((Element) => {
      element = new Element();
      element.layout = 'panel';
      element.routing = 'memory';
      if (options.heading !== undefined) element.heading = options.heading;
      if (options.settings) element.settings = options.settings;
      element.backend = backend;
      dock.append(element);
    }));

  const handle: DevtoolsHandle = {
    get isOpen() {
      return isOpen;
    },
    get element() {
      return element;
    },
    async open() {
      await load();
      isOpen = true;
      dock.hidden = false;
      button.setAttribute('aria-expanded', 'true');
    },
    close() {
      isOpen = false;
      dock.hidden = true;
      button.setAttribute('aria-expanded', 'false');
    },
    toggle() {
      if (isOpen) {
        handle.close();
        return Promise.resolve();
      }
      return handle.open();
    },
    unmount() {
      handle.close();
      element?.remove();
      host.remove();
    },
  };
  button.addEventListener('click', () => void handle.toggle());
  if (options.open) void handle.open();
  return handle;
}
