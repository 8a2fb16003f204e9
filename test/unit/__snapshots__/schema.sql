-- index ff_attempt_lease_expiry_idx
CREATE INDEX ff_attempt_lease_expiry_idx
  ON ff_attempt (lease_expires_at_ms)
  WHERE lease_expires_at_ms IS NOT NULL;

-- index ff_attempt_timeout_idx
CREATE INDEX ff_attempt_timeout_idx
  ON ff_attempt (timeout_at_ms, execution_id)
  WHERE timeout_at_ms IS NOT NULL AND outcome IS NULL;

-- index ff_attempt_worker_idx
CREATE INDEX ff_attempt_worker_idx
  ON ff_attempt (worker_instance_id)
  WHERE worker_instance_id IS NOT NULL;

-- index ff_budget_event_budget_idx
CREATE INDEX ff_budget_event_budget_idx
  ON ff_budget_event (budget_id, event_type, event_id);

-- index ff_budget_event_budget_order_idx
CREATE INDEX ff_budget_event_budget_order_idx
  ON ff_budget_event (budget_id, event_id);

-- index ff_budget_event_trim_idx
CREATE INDEX ff_budget_event_trim_idx
  ON ff_budget_event (occurred_at_ms)
  WHERE superseded = 1;

-- index ff_budget_policy_reset_work_idx
CREATE INDEX ff_budget_policy_reset_work_idx
  ON ff_budget_policy (next_reset_at_ms, budget_id)
  WHERE next_reset_at_ms IS NOT NULL AND needs_reset = 1;

-- index ff_budget_policy_scope_idx
CREATE INDEX ff_budget_policy_scope_idx ON ff_budget_policy (scope_type, scope_id);

-- index ff_budget_usage_dedup_expiry_idx
CREATE INDEX ff_budget_usage_dedup_expiry_idx
  ON ff_budget_usage_dedup (expires_at_ms);

-- index ff_cancel_backlog_grace_idx
CREATE INDEX ff_cancel_backlog_grace_idx
  ON ff_cancel_backlog (grace_until_ms)
  WHERE grace_until_ms IS NOT NULL;

-- index ff_claim_grant_execution_idx
CREATE INDEX ff_claim_grant_execution_idx ON ff_claim_grant (execution_id, issued_at_ms);

-- index ff_claim_grant_expiry_idx
CREATE INDEX ff_claim_grant_expiry_idx ON ff_claim_grant (expires_at_ms);

-- index ff_completion_event_execution_idx
CREATE INDEX ff_completion_event_execution_idx
  ON ff_completion_event (execution_id, occurred_at_ms);

-- index ff_completion_event_pending_dispatch_idx
CREATE INDEX ff_completion_event_pending_dispatch_idx
  ON ff_completion_event (committed_at_ms)
  WHERE dispatched_at_ms IS NULL;

-- index ff_edge_downstream_idx
CREATE INDEX ff_edge_downstream_idx ON ff_edge (downstream_eid, flow_id);

-- index ff_edge_upstream_idx
CREATE INDEX ff_edge_upstream_idx ON ff_edge (upstream_eid, flow_id);

-- index ff_exec_core_claim_idx
CREATE INDEX ff_exec_core_claim_idx
  ON ff_exec_core (lane_id, priority DESC, created_at_ms, execution_id)
  WHERE lifecycle_phase = 'runnable' AND eligibility_state = 'eligible_now';

-- index ff_exec_core_created_idx
CREATE INDEX ff_exec_core_created_idx ON ff_exec_core (created_at_ms, execution_id);

-- index ff_exec_core_deadline_idx
CREATE INDEX ff_exec_core_deadline_idx ON ff_exec_core (deadline_at_ms)
  WHERE deadline_at_ms IS NOT NULL AND lifecycle_phase <> 'terminal';

-- index ff_exec_core_delayed_idx
CREATE INDEX ff_exec_core_delayed_idx
  ON ff_exec_core (eligible_at_ms)
  WHERE eligibility_state = 'not_eligible_until_time';

-- index ff_exec_core_flow_idx
CREATE INDEX ff_exec_core_flow_idx ON ff_exec_core (flow_id) WHERE flow_id IS NOT NULL;

-- index ff_exec_core_flow_live_idx
CREATE INDEX ff_exec_core_flow_live_idx
  ON ff_exec_core (flow_id)
  WHERE flow_id IS NOT NULL AND lifecycle_phase <> 'terminal';

-- index ff_exec_core_lane_delayed_idx
CREATE INDEX ff_exec_core_lane_delayed_idx
  ON ff_exec_core (lane_id, eligible_at_ms)
  WHERE eligibility_state = 'not_eligible_until_time';

-- index ff_exec_core_lane_state_idx
CREATE INDEX ff_exec_core_lane_state_idx ON ff_exec_core (lane_id, public_state);

-- index ff_exec_core_namespace_idx
CREATE INDEX ff_exec_core_namespace_idx ON ff_exec_core (namespace, created_at_ms);

-- index ff_exec_core_public_state_idx
CREATE INDEX ff_exec_core_public_state_idx ON ff_exec_core (public_state, created_at_ms);

-- index ff_exec_core_retention_idx
CREATE INDEX ff_exec_core_retention_idx
  ON ff_exec_core (terminal_at_ms)
  WHERE lifecycle_phase = 'terminal' AND history_trimmed = 0;

-- index ff_execution_capabilities_capability_idx
CREATE INDEX ff_execution_capabilities_capability_idx
  ON ff_execution_capabilities (capability, execution_id);

-- index ff_flow_core_created_idx
CREATE INDEX ff_flow_core_created_idx ON ff_flow_core (created_at_ms, flow_id);

-- index ff_flow_core_namespace_idx
CREATE INDEX ff_flow_core_namespace_idx ON ff_flow_core (namespace, created_at_ms);

-- index ff_lease_event_execution_idx
CREATE INDEX ff_lease_event_execution_idx ON ff_lease_event (execution_id, event_id);

-- index ff_lease_event_namespace_idx
CREATE INDEX ff_lease_event_namespace_idx ON ff_lease_event (namespace, event_id)
  WHERE namespace IS NOT NULL;

-- index ff_operator_event_execution_idx
CREATE INDEX ff_operator_event_execution_idx ON ff_operator_event (execution_id, event_id)
  WHERE execution_id IS NOT NULL;

-- index ff_operator_event_flow_idx
CREATE INDEX ff_operator_event_flow_idx ON ff_operator_event (flow_id, event_id)
  WHERE flow_id IS NOT NULL;

-- index ff_operator_event_namespace_idx
CREATE INDEX ff_operator_event_namespace_idx ON ff_operator_event (namespace, event_id)
  WHERE namespace IS NOT NULL;

-- index ff_pending_cancel_groups_enqueued_idx
CREATE INDEX ff_pending_cancel_groups_enqueued_idx
  ON ff_pending_cancel_groups (enqueued_at_ms);

-- index ff_quota_admitted_execution_idx
CREATE INDEX ff_quota_admitted_execution_idx ON ff_quota_admitted (execution_id);

-- index ff_quota_admitted_expiry_idx
CREATE INDEX ff_quota_admitted_expiry_idx
  ON ff_quota_admitted (expires_at_ms)
  WHERE expires_at_ms IS NOT NULL;

-- index ff_quota_window_expiry_idx
CREATE INDEX ff_quota_window_expiry_idx ON ff_quota_window (expires_at_ms);

-- index ff_signal_event_execution_idx
CREATE INDEX ff_signal_event_execution_idx ON ff_signal_event (execution_id, event_id);

-- index ff_signal_event_idempotency_idx
CREATE INDEX ff_signal_event_idempotency_idx
  ON ff_signal_event (execution_id, idempotency_key, delivered_at_ms)
  WHERE idempotency_key IS NOT NULL;

-- index ff_signal_event_namespace_idx
CREATE INDEX ff_signal_event_namespace_idx ON ff_signal_event (namespace, event_id)
  WHERE namespace IS NOT NULL;

-- index ff_stream_frame_stream_idx
CREATE UNIQUE INDEX ff_stream_frame_stream_idx
  ON ff_stream_frame (execution_id, attempt_index, ts_ms, seq);

-- index ff_suspension_current_suspended_idx
CREATE INDEX ff_suspension_current_suspended_idx
  ON ff_suspension_current (suspended_at_ms);

-- index ff_suspension_current_timeout_idx
CREATE INDEX ff_suspension_current_timeout_idx
  ON ff_suspension_current (timeout_at_ms, execution_id, timeout_behavior)
  WHERE timeout_at_ms IS NOT NULL;

-- index ff_waitpoint_pending_execution_idx
CREATE INDEX ff_waitpoint_pending_execution_idx
  ON ff_waitpoint_pending (execution_id, waitpoint_id);

-- index ff_waitpoint_pending_expiry_idx
CREATE INDEX ff_waitpoint_pending_expiry_idx
  ON ff_waitpoint_pending (expires_at_ms)
  WHERE expires_at_ms IS NOT NULL;

-- index ff_worker_registry_event_time_idx
CREATE INDEX ff_worker_registry_event_time_idx
  ON ff_worker_registry_event (event_at_ms);

-- index ff_worker_registry_expiry_idx
CREATE INDEX ff_worker_registry_expiry_idx
  ON ff_worker_registry (expires_at_ms)
  WHERE state = 'alive';

-- table ff_attempt
CREATE TABLE ff_attempt (
  execution_id         TEXT    NOT NULL,
  attempt_index        INTEGER NOT NULL,
  -- initial | retry | reclaim | resume | replay
  attempt_type         TEXT    NOT NULL,
  attempt_id           TEXT    NOT NULL,
  lease_id             TEXT    NOT NULL,
  worker_id            TEXT,
  worker_instance_id   TEXT,
  lease_epoch          INTEGER NOT NULL,
  lease_ttl_ms         INTEGER NOT NULL,
  -- NULL once the attempt no longer holds a lease.
  lease_expires_at_ms  INTEGER,
  started_at_ms        INTEGER NOT NULL,
  terminal_at_ms       INTEGER,
  -- NULL while live; success | retry | failed | delayed | cancelled |
  -- interrupted_reclaimed | attempt_interrupted | lease_expired
  outcome              TEXT,
  failure_reason       TEXT,
  usage                TEXT,
  policy               TEXT,
  raw_fields           TEXT    NOT NULL DEFAULT '{}', timeout_at_ms INTEGER,
  PRIMARY KEY (execution_id, attempt_index)
);

-- table ff_attempt_fold
CREATE TABLE ff_attempt_fold (
  execution_id         TEXT    NOT NULL PRIMARY KEY,
  folded_count         INTEGER NOT NULL,
  first_attempt_index  INTEGER NOT NULL,
  last_attempt_index   INTEGER NOT NULL,
  first_started_at_ms  INTEGER NOT NULL,
  -- NULL only if none of the folded attempts had ended (never expected).
  last_ended_at_ms     INTEGER,
  outcomes             TEXT    NOT NULL DEFAULT '{}',
  attempt_types        TEXT    NOT NULL DEFAULT '{}'
);

-- table ff_budget_event
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
, superseded INTEGER NOT NULL DEFAULT 0 CHECK (superseded IN (0, 1)));

-- table ff_budget_policy
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
, needs_reset INTEGER NOT NULL DEFAULT 0 CHECK (needs_reset IN (0, 1)));

-- table ff_budget_usage
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

-- table ff_budget_usage_by_exec
CREATE TABLE ff_budget_usage_by_exec (
  budget_id            TEXT    NOT NULL,
  execution_id         TEXT    NOT NULL,
  dimensions_key       TEXT    NOT NULL,
  delta_total          INTEGER NOT NULL DEFAULT 0,
  updated_at_ms        INTEGER NOT NULL,
  -- The (budget_id, execution_id) prefix serves releaseBudget.
  PRIMARY KEY (budget_id, execution_id, dimensions_key)
) WITHOUT ROWID;

-- table ff_budget_usage_dedup
CREATE TABLE ff_budget_usage_dedup (
  budget_id            TEXT    NOT NULL,
  dedup_key            TEXT    NOT NULL,
  -- The original result as JSON, e.g. {"kind":"SoftBreach",...}.
  outcome_json         TEXT    NOT NULL,
  applied_at_ms        INTEGER NOT NULL,
  expires_at_ms        INTEGER NOT NULL,
  PRIMARY KEY (budget_id, dedup_key)
);

-- table ff_cancel_backlog
CREATE TABLE ff_cancel_backlog (
  flow_id              TEXT    NOT NULL PRIMARY KEY,
  requested_at_ms      INTEGER NOT NULL,
  requester            TEXT    NOT NULL DEFAULT '',
  reason               TEXT    NOT NULL DEFAULT '',
  -- Members not acked by then are cancelled by the backlog reconciler.
  grace_until_ms       INTEGER,
  cancellation_policy  TEXT    NOT NULL,
  -- 'pending' while members remain to be acked.
  status               TEXT    NOT NULL DEFAULT 'pending'
);

-- table ff_cancel_backlog_member
CREATE TABLE ff_cancel_backlog_member (
  flow_id              TEXT    NOT NULL,
  execution_id         TEXT    NOT NULL,
  PRIMARY KEY (flow_id, execution_id)
) WITHOUT ROWID;

-- table ff_claim_grant
CREATE TABLE ff_claim_grant (
  grant_id             TEXT    NOT NULL PRIMARY KEY,
  execution_id         TEXT    NOT NULL,
  kind                 TEXT    NOT NULL CHECK (kind IN ('claim', 'reclaim')),
  worker_id            TEXT    NOT NULL,
  worker_instance_id   TEXT    NOT NULL,
  lane_id              TEXT,
  capability_hash      TEXT,
  worker_capabilities  TEXT    NOT NULL DEFAULT '[]',
  route_snapshot_json  TEXT,
  admission_summary    TEXT,
  grant_ttl_ms         INTEGER NOT NULL,
  issued_at_ms         INTEGER NOT NULL,
  expires_at_ms        INTEGER NOT NULL
);

-- table ff_completion_event
CREATE TABLE ff_completion_event (
  event_id          INTEGER PRIMARY KEY AUTOINCREMENT,
  execution_id      TEXT    NOT NULL,
  flow_id           TEXT,
  -- success | failed | cancelled | expired | skipped
  outcome           TEXT    NOT NULL,
  namespace         TEXT,
  instance_tag      TEXT,
  occurred_at_ms    INTEGER NOT NULL,
  committed_at_ms   INTEGER NOT NULL,
  dispatched_at_ms  INTEGER
);

-- table ff_edge
CREATE TABLE ff_edge (
  flow_id              TEXT    NOT NULL,
  edge_id              TEXT    NOT NULL,
  upstream_eid         TEXT    NOT NULL,
  downstream_eid       TEXT    NOT NULL,
  -- success_only, ... (FlowFabric's dependency kind, stored as given)
  dependency_kind      TEXT    NOT NULL DEFAULT 'success_only',
  data_passing_ref     TEXT,
  -- How this edge's upstream resolved, from the downstream's point of view.
  -- Stays 'pending' until dispatch hops over it.
  edge_state           TEXT    NOT NULL DEFAULT 'pending'
                       CHECK (edge_state IN ('pending', 'satisfied', 'failed', 'skipped')),
  -- The rest of the staged policy document as JSON (satisfaction_condition,
  -- created_by, ...); policy_version is FlowFabric's, always 0 for now.
  policy               TEXT    NOT NULL DEFAULT '{}',
  policy_version       INTEGER NOT NULL DEFAULT 0,
  staged_at_ms         INTEGER NOT NULL,
  -- NULL while only staged: an edge counts in its group (n_total,
  -- running_count) from the moment it is applied to the child.
  applied_at_ms        INTEGER,
  resolved_at_ms       INTEGER,
  PRIMARY KEY (flow_id, edge_id)
);

-- table ff_edge_group
CREATE TABLE ff_edge_group (
  flow_id              TEXT    NOT NULL,
  downstream_eid       TEXT    NOT NULL,
  -- FlowFabric's `policy` JSON, split into columns so a hop decides without
  -- parsing JSON.
  policy_kind          TEXT    NOT NULL DEFAULT 'all_of'
                       CHECK (policy_kind IN ('all_of', 'any_of', 'quorum')),
  -- quorum's k; 0 for all_of and any_of.
  k_target             INTEGER NOT NULL DEFAULT 0 CHECK (k_target >= 0),
  -- What happens to still-running upstreams once any_of / quorum is met.
  on_satisfied         TEXT    NOT NULL DEFAULT 'cancel_remaining'
                       CHECK (on_satisfied IN ('cancel_remaining', 'let_run')),
  success_count        INTEGER NOT NULL DEFAULT 0,
  fail_count           INTEGER NOT NULL DEFAULT 0,
  skip_count           INTEGER NOT NULL DEFAULT 0,
  -- Applied edges whose upstream has not resolved yet.
  running_count        INTEGER NOT NULL DEFAULT 0,
  -- Applied upstream edges in total, so "impossible" is decidable without
  -- counting ff_edge rows.
  n_total              INTEGER NOT NULL DEFAULT 0,
  group_state          TEXT    NOT NULL DEFAULT 'pending'
                       CHECK (group_state IN ('pending', 'satisfied', 'impossible')),
  -- Set when a satisfied any_of / quorum must cancel the losing upstreams;
  -- members is the JSON array of their execution ids. Cleared by the
  -- sibling-cancel dispatcher once it has cancelled them.
  cancel_siblings_pending_flag    INTEGER NOT NULL DEFAULT 0,
  cancel_siblings_pending_members TEXT    NOT NULL DEFAULT '[]',
  created_at_ms        INTEGER NOT NULL,
  resolved_at_ms       INTEGER,
  PRIMARY KEY (flow_id, downstream_eid)
);

-- table ff_exec_core
CREATE TABLE ff_exec_core (
  execution_id         TEXT    NOT NULL PRIMARY KEY,
  namespace            TEXT    NOT NULL,
  execution_kind       TEXT    NOT NULL,
  lane_id              TEXT    NOT NULL,
  flow_id              TEXT,
  priority             INTEGER NOT NULL DEFAULT 0,
  -- The five dimensions of FlowFabric's state vector, stored as their
  -- canonical snake_case values; public_state is derived from them on write.
  lifecycle_phase      TEXT    NOT NULL,
  ownership_state      TEXT    NOT NULL,
  eligibility_state    TEXT    NOT NULL,
  attempt_state        TEXT    NOT NULL,
  public_state         TEXT    NOT NULL,
  blocking_reason      TEXT    NOT NULL DEFAULT 'none',
  terminal_outcome     TEXT    NOT NULL DEFAULT 'none',
  -- Index of the latest attempt (meaningful once attempt_count > 0).
  attempt_index        INTEGER NOT NULL DEFAULT 0,
  attempt_count        INTEGER NOT NULL DEFAULT 0,
  retry_count          INTEGER NOT NULL DEFAULT 0,
  -- Monotonic fencing token for the whole execution: bumped by every claim,
  -- reclaim and revoke, so a handle from any earlier lease is stale.
  lease_epoch          INTEGER NOT NULL DEFAULT 0,
  lease_reclaim_count  INTEGER NOT NULL DEFAULT 0,
  -- Number of required capabilities, so claim skips the junction probe for
  -- the common capability-free execution.
  capability_count     INTEGER NOT NULL DEFAULT 0,
  created_at_ms        INTEGER NOT NULL,
  -- When a not_eligible_until_time execution becomes claimable.
  eligible_at_ms       INTEGER,
  started_at_ms        INTEGER,
  terminal_at_ms       INTEGER,
  deadline_at_ms       INTEGER,
  cancellation_reason  TEXT,
  cancelled_by         TEXT,
  payload              BLOB,
  result               BLOB,
  -- ExecutionPolicy JSON (retry policy, reclaim cap, ...).
  policy               TEXT    NOT NULL DEFAULT '{}',
  tags                 TEXT    NOT NULL DEFAULT '{}',
  -- Free-form JSON bag for fields without a column (progress, failure
  -- reasons, creator identity, ...).
  raw_fields           TEXT    NOT NULL DEFAULT '{}'
, history_trimmed INTEGER NOT NULL DEFAULT 0 CHECK (history_trimmed IN (0, 1)));

-- table ff_execution_capabilities
CREATE TABLE ff_execution_capabilities (
  execution_id  TEXT NOT NULL,
  capability    TEXT NOT NULL,
  PRIMARY KEY (execution_id, capability)
) WITHOUT ROWID;

-- table ff_flow_core
CREATE TABLE ff_flow_core (
  flow_id              TEXT    NOT NULL PRIMARY KEY,
  namespace            TEXT    NOT NULL,
  flow_kind            TEXT    NOT NULL DEFAULT '',
  -- Bumped by every graph change (member added, edge staged) so
  -- stageDependencyEdge can compare-and-set against the caller's revision.
  graph_revision       INTEGER NOT NULL DEFAULT 0,
  -- open | completed | failed | cancelled
  public_flow_state    TEXT    NOT NULL DEFAULT 'open',
  -- Kept as columns (FlowFabric keeps them in raw_fields) so the counters
  -- move with a plain UPDATE instead of a JSON rewrite.
  node_count           INTEGER NOT NULL DEFAULT 0,
  edge_count           INTEGER NOT NULL DEFAULT 0,
  created_at_ms        INTEGER NOT NULL,
  terminal_at_ms       INTEGER,
  -- Set by a flow cancel; read back by a repeated cancel to report what the
  -- first one stored.
  cancellation_policy  TEXT,
  cancel_reason        TEXT,
  -- Free-form JSON bag (flow tags, last_mutation_at_ms, ...).
  raw_fields           TEXT    NOT NULL DEFAULT '{}'
);

-- table ff_lane_registry
CREATE TABLE ff_lane_registry (
  lane_id           TEXT    NOT NULL PRIMARY KEY,
  registered_at_ms  INTEGER NOT NULL,
  registered_by     TEXT    NOT NULL
);

-- table ff_lease_event
CREATE TABLE ff_lease_event (
  event_id        INTEGER PRIMARY KEY AUTOINCREMENT,
  execution_id    TEXT    NOT NULL,
  attempt_index   INTEGER NOT NULL,
  lease_id        TEXT,
  lease_epoch     INTEGER NOT NULL,
  -- acquired | renewed | released | expired | revoked | reclaimed
  event_type      TEXT    NOT NULL,
  worker_instance_id TEXT,
  occurred_at_ms  INTEGER NOT NULL,
  namespace       TEXT,
  instance_tag    TEXT
);

-- table ff_migration_ledger
CREATE TABLE ff_migration_ledger (
  version        INTEGER NOT NULL PRIMARY KEY,
  name           TEXT    NOT NULL,
  checksum       TEXT    NOT NULL,
  applied_at_ms  INTEGER NOT NULL
);

-- table ff_operator_event
CREATE TABLE ff_operator_event (
  event_id             INTEGER PRIMARY KEY AUTOINCREMENT,
  -- NULL for an event about a whole flow (FlowFabric puts the flow id in
  -- execution_id; here it has its own column).
  execution_id         TEXT,
  flow_id              TEXT,
  -- A closed list, so a typo in a producer fails its transaction instead of
  -- writing an event no consumer recognises.
  event_type           TEXT    NOT NULL
                       CHECK (event_type IN (
                         'priority_changed', 'replayed', 'flow_cancel_requested',
                         'cancelled', 'lease_revoked', 'member_cancelled',
                         'resumed')),
  -- JSON: old/new priority, replay branch, cancel reason and source, ...
  details              TEXT    NOT NULL DEFAULT '{}',
  occurred_at_ms       INTEGER NOT NULL,
  namespace            TEXT,
  instance_tag         TEXT
);

-- table ff_outbox_floor
CREATE TABLE "ff_outbox_floor" (
  channel                  TEXT    NOT NULL PRIMARY KEY CHECK (length(channel) > 0),
  trimmed_through_event_id INTEGER NOT NULL,
  trimmed_at_ms            INTEGER NOT NULL
);

-- table ff_pending_cancel_groups
CREATE TABLE ff_pending_cancel_groups (
  flow_id              TEXT    NOT NULL,
  downstream_eid       TEXT    NOT NULL,
  enqueued_at_ms       INTEGER NOT NULL,
  PRIMARY KEY (flow_id, downstream_eid)
) WITHOUT ROWID;

-- table ff_quota_admitted
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

-- table ff_quota_policy
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

-- table ff_quota_window
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

-- table ff_signal_event
CREATE TABLE ff_signal_event (
  event_id             INTEGER PRIMARY KEY AUTOINCREMENT,
  execution_id         TEXT    NOT NULL,
  signal_id            TEXT    NOT NULL,
  waitpoint_id         TEXT,
  signal_name          TEXT,
  source_identity      TEXT,
  -- appended_to_waitpoint | resume_condition_satisfied | ... (FlowFabric
  -- does not store it and reports every delivery as satisfied).
  effect               TEXT    NOT NULL,
  -- The caller's idempotency key, so a repeated delivery within its dedup
  -- window can be answered as a duplicate.
  idempotency_key      TEXT,
  delivered_at_ms      INTEGER NOT NULL,
  namespace            TEXT,
  instance_tag         TEXT
);

-- table ff_stream_frame
CREATE TABLE ff_stream_frame (
  -- The frame's event id on the stream outbox channel (its cursor).
  event_id             INTEGER PRIMARY KEY AUTOINCREMENT,
  execution_id         TEXT    NOT NULL,
  attempt_index        INTEGER NOT NULL,
  -- The frame id is '<ts_ms>-<seq>': seq numbers the frames of one stream
  -- appended in the same ms, so ids sort in append order.
  ts_ms                INTEGER NOT NULL,
  seq                  INTEGER NOT NULL,
  -- Frame fields as a JSON object with sorted keys (frame_type, payload, encoding, ...).
  fields               TEXT    NOT NULL,
  -- A best-effort append trims the stream; tailStream can leave best_effort frames out.
  mode                 TEXT    NOT NULL CHECK (mode IN ('durable', 'summary', 'best_effort')),
  created_at_ms        INTEGER NOT NULL,
  -- The execution's, copied so subscribers filter without a join.
  namespace            TEXT,
  instance_tag         TEXT
);

-- table ff_stream_meta
CREATE TABLE ff_stream_meta (
  execution_id         TEXT    NOT NULL,
  attempt_index        INTEGER NOT NULL,
  ema_rate_hz          REAL    NOT NULL DEFAULT 0,
  last_append_ts_ms    INTEGER NOT NULL DEFAULT 0,
  -- The cap the latest trim applied, for diagnostics.
  maxlen_applied_last  INTEGER NOT NULL DEFAULT 0, frame_count INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (execution_id, attempt_index)
) WITHOUT ROWID;

-- table ff_stream_summary
CREATE TABLE ff_stream_summary (
  execution_id         TEXT    NOT NULL,
  attempt_index        INTEGER NOT NULL,
  document_json        TEXT    NOT NULL DEFAULT '{}',
  -- Number of patches applied; the first patch gives 1.
  version              INTEGER NOT NULL DEFAULT 0,
  patch_kind           TEXT    NOT NULL DEFAULT 'json-merge-patch',
  last_updated_ms      INTEGER NOT NULL,
  first_applied_ms     INTEGER NOT NULL,
  PRIMARY KEY (execution_id, attempt_index)
);

-- table ff_suspend_dedup
CREATE TABLE ff_suspend_dedup (
  execution_id         TEXT    NOT NULL,
  idempotency_key      TEXT    NOT NULL,
  outcome_json         TEXT    NOT NULL,
  created_at_ms        INTEGER NOT NULL,
  PRIMARY KEY (execution_id, idempotency_key)
);

-- table ff_suspension_current
CREATE TABLE ff_suspension_current (
  execution_id         TEXT    NOT NULL PRIMARY KEY,
  suspension_id        TEXT    NOT NULL,
  -- The attempt that suspended, so resume and timeout touch the right one.
  attempt_index        INTEGER NOT NULL,
  suspended_at_ms      INTEGER NOT NULL,
  -- waiting_for_signal | waiting_for_approval | manual_pause | ...
  reason_code          TEXT    NOT NULL,
  -- ResumeCondition as JSON (Single, OperatorOnly, TimeoutOnly, Composite).
  condition            TEXT    NOT NULL,
  -- ResumePolicy as JSON (resume delay, close waitpoints on resume, ...).
  resume_policy        TEXT    NOT NULL DEFAULT '{}',
  -- Signals received so far, as JSON {waitpoint_key: [signal, ...]}; the
  -- condition is evaluated against the whole map on every delivery.
  member_map           TEXT    NOT NULL DEFAULT '{}',
  -- Set when the condition became satisfied, so a second signal cannot
  -- resume the execution twice.
  satisfied_at_ms      INTEGER,
  timeout_at_ms        INTEGER,
  -- fail | cancel | expire | auto_resume_with_timeout_signal | escalate;
  -- meaningful only when timeout_at_ms is set.
  timeout_behavior     TEXT    NOT NULL DEFAULT 'fail'
);

-- table ff_virtual_clock
CREATE TABLE ff_virtual_clock (
  singleton  INTEGER NOT NULL PRIMARY KEY CHECK (singleton = 1),
  now_ms     INTEGER NOT NULL
);

-- table ff_waitpoint_hmac
CREATE TABLE ff_waitpoint_hmac (
  kid                  TEXT    NOT NULL PRIMARY KEY,
  -- Raw 32-byte secret.
  secret               BLOB    NOT NULL,
  rotated_at_ms        INTEGER NOT NULL,
  -- Exactly one row is active after a seed or rotation.
  active               INTEGER NOT NULL DEFAULT 1,
  -- Set on the outgoing kid by a rotation with a grace period: its tokens
  -- stop verifying after this time. NULL = verifies indefinitely, which is
  -- FlowFabric's behaviour.
  grace_until_ms       INTEGER
);

-- table ff_waitpoint_pending
CREATE TABLE ff_waitpoint_pending (
  waitpoint_id         TEXT    NOT NULL PRIMARY KEY,
  execution_id         TEXT    NOT NULL,
  -- Names the member_map entry signals to this waitpoint are filed under.
  waitpoint_key        TEXT    NOT NULL DEFAULT '',
  token_kid            TEXT    NOT NULL,
  token                TEXT    NOT NULL,
  -- pending | active | closed
  state                TEXT    NOT NULL DEFAULT 'pending',
  -- JSON array of signal names the resume condition wants on this key;
  -- empty means any signal.
  required_signal_names TEXT   NOT NULL DEFAULT '[]',
  created_at_ms        INTEGER NOT NULL,
  activated_at_ms      INTEGER,
  expires_at_ms        INTEGER
);

-- table ff_worker_registry
CREATE TABLE ff_worker_registry (
  namespace            TEXT    NOT NULL,
  worker_instance_id   TEXT    NOT NULL,
  -- Fixed for the instance: re-registering it under another worker_id is
  -- rejected.
  worker_id            TEXT    NOT NULL,
  -- Sorted, de-duplicated JSON arrays of strings.
  lanes                TEXT    NOT NULL DEFAULT '[]',
  capabilities         TEXT    NOT NULL DEFAULT '[]',
  last_heartbeat_ms    INTEGER NOT NULL,
  liveness_ttl_ms      INTEGER NOT NULL,
  -- Kept by re-registration.
  registered_at_ms     INTEGER NOT NULL,
  -- Always last_heartbeat_ms + liveness_ttl_ms, stored so the TTL sweep can
  -- use an index.
  expires_at_ms        INTEGER NOT NULL,
  state                TEXT    NOT NULL DEFAULT 'alive'
                       CHECK (state IN ('alive', 'dead')),
  PRIMARY KEY (namespace, worker_instance_id)
);

-- table ff_worker_registry_event
CREATE TABLE ff_worker_registry_event (
  namespace            TEXT    NOT NULL,
  worker_instance_id   TEXT    NOT NULL,
  event_at_ms          INTEGER NOT NULL,
  event_kind           TEXT    NOT NULL
                       CHECK (event_kind IN ('registered', 'heartbeat', 'marked_dead', 'ttl_swept')),
  -- Given for marked_dead.
  reason               TEXT,
  PRIMARY KEY (namespace, worker_instance_id, event_at_ms, event_kind)
) WITHOUT ROWID;
