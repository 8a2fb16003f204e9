/**
 * createFlow: insert an `open` flow at graph revision 0. Idempotent on the
 * flow id: creating it again is `already_satisfied` and changes nothing (the
 * stored flow is not compared with the arguments, as in FlowFabric).
 */
import type { z } from 'zod';
import type { CreateFlowResult } from '../../api/flows.js';
import { createFlowInput } from '../../api/flows.js';
import type { EngineContext } from '../core/context.js';
import { defineOperation } from '../operation.js';

export function createFlow(ctx: EngineContext, input: z.output<typeof createFlowInput>, now: number): CreateFlowResult {
  const flowId = input.flowId ?? ctx.ids.uuid();
  const inserted = ctx.db
    .prepare(
      `INSERT INTO ff_flow_core (flow_id, namespace, flow_kind, created_at_ms, raw_fields)
       VALUES (:flowId, :namespace, :flowKind, :now, json_object('last_mutation_at_ms', :now))
       ON CONFLICT (flow_id) DO NOTHING`,
    )
    .run({ flowId, namespace: input.namespace, flowKind: input.flowKind, now });
  return inserted === 0 ? { kind: 'already_satisfied', flowId } : { kind: 'created', flowId };
}

export const createFlowOp = defineOperation({
  name: 'createFlow',
  family: 'flows',
  kind: 'write',
  summary: 'Create a flow (`open`, graph revision 0); creating it again is `already_satisfied`.',
  input: createFlowInput,
  run: ({ ctx, now }, input): CreateFlowResult => createFlow(ctx, input, now),
});
