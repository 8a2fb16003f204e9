-- Flows, their dependency edges and edge groups, and the bookkeeping of the
-- two flow-cancel paths (sibling-cancel queue, cancel backlog).
--
-- Conventions: see 0001. flow_id and edge_id are lowercase hyphenated
-- UUIDs; upstream_eid, downstream_eid and every other execution id are in
-- wire form. Membership of a flow is ff_exec_core.flow_id (indexed in 0001),
-- so there is no member table.

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

-- Listing flows, oldest or newest first, optionally by namespace.
CREATE INDEX ff_flow_core_created_idx ON ff_flow_core (created_at_ms, flow_id);
CREATE INDEX ff_flow_core_namespace_idx ON ff_flow_core (namespace, created_at_ms);

-- One row per staged dependency edge upstream -> downstream.
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

-- Dispatch: when an execution completes, walk the edges it is upstream of.
CREATE INDEX ff_edge_upstream_idx ON ff_edge (upstream_eid, flow_id);

-- Group maintenance and sibling cancel: every edge into one downstream.
CREATE INDEX ff_edge_downstream_idx ON ff_edge (downstream_eid, flow_id);

-- One row per downstream execution with at least one applied edge: the
-- policy that decides when the downstream may run, and the counters the
-- dispatcher advances one hop at a time.
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

-- Queue of edge groups whose losing siblings still have to be cancelled.
CREATE TABLE ff_pending_cancel_groups (
  flow_id              TEXT    NOT NULL,
  downstream_eid       TEXT    NOT NULL,
  enqueued_at_ms       INTEGER NOT NULL,
  PRIMARY KEY (flow_id, downstream_eid)
) WITHOUT ROWID;

-- Sibling-cancel dispatcher: oldest queued group first.
CREATE INDEX ff_pending_cancel_groups_enqueued_idx
  ON ff_pending_cancel_groups (enqueued_at_ms);

-- Header of a cancelFlowHeader request; deleted once every member is acked.
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

-- Backlog reconciler: headers whose grace period lapses first.
CREATE INDEX ff_cancel_backlog_grace_idx
  ON ff_cancel_backlog (grace_until_ms)
  WHERE grace_until_ms IS NOT NULL;

-- Members of a flow cancel still to be acknowledged.
CREATE TABLE ff_cancel_backlog_member (
  flow_id              TEXT    NOT NULL,
  execution_id         TEXT    NOT NULL,
  PRIMARY KEY (flow_id, execution_id)
) WITHOUT ROWID;
