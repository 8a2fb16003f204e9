import { quotaPolicyRef, type QuotaPolicyInfo } from '../../api/quotas.js';
import { defineOperation } from '../operation.js';
import { COLUMNS, toInfo, type PolicyRow } from './quota-policy-info.js';

export const readQuotaPolicyOp = defineOperation({
  name: 'readQuotaPolicy',
  family: 'quotas',
  kind: 'read',
  summary: 'The policy with its limits, the slots held now and the admissions in its current window, or `null`.',
  input: quotaPolicyRef,
  run: ({ ctx, now }, { quotaPolicyId }): QuotaPolicyInfo | null => {
    const row = ctx.db.prepare(`SELECT ${COLUMNS} FROM ff_quota_policy WHERE quota_policy_id = :quotaPolicyId`).get<PolicyRow>({ quotaPolicyId });
    return row ? toInfo(ctx, row, now) : null;
  },
});
