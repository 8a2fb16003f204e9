import { advanceTimeInput } from '../../api/time.js';
import { defineOperation } from '../operation.js';
import type { AdvanceResult } from './clock.js';

export const advanceTimeOp = defineOperation({
  name: 'advanceTime',
  family: 'time',
  kind: 'control',
  summary:
    'Virtual time: move forward by `ms`, running every scanner tick that falls due on the way. Stopped short (by `maxTicks`, `maxWallMs` or the safety cap), the clock stays at the last tick that ran and `finished` is false.',
  input: advanceTimeInput,
  run: ({ runtime }, { ms, maxTicks, maxWallMs }): AdvanceResult =>
    runtime.recordTime(runtime.manualClock('advanceTime').advance(ms, { maxTicks, maxWallMs })),
});
