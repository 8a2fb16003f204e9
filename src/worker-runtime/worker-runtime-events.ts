/**
 * What a worker runtime reports as it works, for logs and activity UIs.
 * Every event is plain data (structured-cloneable) except `error.error`,
 * which is the thrown value as caught.
 */
import type { FailureClass } from '../api/states.js';

/** Which job an event is about. */
export interface JobRef {
  executionId: string;
  laneId: string;
  attemptIndex: number;
}

export type WorkerRuntimeEvent =
  /** A lease was acquired; the handler is about to run. */
  | ({ type: 'claimed' } & JobRef)
  /** The handler returned and the execution is `completed`. */
  | ({ type: 'completed' } & JobRef)
  /** The handler threw; the execution will be retried at `delayUntil`. */
  | ({ type: 'retry_scheduled'; reason: string; failureClass: FailureClass; delayUntil: number; retryCount: number } & JobRef)
  /** The handler threw; the execution ended `failed` (permanent failure, or no retries left). */
  | ({ type: 'failed'; reason: string; failureClass: FailureClass } & JobRef)
  /** The handler handed the execution back with `job.delay()`. */
  | ({ type: 'delayed'; delayUntil: number } & JobRef)
  /** The handler suspended the execution with `job.suspend()`. */
  | ({ type: 'suspended'; suspensionId: string; waitpointIds: string[] } & JobRef)
  /** The backend refused the handle (expired, stale, revoked, not active): the job's work is abandoned. */
  | ({ type: 'lease_lost'; code: string; message: string } & JobRef)
  /** A backend call failed for another reason; the runtime keeps going. `job` is absent for claim errors. */
  | { type: 'error'; op: WorkerRuntimeOp; message: string; code: string | null; error: unknown; job?: JobRef };

export type WorkerRuntimeEventType = WorkerRuntimeEvent['type'];

/** The backend calls the runtime makes, as named in `error` events. */
export type WorkerRuntimeOp =
  | 'claim'
  | 'describeExecution'
  | 'renewLease'
  | 'completeExecution'
  | 'failExecution';

export type WorkerRuntimeListener = (event: WorkerRuntimeEvent) => void;
