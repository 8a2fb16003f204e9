-- Executions, their attempts and leases, lanes, claim grants and the two
-- hot-path outboxes (completion events, lease events).
--
-- Conventions for every migration:
--   * one partition, so no partition_key column;
--   * execution ids are TEXT in wire form '{fp:N}:<uuid>'; other ids are
--     lowercase hyphenated UUID TEXT (or free-form TEXT where FlowFabric's
--     ids are free-form: lanes, workers, namespaces, budgets);
--   * timestamps are INTEGER Unix milliseconds on the engine clock;
--   * booleans are INTEGER 0/1, JSON documents are TEXT;
--   * outbox tables use INTEGER PRIMARY KEY AUTOINCREMENT so a cursor never
--     sees an event id reused, even after retention deletes.

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
);

-- Claim: the best runnable execution of a lane. The partial index holds only
-- claimable rows, in claim order, so the first row is found in O(log n)
-- whatever the size of the backlog.
CREATE INDEX ff_exec_core_claim_idx
  ON ff_exec_core (lane_id, priority DESC, created_at_ms, execution_id)
  WHERE lifecycle_phase = 'runnable' AND eligibility_state = 'eligible_now';

-- Delayed promotion scanner: due rows first, across lanes.
CREATE INDEX ff_exec_core_delayed_idx
  ON ff_exec_core (eligible_at_ms)
  WHERE eligibility_state = 'not_eligible_until_time';

-- Claim promotes its own lane's due rows first; without this index SQLite
-- walks every row the lane ever had, and claim cost grows with history.
CREATE INDEX ff_exec_core_lane_delayed_idx
  ON ff_exec_core (lane_id, eligible_at_ms)
  WHERE eligibility_state = 'not_eligible_until_time';

-- Listing, newest first or oldest first, optionally by lane / state / namespace.
CREATE INDEX ff_exec_core_created_idx ON ff_exec_core (created_at_ms, execution_id);
CREATE INDEX ff_exec_core_lane_state_idx ON ff_exec_core (lane_id, public_state);
CREATE INDEX ff_exec_core_namespace_idx ON ff_exec_core (namespace, created_at_ms);
CREATE INDEX ff_exec_core_public_state_idx ON ff_exec_core (public_state, created_at_ms);
CREATE INDEX ff_exec_core_flow_idx ON ff_exec_core (flow_id) WHERE flow_id IS NOT NULL;
CREATE INDEX ff_exec_core_deadline_idx ON ff_exec_core (deadline_at_ms)
  WHERE deadline_at_ms IS NOT NULL AND lifecycle_phase <> 'terminal';

-- Required capabilities, one row per (execution, token).
CREATE TABLE ff_execution_capabilities (
  execution_id  TEXT NOT NULL,
  capability    TEXT NOT NULL,
  PRIMARY KEY (execution_id, capability)
) WITHOUT ROWID;

CREATE INDEX ff_execution_capabilities_capability_idx
  ON ff_execution_capabilities (capability, execution_id);

-- One row per attempt. A lease lives on the attempt that holds it.
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
  raw_fields           TEXT    NOT NULL DEFAULT '{}',
  PRIMARY KEY (execution_id, attempt_index)
);

-- Lease-expiry scan: live leases by expiry.
CREATE INDEX ff_attempt_lease_expiry_idx
  ON ff_attempt (lease_expires_at_ms)
  WHERE lease_expires_at_ms IS NOT NULL;

CREATE INDEX ff_attempt_worker_idx
  ON ff_attempt (worker_instance_id)
  WHERE worker_instance_id IS NOT NULL;

-- Every lane an execution was ever created in.
CREATE TABLE ff_lane_registry (
  lane_id           TEXT    NOT NULL PRIMARY KEY,
  registered_at_ms  INTEGER NOT NULL,
  registered_by     TEXT    NOT NULL
);

-- Claim and reclaim grants (FlowFabric RFC-024).
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

CREATE INDEX ff_claim_grant_execution_idx ON ff_claim_grant (execution_id, issued_at_ms);
CREATE INDEX ff_claim_grant_expiry_idx ON ff_claim_grant (expires_at_ms);

-- Terminal-outcome outbox. dispatched_at_ms is set, in the same transaction
-- as the dependency hops it causes, once the event has been dispatched to
-- the downstream edges of its flow (or immediately when it has no flow).
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

-- Dependency reconciler: undispatched events, oldest first.
CREATE INDEX ff_completion_event_pending_dispatch_idx
  ON ff_completion_event (committed_at_ms)
  WHERE dispatched_at_ms IS NULL;

CREATE INDEX ff_completion_event_execution_idx
  ON ff_completion_event (execution_id, occurred_at_ms);

-- Lease-lifecycle outbox (FlowFabric RFC-019).
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

CREATE INDEX ff_lease_event_execution_idx ON ff_lease_event (execution_id, event_id);
CREATE INDEX ff_lease_event_namespace_idx ON ff_lease_event (namespace, event_id)
  WHERE namespace IS NOT NULL;
