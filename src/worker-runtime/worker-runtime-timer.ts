/**
 * The one timer interface for everything that waits on real time outside
 * the engine: the worker runtime (poll pauses, lease renewals, the stop
 * grace), the worker's persist debounce and its retries, and the client's
 * connect timeout. Each takes a Timer, defaulting to the platform's, so a
 * test passes a ManualTimer and drives it instead of sleeping. The engine's
 * own time is its Clock, a separate thing.
 */
export type TimerId = unknown;

export interface Timer {
  setTimeout(callback: () => void, ms: number): TimerId;
  clearTimeout(id: TimerId): void;
}

/** A Timer that also reads elapsed real time (ms, any origin): what clock playback needs. */
export interface WallTimer extends Timer {
  now(): number;
}

/** The runtime's name for the same interface, kept for the public API. */
export type WorkerRuntimeTimer = Timer;

/** The platform's timers (window, worker or Node). */
export const realTimer: WallTimer = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (id) => globalThis.clearTimeout(id as ReturnType<typeof globalThis.setTimeout>),
};
