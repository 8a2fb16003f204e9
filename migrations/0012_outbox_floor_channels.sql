-- Every readable outbox can report a trimmed cursor. ff_outbox_floor (0010)
-- only admitted the completion, lease and budget channels; the operator
-- channel is readable now, and more outboxes will follow, so the table is
-- rebuilt without a fixed list of channel names (the engine writes only the
-- names of its readable outboxes).

CREATE TABLE ff_outbox_floor_new (
  channel                  TEXT    NOT NULL PRIMARY KEY CHECK (length(channel) > 0),
  trimmed_through_event_id INTEGER NOT NULL,
  trimmed_at_ms            INTEGER NOT NULL
);
INSERT INTO ff_outbox_floor_new (channel, trimmed_through_event_id, trimmed_at_ms)
  SELECT channel, trimmed_through_event_id, trimmed_at_ms FROM ff_outbox_floor;
DROP TABLE ff_outbox_floor;
ALTER TABLE ff_outbox_floor_new RENAME TO ff_outbox_floor;
