/**
 * readSuspension: an execution's current (or last satisfied) suspension:
 * its condition, its timeout and how many signals it has received, for a
 * UI that shows what a suspended execution waits for and when it times
 * out. null when the execution has no suspension (never suspended, resumed
 * by the operator, or ended by its timeout).
 */
import type { z } from 'zod';
import { readSuspensionInput, type SuspensionInfo, type TimeoutBehavior } from '../../api/suspension.js';
import type { EngineContext } from '../core/context.js';
import { defineOperation } from '../operation.js';
import { parseCondition, parseMemberMap } from './member-map.js';

interface Row {
  suspension_id: string;
  reason_code: string;
  condition: string;
  member_map: string;
  suspended_at_ms: number;
  satisfied_at_ms: number | null;
  timeout_at_ms: number | null;
  timeout_behavior: string;
}

export function readSuspension(ctx: EngineContext, input: z.output<typeof readSuspensionInput>): SuspensionInfo | null {
  const { executionId } = input;
  const row = ctx.db
    .prepare(
      `SELECT suspension_id, reason_code, condition, member_map, suspended_at_ms, satisfied_at_ms, timeout_at_ms, timeout_behavior
         FROM ff_suspension_current WHERE execution_id = :executionId`,
    )
    .get<Row>({ executionId });
  if (!row) return null;
  const map = parseMemberMap(row.member_map, executionId);
  return {
    executionId,
    suspensionId: row.suspension_id,
    reasonCode: row.reason_code,
    resumeCondition: parseCondition(row.condition, executionId),
    suspendedAtMs: row.suspended_at_ms,
    satisfiedAtMs: row.satisfied_at_ms,
    timeoutAtMs: row.timeout_at_ms,
    timeoutBehavior: (row.timeout_behavior === 'auto_resume_with_timeout_signal' ? 'resume' : row.timeout_behavior) as TimeoutBehavior,
    signalsReceived: Object.values(map).reduce((n, signals) => n + signals.length, 0),
  };
}

export const readSuspensionOp = defineOperation({
  name: 'readSuspension',
  family: 'suspension',
  kind: 'read',
  summary: "An execution's suspension: its resume condition, timeout and behaviour, and signals received so far; `null` when it has none.",
  input: readSuspensionInput,
  run: ({ ctx }, input): SuspensionInfo | null => readSuspension(ctx, input),
});
