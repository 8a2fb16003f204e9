/**
 * observeSignals: the signals that count toward the execution's resume
 * condition (the timeout signal of a `resume` timeout included), by
 * waitpoint key in key order, in delivery order within a key. Signals the
 * condition does not want are left out (FlowFabric's SQLite backend returns
 * them all). Takes the worker's handle, stale or not: it reads, it changes
 * nothing, so it is not fenced.
 */
import type { z } from 'zod';
import { observeSignalsInput, type ResumeSignal } from '../../api/suspension.js';
import type { EngineContext } from '../core/context.js';
import { assertOwnBackend } from '../executions/fence.js';
import { defineOperation } from '../operation.js';
import { parseCondition, parseMemberMap, toResumeSignal } from './member-map.js';
import { isMatched } from './resume-condition.js';

export function observeSignals(ctx: EngineContext, input: z.output<typeof observeSignalsInput>): ResumeSignal[] {
  assertOwnBackend(input.handle);
  const { executionId } = input.handle;
  const row = ctx.db
    .prepare('SELECT condition, member_map FROM ff_suspension_current WHERE execution_id = :executionId')
    .get<{ condition: string; member_map: string }>({ executionId });
  if (!row) return [];
  const condition = parseCondition(row.condition, executionId);
  const map = parseMemberMap(row.member_map, executionId);
  return Object.keys(map)
    .sort()
    .flatMap((key) => map[key]!.filter((s) => isMatched(condition, key, s)).map((s) => toResumeSignal(key, s)));
}

export const observeSignalsOp = defineOperation({
  name: 'observeSignals',
  family: 'suspension',
  kind: 'read',
  summary: "The signals that matched the execution's resume condition (by waitpoint key, in delivery order); not fenced.",
  input: observeSignalsInput,
  run: ({ ctx }, input): ResumeSignal[] => observeSignals(ctx, input),
});
