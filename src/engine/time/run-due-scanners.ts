import { noInput } from '../../api/time.js';
import { defineOperation } from '../operation.js';
import type { AdvanceResult } from './clock.js';

export const runDueScannersOp = defineOperation({
  name: 'runDueScanners',
  family: 'time',
  kind: 'control',
  summary: 'Virtual time: run the scanner ticks due now, without moving the clock (the same result as advanceTime).',
  input: noInput,
  run: ({ runtime }): AdvanceResult => runtime.recordTime(runtime.manualClock('runDueScanners').runDue()),
});
