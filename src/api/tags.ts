/**
 * Execution and flow tags: flat dotted keys such as `cairn.session_id`,
 * stored as one member each (never nested). A key is a lowercase namespace,
 * a dot, then lowercase letters, digits, `_` and further dots, e.g.
 * `cairn.instance_id` or `app.run.v2`; anything else is
 * `validation.invalid_input`.
 *
 * The tag `cairn.instance_id` is the instance tag: every outbox event written
 * about the execution from then on carries its value (`instanceTag`), and
 * subscriptions filter on it.
 */
import { z } from 'zod';
import { executionId, uuid } from './common.js';

/** FlowFabric's tag-key rule. */
export const TAG_KEY_PATTERN = /^[a-z][a-z0-9_]*\.[a-z0-9_][a-z0-9_.]*$/;

export const tagKey = z
  .string()
  .max(256, 'must be at most 256 characters')
  .regex(TAG_KEY_PATTERN, "must be a dotted key: a lowercase namespace, '.', then [a-z0-9_.] (e.g. 'cairn.session_id')");

export const tagValue = z.string().max(4096, 'tag values must be at most 4096 characters');

export const setExecutionTagInput = z.strictObject({ executionId, key: tagKey, value: tagValue });
export type SetExecutionTagInput = z.input<typeof setExecutionTagInput>;
export const getExecutionTagInput = z.strictObject({ executionId, key: tagKey });
export type GetExecutionTagInput = z.input<typeof getExecutionTagInput>;

export const setFlowTagInput = z.strictObject({ flowId: uuid, key: tagKey, value: tagValue });
export type SetFlowTagInput = z.input<typeof setFlowTagInput>;
export const getFlowTagInput = z.strictObject({ flowId: uuid, key: tagKey });
export type GetFlowTagInput = z.input<typeof getFlowTagInput>;

export interface SetTagResult {
  key: string;
  value: string;
  /** The value it replaced, or null when the key was new. */
  previousValue: string | null;
}
