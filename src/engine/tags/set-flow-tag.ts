/**
 * setFlowTag (FlowFabric's set_flow_tag): set one tag of a flow, a flat
 * member of the flow's `raw_fields` document (tag keys always contain a dot,
 * so they never collide with the engine's own members). A flow's
 * `cairn.instance_id` tag is the instance tag of the flow-level operator
 * events (`flow_cancel_requested`). An unknown flow is `not_found`.
 */
import type { z } from 'zod';
import { errors } from '../../api/errors.js';
import { setFlowTagInput, type SetTagResult } from '../../api/tags.js';
import type { EngineContext } from '../core/context.js';
import { tagPath } from './tag-path.js';
import { defineOperation } from '../operation.js';

export function setFlowTag(ctx: EngineContext, input: z.output<typeof setFlowTagInput>): SetTagResult {
  const path = tagPath(input.key);
  const row = ctx.db
    .prepare('SELECT json_extract(raw_fields, :path) AS previous FROM ff_flow_core WHERE flow_id = :flowId')
    .get<{ previous: unknown }>({ flowId: input.flowId, path });
  if (!row) throw errors.notFound('flow', input.flowId);
  ctx.db.prepare('UPDATE ff_flow_core SET raw_fields = json_set(raw_fields, :path, :value) WHERE flow_id = :flowId').run({
    flowId: input.flowId,
    path,
    value: input.value,
  });
  return { key: input.key, value: input.value, previousValue: row.previous === null ? null : String(row.previous) };
}

export const setFlowTagOp = defineOperation({
  name: 'setFlowTag',
  family: 'tags',
  kind: 'write',
  summary: 'Set one tag of a flow (a flat dotted key such as `cairn.archived`).',
  input: setFlowTagInput,
  run: ({ ctx }, input): SetTagResult => setFlowTag(ctx, input),
});
