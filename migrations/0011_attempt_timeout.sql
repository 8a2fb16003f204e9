-- Attempt timeouts. An execution's policy may allow each attempt a running
-- time (attemptTimeoutMs, in the policy JSON); an attempt that opens under
-- such a policy records the instant it runs out, and the attempt_timeout
-- scanner fails it as a timeout once the engine clock reaches that instant.
ALTER TABLE ff_attempt ADD COLUMN timeout_at_ms INTEGER;

-- The scanner's due list, soonest first. An attempt leaves the index the
-- moment it records an outcome (completed, failed, reclaimed, cancelled, ...),
-- so the index holds only attempts still running and each tick reads only
-- the ones due.
CREATE INDEX ff_attempt_timeout_idx
  ON ff_attempt (timeout_at_ms, execution_id)
  WHERE timeout_at_ms IS NOT NULL AND outcome IS NULL;
