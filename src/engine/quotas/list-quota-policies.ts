import { listQuotaPoliciesInput, type ListQuotaPoliciesResult } from '../../api/quotas.js';
import { decodeCursor, encodeCursor } from '../core/keyset-cursor.js';
import { defineOperation } from '../operation.js';
import { COLUMNS, toInfo, type PolicyRow } from './quota-policy-info.js';

/** Policies ordered by id; the cursor holds the last id of the previous page. */
export const listQuotaPoliciesOp = defineOperation({
  name: 'listQuotaPolicies',
  family: 'quotas',
  kind: 'read',
  summary: 'Every quota policy with its info, ordered by id; `nextCursor` is set while more rows may follow.',
  input: listQuotaPoliciesInput,
  run: ({ ctx, now }, input): ListQuotaPoliciesResult => {
    // Every policy id is non-empty, so '' starts before the first one.
    const [after] = input.cursor === undefined ? [''] : decodeCursor('listQuotaPolicies', input.cursor, ['string']);
    const rows = ctx.db
      .prepare(`SELECT ${COLUMNS} FROM ff_quota_policy WHERE quota_policy_id > :after ORDER BY quota_policy_id LIMIT :limit`)
      .all<PolicyRow>({ after, limit: input.limit });
    const last = rows[rows.length - 1];
    return {
      policies: rows.map((r) => toInfo(ctx, r, now)),
      nextCursor: rows.length === input.limit && last ? encodeCursor('listQuotaPolicies', [last.quota_policy_id]) : null,
    };
  },
});
