-- Operator-event outbox, and the worker registry (FlowFabric RFC-025) with
-- its audit trail.
--
-- Conventions: see 0001. Worker ids, worker instance ids and namespaces are
-- free-form TEXT; execution ids are in wire form, flow ids UUIDs.

-- Operator outbox: one row per operator action on an execution or a flow.
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

-- History and subscriptions, by execution, by flow or by namespace, in
-- event order.
CREATE INDEX ff_operator_event_execution_idx ON ff_operator_event (execution_id, event_id)
  WHERE execution_id IS NOT NULL;
CREATE INDEX ff_operator_event_flow_idx ON ff_operator_event (flow_id, event_id)
  WHERE flow_id IS NOT NULL;
CREATE INDEX ff_operator_event_namespace_idx ON ff_operator_event (namespace, event_id)
  WHERE namespace IS NOT NULL;

-- Registered worker instances. listWorkers pages through one namespace in
-- worker_instance_id order, which the primary key serves.
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

-- TTL sweep: live workers whose heartbeat lapsed, earliest first.
CREATE INDEX ff_worker_registry_expiry_idx
  ON ff_worker_registry (expires_at_ms)
  WHERE state = 'alive';

-- Append-only audit of registry changes. event_kind is part of the key so
-- two different events of one instance in the same millisecond both stay;
-- an exact repeat is dropped (insert-or-ignore).
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

-- Retention: heartbeats add a row every few seconds, so old audit rows are
-- trimmed by time.
CREATE INDEX ff_worker_registry_event_time_idx
  ON ff_worker_registry_event (event_at_ms);
