/**
 * ff-backend-browser: FlowFabric's dev-only backend, in the browser or in Node.
 * This is the package root: the engine, its contract, and the handle codec.
 */
export { createEngine, type EngineOptions } from './engine/create-engine.js';
export { Engine, type EngineMethods, type OperationName } from './engine/engine.js';
export { createEngineTemplate, type EngineTemplate, type EngineTemplateOptions } from './engine/engine-template.js';
export { ManualClock, RealClock, type Clock } from './engine/time/clock.js';
export type { PlaybackState } from './engine/time/clock-player.js';
export { SCANNER_NAMES, type ScannerName } from './scanners/scanner.js';
export type { Timer, WallTimer } from './worker-runtime/worker-runtime-timer.js';
export { randomIds, seededIds, type IdGenerator } from './engine/core/ids.js';
export type { CommittedEvent, EventChannel, EngineLimits } from './engine/core/context.js';
export { createSqlJsDriver, loadSqlJs, type SqlJsDriverOptions, type SqlJsInitOptions, type SqlJsModule } from './db/sqljs-driver.js';
export type { Driver, Statement, Params, SqlValue } from './db/driver.js';
export { migrate, type MigrationFile, type MigrationReport } from './db/migrate.js';
export { migrationFiles } from './db/migration-files.js';
export { EngineError, isEngineError, type EngineErrorCode, type ErrorDetails } from './api/errors.js';
export type { ValidationIssue } from './api/validate.js';
export { encodeHandle, decodeHandle } from './api/handle-codec.js';
export type { Handle, HandleKind, BackendTag } from './api/handle.js';
export type { Payload } from './api/common.js';
export * from './api/states.js';
export type * from './api/executions.js';
export type * from './api/reads.js';
export type * from './api/budgets.js';
export type * from './api/quotas.js';
export type * from './api/workers.js';
export type * from './api/reclaim.js';
export type * from './api/flows.js';
export type * from './api/operator.js';
export type * from './api/claim-grants.js';
export { TAG_KEY_PATTERN } from './api/tags.js';
export type * from './api/tags.js';
export type * from './api/suspension.js';
export type * from './api/streams.js';
export { STREAM_READ_HARD_CAP, MAX_TAIL_BLOCK_MS, SUMMARY_NULL_SENTINEL } from './api/streams.js';
export type { EngineHooks } from './engine/core/context.js';
// The worker runtime: the claim → handler → complete/fail loop, with lease renewal and a draining stop.
export {
  createWorkerRuntime,
  ManualTimer,
  PermanentError,
  type JobContext,
  type JobHandler,
  type JobRef,
  type WorkerRuntime,
  type WorkerRuntimeClient,
  type WorkerRuntimeError,
  type WorkerRuntimeEvent,
  type WorkerRuntimeListener,
  type WorkerRuntimeOptions,
  type WorkerRuntimeStatus,
  type WorkerRuntimeTimer,
} from './worker-runtime/create-worker-runtime.js';
export { OPERATOR_EVENT_TYPES } from './api/events.js';
export type * from './api/events.js';
export type * from './api/subscriptions.js';
export { SUBSCRIPTIONS, type SubscriptionName, type SubscriptionMethods, type EventCallback } from './engine/outbox/subscriptions.js';
// The browser backend: the engine in a (Shared)Worker behind comlink, persisted to IndexedDB.
export { createBrowserBackend } from './client/create-browser-backend.js';
export { advanceInSlices, type AdvanceTarget, type AdvanceInSlicesOptions, type SliceProgress, type SlicedAdvanceResult } from './client/advance-in-slices.js';
export { backendOptionsFromUrl, type BackendOptionsFromUrl, type UrlSwitchDefaults } from './client/options-from-url.js';
export { connectBackend, type BackendTransport, type ConnectOptions } from './client/connect-backend.js';
export type { BrowserBackend, BrowserBackendExtras, BrowserBackendOptions, BrowserBackendStatus, Subscription } from './client/browser-backend.js';
export type {
  BackendChannel,
  BackendEvent,
  BackendStatus,
  FlushResult,
  HostKind,
  PersistenceMode,
  ScannerEvent,
  Snapshot,
  SubscribeOptions,
  SubscriptionInfo,
} from './worker/protocol.js';
export type { RemoteEngine, RemoteEngineMethod } from './worker/remote-methods.js';
