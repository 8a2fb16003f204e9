-- Streams become an outbox: every frame gets an event id that a `stream`
-- subscription resumes after, and the namespace and instance tag its
-- subscribers filter on.
--
-- The frame table of 0004 keyed frames by (execution, attempt, ts, seq) and
-- left the implicit rowid as the wake-up id. A rowid can be handed out again
-- once the newest row is deleted (retention deletes a whole stream), so a
-- cursor could see an id twice; an AUTOINCREMENT key never reuses one.
ALTER TABLE ff_stream_frame RENAME TO ff_stream_frame_0004;
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
INSERT INTO ff_stream_frame (execution_id, attempt_index, ts_ms, seq, fields, mode, created_at_ms, namespace, instance_tag)
  SELECT f.execution_id, f.attempt_index, f.ts_ms, f.seq, f.fields, f.mode, f.created_at_ms,
         e.namespace, json_extract(e.tags, '$."cairn.instance_id"')
    FROM ff_stream_frame_0004 f LEFT JOIN ff_exec_core e ON e.execution_id = f.execution_id
   ORDER BY f.rowid;
DROP TABLE ff_stream_frame_0004;

-- One stream's frames in id order: readStream and tailStream range scans,
-- the newest-first walk of the best-effort trim, and a frame id's
-- uniqueness within its stream.
CREATE UNIQUE INDEX ff_stream_frame_stream_idx
  ON ff_stream_frame (execution_id, attempt_index, ts_ms, seq);

-- How many frames each stream holds, kept by every append and trim, so an
-- append answers its frame count without counting the stream's rows. The
-- row now exists from a stream's first frame (its rate fields stay 0 until
-- the first best-effort append).
ALTER TABLE ff_stream_meta ADD COLUMN frame_count INTEGER NOT NULL DEFAULT 0;
INSERT INTO ff_stream_meta (execution_id, attempt_index, frame_count)
  SELECT execution_id, attempt_index, COUNT(*) FROM ff_stream_frame WHERE true GROUP BY execution_id, attempt_index
  ON CONFLICT (execution_id, attempt_index) DO UPDATE SET frame_count = excluded.frame_count;
