/**
 * createBrowserBackend: the engine in a worker, persisted to IndexedDB,
 * reached from the page through a typed client. See BrowserBackendOptions
 * for the options and their defaults, BrowserBackend for the client.
 */
import { EngineError } from '../api/errors.js';
import { parseInput } from '../api/validate.js';
import { backendConfigInput } from '../worker/protocol.js';
import type { BrowserBackend, BrowserBackendOptions } from './browser-backend.js';
import { connectBackend, DEFAULT_CONNECT_TIMEOUT_MS } from './connect-backend.js';
import { forwardPageLifecycle } from './page-lifecycle.js';
import { openWorkerTransport } from './worker-transport.js';

export async function createBrowserBackend(options: BrowserBackendOptions): Promise<BrowserBackend> {
  if ((options as { devMode?: unknown } | undefined)?.devMode !== true) {
    throw new EngineError(
      'validation.invalid_input',
      'ff-backend-browser is a dev-only backend: pass { devMode: true } to createBrowserBackend to acknowledge it (the analogue of FF_DEV_MODE=1). Never use it in production.',
      { field: 'devMode' },
    );
  }
  const { devMode: _devMode, worker = 'auto', connectTimeoutMs, ...config } = options;
  if (!['auto', 'shared', 'dedicated'].includes(worker)) throw new EngineError('validation.invalid_input', `worker: expected 'auto', 'shared' or 'dedicated'`, { field: 'worker' });
  // Checked here too, so a typo fails in the page before a worker is started.
  parseInput('createBrowserBackend', backendConfigInput, config);
  // One budget for both steps: the worker starting, then answering `open`.
  const deadline = Date.now() + (connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS);
  const transport = await openWorkerTransport(config.name, worker, deadline - Date.now());
  return connectBackend(transport, config, { connectTimeoutMs: Math.max(1, deadline - Date.now()), lifecycle: forwardPageLifecycle });
}
