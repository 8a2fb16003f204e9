import { errors } from '../../api/errors.js';
import { advanceTimeToInput } from '../../api/time.js';
import { defineOperation } from '../operation.js';
import type { ScannerTickReport } from './clock.js';

export const advanceTimeToOp = defineOperation({
  name: 'advanceTimeTo',
  family: 'time',
  kind: 'control',
  summary: 'Virtual time: jump to `at`, running every scanner tick due on the way. Time never goes backwards.',
  input: advanceTimeToInput,
  run: ({ runtime }, { at }): ScannerTickReport[] => {
    const clock = runtime.manualClock('advanceTimeTo');
    if (at < clock.now()) throw errors.invalid('at', `time never goes backwards: ${at} is before now (${clock.now()})`);
    return runtime.recordTime(clock.advanceTo(at));
  },
});
