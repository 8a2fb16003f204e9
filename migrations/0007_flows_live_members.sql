-- Flow completion needs one question answered after every dispatched
-- completion event of a flow member: "does this flow still have a member
-- that has not ended?". ff_exec_core_flow_idx (0001) holds every member,
-- ended or not, so answering it walks the ended ones first and a flow of n
-- members costs O(n) per completion, O(n^2) in all. This partial index holds
-- only the live members, so the probe is one index seek, and it costs
-- nothing for executions outside a flow.
CREATE INDEX ff_exec_core_flow_live_idx
  ON ff_exec_core (flow_id)
  WHERE flow_id IS NOT NULL AND lifecycle_phase <> 'terminal';
