import { noInput } from '../../api/time.js';
import { defineOperation } from '../operation.js';
import type { PlaybackState } from './clock-player.js';

export const clockStateOp = defineOperation({
  name: 'clockState',
  family: 'time',
  kind: 'control',
  summary: "The clock's mode (`virtual` or `real`), its reading, and whether it is playing and at what rate.",
  input: noInput,
  run: ({ runtime, now }): PlaybackState => runtime.player?.state() ?? { mode: 'real', now, playing: true, rate: 1 },
});
