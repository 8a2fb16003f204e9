import { playClockInput } from '../../api/time.js';
import { defineOperation } from '../operation.js';
import type { PlaybackState } from './clock-player.js';

export const playClockOp = defineOperation({
  name: 'playClock',
  family: 'time',
  kind: 'control',
  summary: 'Virtual time: follow real time at `rate` (default 1) until paused; one play state per engine, shared by every client.',
  input: playClockInput,
  run: ({ runtime }, { rate }): PlaybackState => {
    runtime.manualClock('playClock');
    return runtime.player!.play(rate ?? 1);
  },
});
