import { errors } from '../../api/errors.js';
import { advanceTimeToInput } from '../../api/time.js';
import { defineOperation } from '../operation.js';
import type { AdvanceResult } from './clock.js';

export const advanceTimeToOp = defineOperation({
  name: 'advanceTimeTo',
  family: 'time',
  kind: 'control',
  summary:
    'Virtual time: jump to `at`, running every scanner tick due on the way. Time never goes backwards. Stopped short, the clock stays at the last tick that ran and `finished` is false.',
  input: advanceTimeToInput,
  run: ({ runtime }, { at, maxTicks, maxWallMs }): AdvanceResult => {
    const clock = runtime.manualClock('advanceTimeTo');
    if (at < clock.now()) throw errors.invalid('at', `time never goes backwards: ${at} is before now (${clock.now()})`);
    return runtime.recordTime(clock.advanceTo(at, { maxTicks, maxWallMs }));
  },
});
