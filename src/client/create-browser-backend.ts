/**
 * createBrowserBackend: the engine in a worker, persisted to IndexedDB,
 * reached from the page through a typed client. See BrowserBackendOptions
 * for the options and their defaults, BrowserBackend for the client.
 */
import { EngineError } from '../api/errors.js';
import { parseInput } from '../api/validate.js';
import { backendConfigInput } from '../worker/protocol.js';
import { lockManager } from '../worker/web-locks.js';
import { realTimer } from '../worker-runtime/worker-runtime-timer.js';
import type { BrowserBackend, BrowserBackendOptions } from './browser-backend.js';
import { connectBackend, DEFAULT_CONNECT_TIMEOUT_MS } from './connect-backend.js';
import { LeaderTopology } from './leader-topology.js';
import { forwardPageLifecycle } from './page-lifecycle.js';
import { reconnectingBackend } from './reconnecting-backend.js';
import { openBrokerPort, openWorkerTransport, resolveWorkerMode } from './worker-transport.js';

const WORKER_MODES = ['auto', 'leader', 'shared', 'dedicated'];

export async function createBrowserBackend(options: BrowserBackendOptions): Promise<BrowserBackend> {
  if ((options as { devMode?: unknown } | undefined)?.devMode !== true) {
    throw new EngineError(
      'validation.invalid_input',
      'ff-backend-browser is a dev-only backend: pass { devMode: true } to createBrowserBackend to acknowledge it (the analogue of FF_DEV_MODE=1). Never use it in production.',
      { field: 'devMode' },
    );
  }
  const { devMode: _devMode, worker = 'auto', connectTimeoutMs, ...config } = options;
  if (!WORKER_MODES.includes(worker)) throw new EngineError('validation.invalid_input', `worker: expected 'auto', 'leader', 'shared' or 'dedicated'`, { field: 'worker' });
  // Checked here too, so a typo fails in the page before a worker is started.
  parseInput('createBrowserBackend', backendConfigInput, config);
  const timeoutMs = connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const mode = resolveWorkerMode(worker);
  if (mode === 'leader') return openLeader(config, timeoutMs);
  // One budget for both steps: the worker starting, then answering `open`.
  const deadline = Date.now() + timeoutMs;
  const transport = await openWorkerTransport(config.name, mode, deadline - Date.now());
  return connectBackend(transport, config, { connectTimeoutMs: Math.max(1, deadline - Date.now()), lifecycle: forwardPageLifecycle });
}

async function openLeader(config: Omit<BrowserBackendOptions, 'devMode' | 'worker' | 'connectTimeoutMs'>, connectTimeoutMs: number): Promise<BrowserBackend> {
  const locks = lockManager();
  if (!locks) throw new EngineError('unavailable', "createBrowserBackend: worker 'leader' needs Web Locks, which this browser lacks (use 'auto')", { option: 'worker' });
  const topology = await LeaderTopology.start({
    config,
    locks,
    timer: realTimer,
    startEngine: (timeoutMs) => openWorkerTransport(config.name, 'leader', timeoutMs),
    openBroker: (timeoutMs) => openBrokerPort(config.name, timeoutMs),
    newChannel: () => new MessageChannel(),
    lifecycle: forwardPageLifecycle,
  });
  return reconnectingBackend({ open: (timeoutMs) => topology.open(timeoutMs), dispose: () => topology.dispose(), connectTimeoutMs, timer: realTimer });
}
