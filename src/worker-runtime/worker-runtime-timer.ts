/**
 * The runtime's only source of waiting: poll pauses, lease renewals and the
 * stop grace all go through one injectable timer, so a test can drive the
 * runtime step by step (see ManualTimer) instead of sleeping.
 */
export type TimerId = unknown;

export interface WorkerRuntimeTimer {
  setTimeout(callback: () => void, ms: number): TimerId;
  clearTimeout(id: TimerId): void;
}

/** The platform's timers (window, worker or Node). */
export const realTimer: WorkerRuntimeTimer = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (id) => globalThis.clearTimeout(id as ReturnType<typeof globalThis.setTimeout>),
};
