import { noInput } from '../../api/time.js';
import { defineOperation } from '../operation.js';
import type { ScannerTickReport } from './clock.js';

export const runDueScannersOp = defineOperation({
  name: 'runDueScanners',
  family: 'time',
  kind: 'control',
  summary: 'Virtual time: run the scanner ticks due now, without moving the clock.',
  input: noInput,
  run: ({ runtime }): ScannerTickReport[] => runtime.recordTime(runtime.manualClock('runDueScanners').runDue()),
});
