-- Signal deliveries become a readable outbox (the `signal` subscription
-- channel), so the retention trimmer records how far it deleted them, like
-- the other readable outboxes. SQLite cannot widen a CHECK in place: the
-- floor table is rebuilt with the new channel allowed, keeping its rows.
CREATE TABLE ff_outbox_floor_new (
  channel                  TEXT    NOT NULL PRIMARY KEY
                           CHECK (channel IN ('completion', 'lease', 'budget', 'signal')),
  trimmed_through_event_id INTEGER NOT NULL,
  trimmed_at_ms            INTEGER NOT NULL
);
INSERT INTO ff_outbox_floor_new (channel, trimmed_through_event_id, trimmed_at_ms)
  SELECT channel, trimmed_through_event_id, trimmed_at_ms FROM ff_outbox_floor;
DROP TABLE ff_outbox_floor;
ALTER TABLE ff_outbox_floor_new RENAME TO ff_outbox_floor;
