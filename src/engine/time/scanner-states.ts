import { noInput } from '../../api/time.js';
import type { ScannerState } from '../../scanners/supervisor.js';
import { defineOperation } from '../operation.js';

export const scannerStatesOp = defineOperation({
  name: 'scannerStates',
  family: 'time',
  kind: 'control',
  summary: "Each scanner's interval, whether it is enabled or running, its last tick, report and error, and its tick count.",
  input: noInput,
  run: ({ runtime }): ScannerState[] => runtime.supervisor.states(),
});
