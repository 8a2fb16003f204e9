import type { Payload } from '../../api/common.js';
import { executionRef } from '../../api/executions.js';
import { readPayload } from '../core/payload.js';
import { defineOperation } from '../operation.js';

export const getExecutionResultOp = defineOperation({
  name: 'getExecutionResult',
  family: 'reads',
  kind: 'read',
  summary: 'The result payload of an execution (bytes or text, as given), or `null`.',
  input: executionRef,
  run: ({ ctx }, { executionId }): Payload | null => {
    const row = ctx.db.prepare('SELECT result FROM ff_exec_core WHERE execution_id = :executionId').get<{ result: unknown }>({ executionId });
    return row ? readPayload(row.result) : null;
  },
});
