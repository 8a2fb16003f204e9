/**
 * What every engine operation receives: the database, the clock, the id
 * generator, the limits, and the list of events to publish after COMMIT.
 */
import type { Driver } from '../../db/driver.js';
import type { Clock } from '../time/clock.js';
import type { IdGenerator } from './ids.js';

/** Channels of committed events; each names an outbox table. */
export type EventChannel = 'completion' | 'lease' | 'budget' | 'operator' | 'signal' | 'stream' | 'scanner';

export interface CommittedEvent {
  channel: EventChannel;
  /** Outbox event id (the subscription cursor). */
  eventId: number;
}

export interface EngineLimits {
  /** Largest payload or result, in bytes. @default 1048576 (1 MiB) */
  maxPayloadBytes: number;
}

export const DEFAULT_LIMITS: EngineLimits = {
  // Large enough for any realistic dev payload, small enough that one call
  // cannot balloon the persisted image.
  maxPayloadBytes: 1024 * 1024,
};

/**
 * Fault-injection points, for tests only (never set them in an application).
 */
export interface EngineHooks {
  /**
   * Called inside the dispatch transaction of a flow member's completion
   * event, before any hop. A throw rolls that dispatch back: the operation
   * that produced the event stays committed, the event stays undispatched,
   * and the dependency reconciler dispatches it later.
   */
  beforeDispatch?: (eventId: number) => void;
}

export interface EngineContext {
  readonly db: Driver;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly limits: EngineLimits;
  /**
   * True when the engine runs the budget_reset scanner. Idle budgets' schedules
   * then move on with the clock without it (budgets/budget-schedule.ts); with
   * the scanner off nothing resets. @default false
   */
  readonly scheduledBudgetResets?: boolean;
  /**
   * Retention's attempt cap: an execution keeps its first attempt and its
   * newest N. 0 or absent keeps every attempt (retention off).
   */
  readonly attemptsKept?: number;
  /** Testing hooks (see EngineHooks). */
  readonly hooks?: EngineHooks;
  /** Queue an event for delivery once the current transaction commits. */
  emit(event: CommittedEvent): void;
}
