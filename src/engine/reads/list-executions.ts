/**
 * listExecutions: executions oldest first, filtered by lane, public state,
 * namespace and/or a piece of the id, with keyset pagination (the cursor is the last row's
 * creation time and id, so pages stay stable while rows are added).
 */
import type { z } from 'zod';
import type { ListExecutionsResult } from '../../api/reads.js';
import { listExecutionsInput } from '../../api/reads.js';
import type { EngineContext } from '../core/context.js';
import { decodeCursor, encodeCursor } from '../core/keyset-cursor.js';
import { EXEC_INFO_COLUMNS, toExecutionInfo, type ExecRow } from './execution-row.js';
import { defineOperation } from '../operation.js';

export function listExecutions(ctx: EngineContext, input: z.output<typeof listExecutionsInput>): ListExecutionsResult {
  const where: string[] = [];
  const params: Record<string, string | number> = { limit: input.limit };
  if (input.laneId !== undefined) {
    where.push('e.lane_id = :laneId');
    params['laneId'] = input.laneId;
  }
  if (input.publicState !== undefined) {
    where.push('e.public_state = :publicState');
    params['publicState'] = input.publicState;
  }
  if (input.namespace !== undefined) {
    where.push('e.namespace = :namespace');
    params['namespace'] = input.namespace;
  }
  if (input.search !== undefined) {
    // A substring, not a prefix: ids start with the partition tag ('{fp:0}:'), which people neither see nor type.
    // Parameterised instr(), not LIKE, so '%' and '_' in the text are matched as themselves.
    where.push('instr(lower(e.execution_id), :search) > 0');
    params['search'] = asciiLower(input.search);
  }
  if (input.cursor !== undefined) {
    const [afterCreated, afterId] = decodeCursor('listExecutions', input.cursor, ['number', 'string']);
    where.push('(e.created_at_ms, e.execution_id) > (:afterCreated, :afterId)');
    params['afterCreated'] = afterCreated;
    params['afterId'] = afterId;
  }
  const sql = `SELECT ${EXEC_INFO_COLUMNS} FROM ff_exec_core e
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY e.created_at_ms, e.execution_id LIMIT :limit`;
  const rows = ctx.db.prepare(sql).all<ExecRow>(params);
  const last = rows[rows.length - 1];
  return {
    executions: rows.map(toExecutionInfo),
    nextCursor: rows.length === input.limit && last ? encodeCursor('listExecutions', [last.created_at_ms, last.execution_id]) : null,
  };
}

/** SQLite's lower() folds ASCII only; fold the search text the same way so both sides agree. */
function asciiLower(text: string): string {
  return text.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

export const listExecutionsOp = defineOperation({
  name: 'listExecutions',
  family: 'reads',
  kind: 'read',
  summary: 'Executions, oldest first, filtered by lane, public state, namespace or a piece of the id; `nextCursor` is set while more rows may follow.',
  input: listExecutionsInput,
  run: ({ ctx }, input): ListExecutionsResult => listExecutions(ctx, input),
});
