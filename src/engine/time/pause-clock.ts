import { noInput } from '../../api/time.js';
import { defineOperation } from '../operation.js';
import type { PlaybackState } from './clock-player.js';

export const pauseClockOp = defineOperation({
  name: 'pauseClock',
  family: 'time',
  kind: 'control',
  summary: 'Virtual time: stop playing, after moving time up to the present.',
  input: noInput,
  run: ({ runtime }): PlaybackState => {
    runtime.manualClock('pauseClock');
    return runtime.player!.pause();
  },
});
