-- Retention: the retention_trimmer scanner bounds history, and an execution
-- that is retried or reclaimed many times keeps a bounded set of attempts.
--
-- Attempts folded away (every attempt but the first and the newest N) leave
-- one summary row per execution: how many, their index range, their time
-- span, and their outcomes and attempt types counted (JSON objects of
-- counts).
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

-- 0 from the moment an execution ends (finishExecution writes it) until the
-- trimmer has removed its history; the partial index holds exactly the
-- terminal executions still waiting for the trimmer, oldest end first, so
-- the scanner's next due time is one index probe.
ALTER TABLE ff_exec_core
  ADD COLUMN history_trimmed INTEGER NOT NULL DEFAULT 0 CHECK (history_trimmed IN (0, 1));
CREATE INDEX ff_exec_core_retention_idx
  ON ff_exec_core (terminal_at_ms)
  WHERE lifecycle_phase = 'terminal' AND history_trimmed = 0;

-- One budget's events in id order whatever their type: listBudgetEvents
-- (newest first for the playground's history) without sorting the history,
-- and the per-budget MAX below.
CREATE INDEX ff_budget_event_budget_order_idx
  ON ff_budget_event (budget_id, event_id);

-- A budget's newest event is never trimmed, so its card always shows the
-- last thing that happened to it. Writing an event marks the budget's
-- previous newest one superseded; only superseded events are trimmed.
ALTER TABLE ff_budget_event
  ADD COLUMN superseded INTEGER NOT NULL DEFAULT 0 CHECK (superseded IN (0, 1));
UPDATE ff_budget_event
   SET superseded = 1
 WHERE event_id < (SELECT MAX(b.event_id) FROM ff_budget_event b WHERE b.budget_id = ff_budget_event.budget_id);
CREATE INDEX ff_budget_event_trim_idx
  ON ff_budget_event (occurred_at_ms)
  WHERE superseded = 1;

-- Per readable outbox, the highest event id the trimmer has deleted. A
-- reader whose cursor is below it may have missed events: readEvents says
-- so (cursorExpired) instead of leaving a silent gap.
CREATE TABLE ff_outbox_floor (
  channel                  TEXT    NOT NULL PRIMARY KEY
                           CHECK (channel IN ('completion', 'lease', 'budget')),
  trimmed_through_event_id INTEGER NOT NULL,
  trimmed_at_ms            INTEGER NOT NULL
);
