import type { PublicState } from '../../api/states.js';
import { executionRef } from '../../api/executions.js';
import { defineOperation } from '../operation.js';

export const readExecutionStateOp = defineOperation({
  name: 'readExecutionState',
  family: 'reads',
  kind: 'read',
  summary: 'The public state of an execution, or `null` when there is none.',
  input: executionRef,
  run: ({ ctx }, { executionId }): PublicState | null => {
    const row = ctx.db
      .prepare('SELECT public_state FROM ff_exec_core WHERE execution_id = :executionId')
      .get<{ public_state: PublicState }>({ executionId });
    return row ? row.public_state : null;
  },
});
