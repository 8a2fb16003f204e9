import { EngineError } from '../api/errors.js';
import type { BackendStatus } from '../worker/protocol.js';

/**
 * The app must honour the `clock` switch, or virtual-time calls fail later
 * with a puzzling "unavailable": say at once which switch it missed.
 */
export async function checkClock(asked: string | undefined, status: () => Promise<BackendStatus>): Promise<void> {
  if (asked !== 'virtual' && asked !== 'real') return;
  const expected = asked === 'virtual' ? 'manual' : 'real';
  const actual = (await status()).clock;
  if (actual === expected) return;
  throw new EngineError(
    'unavailable',
    `ffBackend: the test opened the app with ?clock=${asked}, but its backend runs on a ${actual === 'manual' ? 'virtual' : 'real'} clock. ` +
      "The app must read the URL's switches: createBrowserBackend({ devMode: true, ...backendOptionsFromUrl(location, { name }).options })",
    { field: 'clock', expected, actual },
  );
}
