/**
 * The one rule for a runnable execution that waits only for time: claimable
 * now (`eligible_now` / `waiting`), or `delayed` until `until`. Create,
 * retry, delay and dependency unblocking all write their state from here;
 * the promotion of due rows (claim and the delayed_promotion scanner) writes
 * the "now" half with PROMOTE_DUE_SET.
 */
import type { BlockingReason, EligibilityState, PublicState } from '../../api/states.js';

export interface ReadyState {
  eligibility: EligibilityState;
  publicState: PublicState;
  blocking: BlockingReason;
  eligibleAt: number | null;
}

export function readyAt(until: number | null | undefined, now: number): ReadyState {
  const delayed = until !== null && until !== undefined && until > now;
  return {
    eligibility: delayed ? 'not_eligible_until_time' : 'eligible_now',
    publicState: delayed ? 'delayed' : 'waiting',
    blocking: delayed ? 'waiting_for_delay' : 'waiting_for_worker',
    eligibleAt: delayed ? until : null,
  };
}

/** SET clause moving a due `not_eligible_until_time` row to claimable (readyAt's "now" half). */
export const PROMOTE_DUE_SET = `eligibility_state = 'eligible_now', public_state = 'waiting',
              blocking_reason = 'waiting_for_worker', eligible_at_ms = NULL`;
