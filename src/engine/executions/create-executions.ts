import { createExecutionsInput, type CreateExecutionsResult } from '../../api/executions.js';
import { checkPayloadSize } from '../core/payload.js';
import { defineOperation } from '../operation.js';
import { createExecution } from './create-execution.js';

export const createExecutionsOp = defineOperation({
  name: 'createExecutions',
  family: 'executions',
  kind: 'write',
  summary: 'Create many executions in one transaction: all of them or none.',
  input: createExecutionsInput,
  run: ({ ctx, now }, input): CreateExecutionsResult => {
    input.executions.forEach((e, i) => checkPayloadSize(`executions.${i}.payload`, e.payload, ctx.limits.maxPayloadBytes));
    return { kind: 'created_batch', results: input.executions.map((e) => createExecution(ctx, e, now)) };
  },
});
