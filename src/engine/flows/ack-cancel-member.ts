/**
 * ackCancelMember: take a member out of its flow's cancel backlog (a worker
 * or operator acknowledging a `let_active_finish` cancel). The header goes
 * when its last member does. Acking a member that is not in the backlog is
 * `not_in_backlog` and changes nothing. The member's own state is never
 * changed here: it keeps running until it ends, and cancelExecution stops it
 * sooner.
 */
import type { z } from 'zod';
import type { AckCancelMemberResult } from '../../api/flows.js';
import { ackCancelMemberInput } from '../../api/flows.js';
import type { EngineContext } from '../core/context.js';
import { deleteBacklogHeaderIfEmpty } from './dispatch-completion.js';
import { defineOperation } from '../operation.js';

export function ackCancelMember(ctx: EngineContext, input: z.output<typeof ackCancelMemberInput>): AckCancelMemberResult {
  const removed = ctx.db
    .prepare('DELETE FROM ff_cancel_backlog_member WHERE flow_id = :flowId AND execution_id = :executionId')
    .run({ flowId: input.flowId, executionId: input.executionId });
  if (removed === 0) return { kind: 'not_in_backlog' };
  return { kind: 'acked', remainingMembers: deleteBacklogHeaderIfEmpty(ctx, input.flowId) };
}

export const ackCancelMemberOp = defineOperation({
  name: 'ackCancelMember',
  family: 'flows',
  kind: 'write',
  summary: 'Take a member out of its flow\'s cancel backlog.',
  input: ackCancelMemberInput,
  run: ({ ctx }, input): AckCancelMemberResult => ackCancelMember(ctx, input),
});
