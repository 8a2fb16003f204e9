import { executionRef } from '../../api/executions.js';
import type { ExecutionInfo } from '../../api/reads.js';
import { defineOperation } from '../operation.js';
import { EXEC_INFO_COLUMNS, toExecutionInfo, type ExecRow } from './execution-row.js';

export const readExecutionInfoOp = defineOperation({
  name: 'readExecutionInfo',
  family: 'reads',
  kind: 'read',
  summary: 'The state vector, timestamps, attempt counters, tags and capabilities of an execution, or `null`.',
  input: executionRef,
  run: ({ ctx }, { executionId }): ExecutionInfo | null => {
    const row = ctx.db
      .prepare(`SELECT ${EXEC_INFO_COLUMNS} FROM ff_exec_core e WHERE e.execution_id = :executionId`)
      .get<ExecRow>({ executionId });
    return row ? toExecutionInfo(row) : null;
  },
});
