import { runScannerInput } from '../../api/time.js';
import type { ScannerReport } from '../../scanners/scanner.js';
import { defineOperation } from '../operation.js';

export const runScannerOp = defineOperation({
  name: 'runScanner',
  family: 'time',
  kind: 'control',
  summary: 'Run one tick of a scanner now, outside its schedule; `null` when the tick failed (see `scannerStates`).',
  input: runScannerInput,
  run: ({ runtime }, { scanner }): Promise<ScannerReport | null> => runtime.supervisor.runNow(scanner),
});
