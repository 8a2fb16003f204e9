import { nextDueInput } from '../../api/time.js';
import type { DueTick } from '../../scanners/supervisor.js';
import { defineOperation } from '../operation.js';

export const nextDueOp = defineOperation({
  name: 'nextDue',
  family: 'time',
  kind: 'control',
  summary: 'Virtual time: the next scanner tick that would do work (optionally of one scanner), e.g. the next budget reset; `null` when none.',
  input: nextDueInput,
  run: ({ runtime }, { scanner }): DueTick | null => {
    runtime.manualClock('nextDue');
    return runtime.supervisor.nextDue(scanner);
  },
});
