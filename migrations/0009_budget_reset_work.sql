-- Idle budgets cost nothing as time passes. A budget whose usage is zero,
-- with no breach to clear and no spend booked to executions, has nothing to
-- reset: its schedule moves on without the budget_reset scanner touching it
-- (reads compute where the schedule stands; the next write to the budget
-- stores it), so a long jump of virtual time does not tick once per period.
--
-- needs_reset is 1 while a reset would change something. Usage reports and
-- breaches set it, releases and resets recompute it.
ALTER TABLE ff_budget_policy
  ADD COLUMN needs_reset INTEGER NOT NULL DEFAULT 0 CHECK (needs_reset IN (0, 1));

UPDATE ff_budget_policy
   SET needs_reset = (
         last_breach_at_ms IS NOT NULL
         OR EXISTS (SELECT 1 FROM ff_budget_usage u
                     WHERE u.budget_id = ff_budget_policy.budget_id AND u.current_value > 0)
         OR EXISTS (SELECT 1 FROM ff_budget_usage_by_exec x
                     WHERE x.budget_id = ff_budget_policy.budget_id));

-- The scanner's due list and the virtual clock's next reset cover only
-- budgets with something to reset, so idle budgets whose stored schedule
-- fell behind never reach the front of this index.
DROP INDEX ff_budget_policy_reset_due_idx;
CREATE INDEX ff_budget_policy_reset_work_idx
  ON ff_budget_policy (next_reset_at_ms, budget_id)
  WHERE next_reset_at_ms IS NOT NULL AND needs_reset = 1;
