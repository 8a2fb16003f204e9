/**
 * The Engine methods a page may call across the worker boundary, as an
 * explicit list: the worker refuses any other name, so engine internals
 * (the driver, commit listeners, private helpers) are never reachable.
 *
 * The list is checked against the Engine class at compile time: a new public
 * Engine method that is missing here fails `tsc` with its name, and one that
 * no longer exists fails too. Add it to REMOTE_ENGINE_METHODS (or, for an
 * internal one, to EngineInternal).
 */
import type { Engine } from '../engine/engine.js';

/** Engine members that stay in the worker: its plumbing, and what the backend replaces (exportImage → exportSnapshot, close → client close). */
type EngineInternal = 'driver' | 'clock' | 'schemaVersion' | 'startScanners' | 'onCommit' | 'onScannerReport' | 'exportImage' | 'close';

type MethodNames<T> = { [K in keyof T]: T[K] extends (...args: never[]) => unknown ? K : never }[keyof T];

/** Names of the Engine methods available through the browser backend. */
export type RemoteEngineMethod = Exclude<MethodNames<Engine>, EngineInternal>;

/** Every remote Engine method, returning a promise of what it returns in-process. */
export type RemoteEngine = {
  [K in RemoteEngineMethod]: (...args: Parameters<Engine[K]>) => Promise<Awaited<ReturnType<Engine[K]>>>;
};

export const REMOTE_ENGINE_METHODS = [
  // executions
  'createExecution',
  'createExecutions',
  'claim',
  'renewLease',
  'progress',
  'completeExecution',
  'failExecution',
  'delay',
  // reads
  'readExecutionState',
  'readExecutionInfo',
  'getExecutionResult',
  'describeExecution',
  'listExecutions',
  'listLanes',
  'readEvents',
  // budgets and quotas
  'createBudget',
  'resetBudget',
  'getBudgetStatus',
  'listBudgets',
  'listBudgetEvents',
  'reportUsage',
  'reportUsageAdmin',
  'recordSpend',
  'releaseBudget',
  'createQuotaPolicy',
  'checkAdmission',
  'releaseAdmission',
  'readQuotaPolicy',
  'listQuotaPolicies',
  // workers, expired leases and reclaim
  'registerWorker',
  'heartbeatWorker',
  'markWorkerDead',
  'listWorkers',
  'listExpiredLeases',
  'issueReclaimGrant',
  'reclaimExecution',
  // flows, dependencies and operator ops
  'createFlow',
  'addExecutionToFlow',
  'stageDependencyEdge',
  'applyDependencyToChild',
  'setEdgeGroupPolicy',
  'evaluateFlowEligibility',
  'describeFlow',
  'listFlows',
  'listEdges',
  'describeEdge',
  'cancelFlow',
  'ackCancelMember',
  'cancelExecution',
  'replayExecution',
  // scanners and virtual time
  'scannerStates',
  'runScanner',
  'shutdown',
  'now',
  'advanceTime',
  'advanceTimeTo',
  'runDueScanners',
  'nextDue',
] as const satisfies readonly RemoteEngineMethod[];

/** Compile-time proof that the list names every remote method (see the file comment). */
type Missing = Exclude<RemoteEngineMethod, (typeof REMOTE_ENGINE_METHODS)[number]>;
const listIsComplete: [Missing] extends [never] ? true : { missingFromRemoteEngineMethods: Missing } = true;
void listIsComplete;

const REMOTE = new Set<string>(REMOTE_ENGINE_METHODS);

export function isRemoteEngineMethod(name: unknown): name is RemoteEngineMethod {
  return typeof name === 'string' && REMOTE.has(name);
}
