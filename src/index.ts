/**
 * ff-backend-browser: FlowFabric's dev-only backend, in the browser or in Node.
 * This is the package root: the engine, its contract, and the handle codec.
 */
export { createEngine, Engine, type EngineOptions } from './engine/engine.js';
export { ManualClock, RealClock, type Clock } from './engine/clock.js';
export { randomIds, seededIds, type IdGenerator } from './engine/ids.js';
export type { CommittedEvent, EventChannel, EngineLimits } from './engine/context.js';
export { createSqlJsDriver, loadSqlJs, type SqlJsDriverOptions } from './db/sqljs-driver.js';
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
