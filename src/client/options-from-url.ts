/**
 * The switches an app reads from its page URL, so the Playwright fixture (and
 * a person sharing a link) can choose the database, the clock and the test
 * handle without the app knowing about tests:
 *
 *   ?db=<name>            the database name (each test gets its own)
 *   ?clock=virtual        a ManualClock (virtual time); `real` or absent: the wall clock
 *   ?clockStart=<ms>      the virtual clock's first reading (default: now)
 *   ?testHandle=1         install the test handle (installTestHandle)
 *
 *   const { options, testHandle } = backendOptionsFromUrl(location, { name: 'my-app' });
 *   const backend = await createBrowserBackend({ devMode: true, ...options });
 *   if (testHandle) await installTestHandle(backend);
 */
import { EngineError } from '../api/errors.js';

export interface UrlSwitchDefaults {
  /** The database name when the URL has none. */
  name: string;
  /** The parameter holding the database name. @default 'db' */
  dbParam?: string;
  /** The clock when the URL names none. @default 'real' */
  clock?: 'real' | 'manual';
}

export interface BackendOptionsFromUrl {
  /** Spread into createBrowserBackend's options. */
  options: { name: string; clock: 'real' | 'manual'; clockStartMs?: number };
  /** `?testHandle=1`: the app should call installTestHandle(backend). */
  testHandle: boolean;
}

/** Read the fixture's switches from `location` (or any URL or query string). */
export function backendOptionsFromUrl(location: { search: string } | URL | string, defaults: UrlSwitchDefaults): BackendOptionsFromUrl {
  const search = typeof location === 'string' ? location.slice(Math.max(0, location.indexOf('?'))) : location.search;
  const params = new URLSearchParams(search);
  const name = params.get(defaults.dbParam ?? 'db')?.trim() || defaults.name;
  const clockParam = params.get('clock');
  let clock = defaults.clock ?? 'real';
  if (clockParam === 'virtual' || clockParam === 'manual') clock = 'manual';
  else if (clockParam === 'real') clock = 'real';
  else if (clockParam !== null) throw invalid('clock', `expected 'virtual' or 'real', got '${clockParam}'`);
  const options: BackendOptionsFromUrl['options'] = { name, clock };
  const start = params.get('clockStart');
  if (start !== null) {
    const ms = Number(start);
    if (!Number.isSafeInteger(ms) || ms < 0) throw invalid('clockStart', `expected Unix milliseconds, got '${start}'`);
    options.clockStartMs = ms;
  }
  return { options, testHandle: params.get('testHandle') === '1' };
}

function invalid(field: string, why: string): EngineError {
  return new EngineError('validation.invalid_input', `backendOptionsFromUrl: ?${field}: ${why}`, { field });
}
