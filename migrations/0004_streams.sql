-- Streams: the per-attempt frame log, its rolling summary document, and the
-- rate state that sizes best-effort-live trimming.
--
-- Conventions: see 0001. A stream is identified by (execution_id,
-- attempt_index); frame ids are '<ts_ms>-<seq>' on the engine clock.

CREATE TABLE ff_stream_frame (
  execution_id         TEXT    NOT NULL,
  attempt_index        INTEGER NOT NULL,
  ts_ms                INTEGER NOT NULL,
  -- 0-based position among frames of this stream appended in the same ms.
  seq                  INTEGER NOT NULL,
  -- Frame fields as a JSON object (frame_type, payload, encoding, ...).
  fields               TEXT    NOT NULL,
  -- durable | summary | best_effort; tail can exclude best_effort frames.
  mode                 TEXT    NOT NULL,
  created_at_ms        INTEGER NOT NULL,
  -- The primary key doubles as the read/tail index: range scans by
  -- (ts_ms, seq) within one stream, and best-effort trimming keeps the
  -- newest rows by walking it backwards. The implicit rowid is the wakeup id.
  PRIMARY KEY (execution_id, attempt_index, ts_ms, seq)
);

-- Rolling summary of a stream, built by applying JSON merge patches from
-- summary-mode frames. Absent until the first patch.
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

-- Best-effort-live state: an EMA of the append rate decides how many frames
-- to keep. Absent until the first best-effort append.
CREATE TABLE ff_stream_meta (
  execution_id         TEXT    NOT NULL,
  attempt_index        INTEGER NOT NULL,
  ema_rate_hz          REAL    NOT NULL DEFAULT 0,
  last_append_ts_ms    INTEGER NOT NULL DEFAULT 0,
  -- The cap the latest trim applied, for diagnostics.
  maxlen_applied_last  INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (execution_id, attempt_index)
) WITHOUT ROWID;
