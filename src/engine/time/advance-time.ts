import { advanceTimeInput } from '../../api/time.js';
import { defineOperation } from '../operation.js';
import type { ScannerTickReport } from './clock.js';

export const advanceTimeOp = defineOperation({
  name: 'advanceTime',
  family: 'time',
  kind: 'control',
  summary: 'Virtual time: move forward by `ms`, running every scanner tick that falls due on the way.',
  input: advanceTimeInput,
  run: ({ runtime }, { ms }): ScannerTickReport[] => runtime.recordTime(runtime.manualClock('advanceTime').advance(ms)),
});
