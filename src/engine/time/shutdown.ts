import { shutdownInput } from '../../api/time.js';
import { defineOperation } from '../operation.js';

export const shutdownOp = defineOperation({
  name: 'shutdown',
  family: 'time',
  kind: 'control',
  summary: 'Stop the scanners, waiting up to `graceMs` for a running tick; returns how many ticks did not finish.',
  input: shutdownInput,
  run: ({ runtime }, { graceMs }): Promise<number> => runtime.supervisor.shutdown(graceMs ?? 0),
});
