/**
 * The Engine methods a page may call across the worker boundary: exactly
 * the operations of the table (src/engine/operations.ts). The worker refuses
 * any other name, so engine internals (the driver, commit listeners, image
 * export, close) are never reachable, and a new operation is remote as soon
 * as it is in the table.
 */
import type { EngineMethods, OperationName } from '../engine/engine.js';
import type { AsyncMethods } from '../engine/operation.js';
import { OPERATIONS } from '../engine/operations.js';

/** Names of the Engine methods available through the browser backend. */
export type RemoteEngineMethod = OperationName;

/** Every remote Engine method, returning a promise of what it returns in-process. */
export type RemoteEngine = AsyncMethods<EngineMethods>;

export const REMOTE_ENGINE_METHODS: readonly RemoteEngineMethod[] = OPERATIONS.map((op) => op.name);

const REMOTE = new Set<string>(REMOTE_ENGINE_METHODS);

/**
 * The `wait` operations (tailStream): the client sends each in a message of
 * its own, since a batch is answered once all of its calls are, and a wait
 * may take seconds.
 */
export const WAITING_ENGINE_METHODS: ReadonlySet<string> = new Set(OPERATIONS.filter((op) => op.kind === 'wait').map((op) => op.name));

/**
 * The operations a batch may run as one group (Engine.runGrouped): reads and writes. The others (control
 * operations that drive time and run the scanners, waits) manage their own transactions and timing.
 */
export const GROUPABLE_ENGINE_METHODS: ReadonlySet<string> = new Set(OPERATIONS.filter((op) => op.kind === 'read' || op.kind === 'write').map((op) => op.name));

export function isRemoteEngineMethod(name: unknown): name is RemoteEngineMethod {
  return typeof name === 'string' && REMOTE.has(name);
}
