-- Suspension: the HMAC keystore for waitpoint tokens, the current suspension
-- of each execution, its waitpoints, suspend idempotency, and the signal
-- outbox.
--
-- Conventions: see 0001. suspension_id, waitpoint_id and signal_id are
-- lowercase hyphenated UUIDs; execution ids are in wire form.

-- Waitpoint token signing keys. The active kid signs new tokens; a token is
-- always verified with the kid it names, active or not.
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

-- At most one row per execution: the suspension it is in now.
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

-- Suspension-timeout scanner: due rows first; covers the columns the scanner
-- needs to pick a batch.
CREATE INDEX ff_suspension_current_timeout_idx
  ON ff_suspension_current (timeout_at_ms, execution_id, timeout_behavior)
  WHERE timeout_at_ms IS NOT NULL;

-- Listing suspended executions, longest-suspended first.
CREATE INDEX ff_suspension_current_suspended_idx
  ON ff_suspension_current (suspended_at_ms);

-- Waitpoints: created ahead of a suspension ('pending') or bound by one
-- ('active'). The token is stored so a signal must present exactly it.
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

-- Waitpoint-expiry scanner: due rows first.
CREATE INDEX ff_waitpoint_pending_expiry_idx
  ON ff_waitpoint_pending (expires_at_ms)
  WHERE expires_at_ms IS NOT NULL;

-- An execution's waitpoints, in waitpoint_id order (listing pages by it;
-- resume deletes them all).
CREATE INDEX ff_waitpoint_pending_execution_idx
  ON ff_waitpoint_pending (execution_id, waitpoint_id);

-- Suspend idempotency: the outcome of the first suspend with a key, replayed
-- for later calls with the same key. Scoped per execution (FlowFabric's key
-- is global, so two executions could collide).
CREATE TABLE ff_suspend_dedup (
  execution_id         TEXT    NOT NULL,
  idempotency_key      TEXT    NOT NULL,
  outcome_json         TEXT    NOT NULL,
  created_at_ms        INTEGER NOT NULL,
  PRIMARY KEY (execution_id, idempotency_key)
);

-- Signal outbox: one row per accepted signal.
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

-- Subscriptions and history, by execution or by namespace, in event order.
CREATE INDEX ff_signal_event_execution_idx ON ff_signal_event (execution_id, event_id);
CREATE INDEX ff_signal_event_namespace_idx ON ff_signal_event (namespace, event_id)
  WHERE namespace IS NOT NULL;

-- Signal dedup: earlier deliveries to the same execution with the same key.
CREATE INDEX ff_signal_event_idempotency_idx
  ON ff_signal_event (execution_id, idempotency_key, delivered_at_ms)
  WHERE idempotency_key IS NOT NULL;
