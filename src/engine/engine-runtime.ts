/**
 * What the engine hands its control operations (time and scanners): the
 * scanner supervisor, the ManualClock when there is one, clock playback, and
 * a way to record virtual time in the database.
 */
import { errors } from '../api/errors.js';
import type { ScannerSupervisor } from '../scanners/supervisor.js';
import type { WallTimer } from '../worker-runtime/worker-runtime-timer.js';
import type { EngineRuntime } from './operation.js';
import { ManualClock, type Clock } from './time/clock.js';
import { ClockPlayer } from './time/clock-player.js';

export function createEngineRuntime(
  clock: Clock,
  supervisor: ScannerSupervisor,
  timer: WallTimer,
  recordNow: (now: number) => void,
  waits: Pick<EngineRuntime, 'nextCommit' | 'read'>,
): EngineRuntime {
  // Virtual time is kept in the database, so a reload or an import resumes from it.
  const recordTime = <T>(value: T): T => {
    recordNow(clock.now());
    return value;
  };
  const player =
    clock instanceof ManualClock
      ? new ClockPlayer(
          timer,
          (ms) => recordTime(clock.advance(ms)),
          () => clock.now(),
          (error) => console.warn('[ff-backend-browser] clock playback stopped:', error),
        )
      : null;
  return {
    supervisor,
    player,
    recordTime,
    ...waits,
    manualClock: (op) => {
      if (!(clock instanceof ManualClock)) throw errors.unavailable(op, 'the engine runs on a real clock; create it with a ManualClock for virtual time');
      return clock;
    },
  };
}
