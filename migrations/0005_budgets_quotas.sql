-- Budgets (limits per dimension, usage, scheduled resets, usage dedup, the
-- per-execution spend ledger, the budget event outbox) and quotas (policy,
-- sliding admission window, concurrency slots).
--
-- Conventions: see 0001. Budget and quota policy ids are free-form TEXT;
-- execution ids are in wire form. Limits and usage are INTEGER counts.

CREATE TABLE ff_budget_policy (
  budget_id            TEXT    NOT NULL PRIMARY KEY,
  -- What the budget is attached to and how it is enforced; stored as given
  -- and reported back by getBudgetStatus.
  scope_type           TEXT    NOT NULL DEFAULT '',
  scope_id             TEXT    NOT NULL DEFAULT '',
  enforcement_mode     TEXT    NOT NULL DEFAULT '',
  on_hard_limit        TEXT    NOT NULL DEFAULT '',
  on_soft_limit        TEXT    NOT NULL DEFAULT '',
  -- 0 = the budget never resets.
  reset_interval_ms    INTEGER NOT NULL DEFAULT 0,
  -- When the budget_reset scanner next zeroes usage; NULL when
  -- reset_interval_ms is 0. A reset reschedules from the reset time, so
  -- missed periods collapse into one reset.
  next_reset_at_ms     INTEGER,
  reset_count          INTEGER NOT NULL DEFAULT 0,
  last_reset_at_ms     INTEGER,
  -- Lifetime totals: a reset clears last_breach_* but never these counts.
  breach_count         INTEGER NOT NULL DEFAULT 0,
  soft_breach_count    INTEGER NOT NULL DEFAULT 0,
  last_breach_at_ms    INTEGER,
  last_breach_dim      TEXT,
  created_at_ms        INTEGER NOT NULL,
  updated_at_ms        INTEGER NOT NULL
);

-- budget_reset scanner: at most a small batch of lapsed budgets, earliest
-- due first, read from the index alone; also gives the virtual clock the
-- next reset time to advance to.
CREATE INDEX ff_budget_policy_reset_due_idx
  ON ff_budget_policy (next_reset_at_ms, budget_id)
  WHERE next_reset_at_ms IS NOT NULL;

-- Budgets attached to one scope (an execution, a flow, a lane, ...).
CREATE INDEX ff_budget_policy_scope_idx ON ff_budget_policy (scope_type, scope_id);

-- One row per (budget, dimension): its limits and current usage.
-- createBudget writes a row for every declared dimension; reporting usage
-- on an undeclared dimension adds one with no limits.
CREATE TABLE ff_budget_usage (
  budget_id            TEXT    NOT NULL,
  -- The dimension name (FlowFabric's column name).
  dimensions_key       TEXT    NOT NULL,
  -- NULL = the dimension has no such limit and it is left out of the limit
  -- maps; 0 is FlowFabric's "no limit" and is reported as given. Breach
  -- checks only apply a limit > 0, and compare strictly (reaching the limit
  -- exactly is allowed).
  hard_limit           INTEGER,
  soft_limit           INTEGER,
  current_value        INTEGER NOT NULL DEFAULT 0,
  last_reset_at_ms     INTEGER,
  updated_at_ms        INTEGER NOT NULL,
  PRIMARY KEY (budget_id, dimensions_key)
) WITHOUT ROWID;

-- Usage dedup: the outcome of the first report with a key, replayed for
-- repeats until the key expires. Scoped per budget (FlowFabric's keys are
-- global) and swept once expired (FlowFabric's never are).
CREATE TABLE ff_budget_usage_dedup (
  budget_id            TEXT    NOT NULL,
  dedup_key            TEXT    NOT NULL,
  -- The original result as JSON, e.g. {"kind":"SoftBreach",...}.
  outcome_json         TEXT    NOT NULL,
  applied_at_ms        INTEGER NOT NULL,
  expires_at_ms        INTEGER NOT NULL,
  PRIMARY KEY (budget_id, dedup_key)
);

-- Dedup cleanup scanner: expired keys, oldest first.
CREATE INDEX ff_budget_usage_dedup_expiry_idx
  ON ff_budget_usage_dedup (expires_at_ms);

-- What each execution has spent against a budget, per dimension, so
-- releaseBudget can give exactly that back.
CREATE TABLE ff_budget_usage_by_exec (
  budget_id            TEXT    NOT NULL,
  execution_id         TEXT    NOT NULL,
  dimensions_key       TEXT    NOT NULL,
  delta_total          INTEGER NOT NULL DEFAULT 0,
  updated_at_ms        INTEGER NOT NULL,
  -- The (budget_id, execution_id) prefix serves releaseBudget.
  PRIMARY KEY (budget_id, execution_id, dimensions_key)
) WITHOUT ROWID;

-- Budget event outbox: resets, breaches and usage, for subscribers and for
-- the playground's reset history.
CREATE TABLE ff_budget_event (
  event_id             INTEGER PRIMARY KEY AUTOINCREMENT,
  budget_id            TEXT    NOT NULL,
  event_type           TEXT    NOT NULL
                       CHECK (event_type IN ('reset', 'breach', 'soft_breach', 'usage')),
  -- The dimension concerned; NULL for a reset, which covers them all.
  dimension            TEXT,
  -- JSON: usage before/after, limit, next reset time, ...
  details              TEXT    NOT NULL DEFAULT '{}',
  occurred_at_ms       INTEGER NOT NULL
);

-- History of one budget, optionally of one event type (the reset history),
-- in event order.
CREATE INDEX ff_budget_event_budget_idx
  ON ff_budget_event (budget_id, event_type, event_id);

CREATE TABLE ff_quota_policy (
  quota_policy_id      TEXT    NOT NULL PRIMARY KEY,
  requests_per_window_seconds INTEGER NOT NULL DEFAULT 0,
  -- 0 = no rate limit.
  max_requests_per_window     INTEGER NOT NULL DEFAULT 0,
  -- 0 = no concurrency limit.
  active_concurrency_cap      INTEGER NOT NULL DEFAULT 0,
  -- Slots held now: the number of ff_quota_admitted rows of this policy,
  -- kept as a counter so admission does not count them.
  active_concurrency          INTEGER NOT NULL DEFAULT 0,
  created_at_ms        INTEGER NOT NULL,
  updated_at_ms        INTEGER NOT NULL
);

-- Sliding-window log: one row per admission. The rate check counts the rows
-- of a policy newer than now - window.
CREATE TABLE ff_quota_window (
  quota_policy_id      TEXT    NOT NULL,
  -- FlowFabric's admission dimension; '' when the caller gives none.
  dimension            TEXT    NOT NULL DEFAULT '',
  admitted_at_ms       INTEGER NOT NULL,
  execution_id         TEXT    NOT NULL,
  -- admitted_at_ms + the window length at admission: from then on the row
  -- no longer counts and the cleanup scanner may delete it.
  expires_at_ms        INTEGER NOT NULL,
  -- Clustered by policy and time, so the window count and its oldest row
  -- come from one range scan.
  PRIMARY KEY (quota_policy_id, dimension, admitted_at_ms, execution_id)
) WITHOUT ROWID;

-- Window cleanup scanner: rows past their window, oldest first, across all
-- policies.
CREATE INDEX ff_quota_window_expiry_idx ON ff_quota_window (expires_at_ms);

-- Admitted executions: one concurrency slot each, held until released. A
-- present row also makes a repeated checkAdmission answer "already
-- admitted" instead of taking a second slot.
CREATE TABLE ff_quota_admitted (
  quota_policy_id      TEXT    NOT NULL,
  execution_id         TEXT    NOT NULL,
  admitted_at_ms       INTEGER NOT NULL,
  -- When the cleanup scanner frees a slot nobody released (deleting the
  -- row and decrementing active_concurrency together); NULL = held until
  -- releaseAdmission or the execution ends.
  expires_at_ms        INTEGER,
  PRIMARY KEY (quota_policy_id, execution_id)
) WITHOUT ROWID;

-- Cleanup scanner: lapsed slots, oldest first.
CREATE INDEX ff_quota_admitted_expiry_idx
  ON ff_quota_admitted (expires_at_ms)
  WHERE expires_at_ms IS NOT NULL;

-- Releasing every slot an execution holds when it reaches a terminal state.
CREATE INDEX ff_quota_admitted_execution_idx ON ff_quota_admitted (execution_id);
