/**
 * Edge groups: the counters of every applied edge into one downstream
 * execution, the policy that turns them into a state, and what a state
 * means for the downstream. Shared by dispatch (an upstream resolved),
 * applyDependencyToChild (an edge joined), setEdgeGroupPolicy (the rule
 * changed) and replayExecution (an upstream's outcome was taken back).
 *
 * Counters: n_total applied edges = success + fail + skip + running.
 *
 * | policy    | satisfied       | impossible                           |
 * |-----------|-----------------|--------------------------------------|
 * | all_of    | success = n     | fail + skip > 0                      |
 * | any_of    | success ≥ 1     | fail + skip = n                      |
 * | quorum(k) | success ≥ k     | fail + skip > 0 and n − (fail+skip) < k |
 *
 * A group with no applied edge is pending and does not gate its downstream
 * (a policy may be set before the edges are applied). quorum needs at least one
 * non-success before it can be impossible, so a k larger than the edges
 * applied so far only waits for more edges.
 *
 * What the state does to the downstream, when it has not started:
 * satisfied → claimable (or delayed, if its own `delayUntil` is still
 * ahead); pending → blocked_by_dependencies (public `waiting_children`);
 * impossible → skipped, which writes its completion event so the skip
 * propagates. A downstream that is running or has ended is never touched.
 * When an any_of / quorum group with `cancel_remaining` becomes satisfied,
 * the upstreams that have not resolved yet are cancelled, in the same
 * transaction (the reference queues them for a separate dispatcher that
 * its SQLite backend never runs).
 */
import type { EdgeGroupInfo, EdgeGroupPolicy, EdgeGroupState, EdgeState, OnSatisfied } from '../../api/flows.js';
import type { EligibilityState, LifecyclePhase, TerminalOutcome } from '../../api/states.js';
import { CANCEL_TARGET_SELECT, cancelMember, type CancelTarget } from '../operator/cancel-execution.js';
import { readyAt } from '../executions/ready-at.js';
import type { EngineContext } from '../core/context.js';
import { finishExecution } from '../executions/terminal.js';

export interface GroupRow {
  flow_id: string;
  downstream_eid: string;
  policy_kind: 'all_of' | 'any_of' | 'quorum';
  k_target: number;
  on_satisfied: OnSatisfied;
  success_count: number;
  fail_count: number;
  skip_count: number;
  running_count: number;
  n_total: number;
  group_state: EdgeGroupState;
  resolved_at_ms: number | null;
}

export type HopOutcome = 'success' | 'fail' | 'skip';

const GROUP_COLUMNS = `flow_id, downstream_eid, policy_kind, k_target, on_satisfied, success_count, fail_count,
  skip_count, running_count, n_total, group_state, resolved_at_ms`;

/** An upstream's terminal outcome, as its edges see it: anything but success or skipped counts as a failure. */
export function hopOutcomeOf(outcome: Exclude<TerminalOutcome, 'none'>): HopOutcome {
  return outcome === 'success' ? 'success' : outcome === 'skipped' ? 'skip' : 'fail';
}

export function edgeStateOf(hop: HopOutcome): Exclude<EdgeState, 'pending'> {
  return hop === 'success' ? 'satisfied' : hop === 'skip' ? 'skipped' : 'failed';
}

export function decideGroup(g: GroupRow): EdgeGroupState {
  const n = g.n_total;
  const bad = g.fail_count + g.skip_count;
  if (n === 0) return 'pending';
  switch (g.policy_kind) {
    case 'all_of':
      return g.success_count === n ? 'satisfied' : bad > 0 ? 'impossible' : 'pending';
    case 'any_of':
      return g.success_count >= 1 ? 'satisfied' : bad >= n ? 'impossible' : 'pending';
    case 'quorum':
      return g.success_count >= g.k_target ? 'satisfied' : bad > 0 && n - bad < g.k_target ? 'impossible' : 'pending';
  }
}

export function readGroup(ctx: EngineContext, flowId: string, downstream: string): GroupRow | undefined {
  return ctx.db
    .prepare(`SELECT ${GROUP_COLUMNS} FROM ff_edge_group WHERE flow_id = :flowId AND downstream_eid = :downstream`)
    .get<GroupRow>({ flowId, downstream });
}

/** The group row, created (all_of, no edges) if it does not exist yet. */
export function ensureGroup(ctx: EngineContext, flowId: string, downstream: string, now: number): GroupRow {
  ctx.db
    .prepare(
      `INSERT INTO ff_edge_group (flow_id, downstream_eid, created_at_ms) VALUES (:flowId, :downstream, :now)
       ON CONFLICT (flow_id, downstream_eid) DO NOTHING`,
    )
    .run({ flowId, downstream, now });
  return readGroup(ctx, flowId, downstream)!;
}

/** Count one more resolution of `hop` on a group row (in memory). */
export function countHop(g: GroupRow, hop: HopOutcome, delta: 1 | -1): void {
  if (hop === 'success') g.success_count += delta;
  else if (hop === 'fail') g.fail_count += delta;
  else g.skip_count += delta;
  g.running_count -= delta;
}

/**
 * Store the group's counters and policy, decide its state, and apply what
 * the state means to the downstream. `previous` is the state before the
 * change; a sibling cancel happens only on the pending → satisfied step.
 */
export function saveGroup(ctx: EngineContext, g: GroupRow, previous: EdgeGroupState, now: number): EdgeGroupState {
  const state = decideGroup(g);
  ctx.db
    .prepare(
      `UPDATE ff_edge_group
          SET policy_kind = :kind, k_target = :k, on_satisfied = :onSatisfied,
              success_count = :success, fail_count = :fail, skip_count = :skip, running_count = :running,
              n_total = :total, group_state = :state,
              resolved_at_ms = CASE WHEN :state = 'pending' THEN NULL ELSE COALESCE(resolved_at_ms, :now) END
        WHERE flow_id = :flowId AND downstream_eid = :downstream`,
    )
    .run({
      flowId: g.flow_id,
      downstream: g.downstream_eid,
      kind: g.policy_kind,
      k: g.k_target,
      onSatisfied: g.on_satisfied,
      success: g.success_count,
      fail: g.fail_count,
      skip: g.skip_count,
      running: g.running_count,
      total: g.n_total,
      state,
      now,
    });
  g.group_state = state;
  // A policy set before any edge is applied gates nothing yet.
  if (g.n_total > 0) settleDownstream(ctx, g.downstream_eid, state, now);
  if (state === 'satisfied' && previous !== 'satisfied' && g.policy_kind !== 'all_of' && g.on_satisfied === 'cancel_remaining') {
    cancelRemainingUpstreams(ctx, g, now);
  }
  return state;
}

interface DownstreamRow {
  execution_id: string;
  namespace: string;
  instance_tag: string | null;
  flow_id: string | null;
  lifecycle_phase: LifecyclePhase;
  eligibility_state: EligibilityState;
  eligible_at_ms: number | null;
}

function settleDownstream(ctx: EngineContext, executionId: string, state: EdgeGroupState, now: number): void {
  const child = ctx.db
    .prepare(
      `SELECT execution_id, namespace, json_extract(tags, '$."cairn.instance_id"') AS instance_tag, flow_id,
              lifecycle_phase, eligibility_state, eligible_at_ms
         FROM ff_exec_core WHERE execution_id = :executionId`,
    )
    .get<DownstreamRow>({ executionId });
  if (!child || child.lifecycle_phase !== 'runnable') return;
  if (state === 'impossible') {
    finishExecution(ctx, child, 'skipped', now);
  } else if (state === 'satisfied') {
    if (child.eligibility_state === 'blocked_by_dependencies') unblock(ctx, child, now);
  } else if (child.eligibility_state === 'eligible_now' || child.eligibility_state === 'not_eligible_until_time') {
    // Keeps eligible_at_ms, so a child with its own delayUntil is delayed, not claimable, once unblocked.
    ctx.db
      .prepare(
        `UPDATE ff_exec_core
            SET eligibility_state = 'blocked_by_dependencies', public_state = 'waiting_children', blocking_reason = 'waiting_for_children'
          WHERE execution_id = :executionId`,
      )
      .run({ executionId });
  }
}

function unblock(ctx: EngineContext, child: DownstreamRow, now: number): void {
  const ready = readyAt(child.eligible_at_ms, now);
  ctx.db
    .prepare(
      `UPDATE ff_exec_core
          SET eligibility_state = :eligibility, public_state = :publicState, blocking_reason = :blocking, eligible_at_ms = :eligibleAt
        WHERE execution_id = :executionId`,
    )
    .run({
      executionId: child.execution_id,
      eligibility: ready.eligibility,
      publicState: ready.publicState,
      blocking: ready.blocking,
      eligibleAt: ready.eligibleAt,
    });
}

/** The upstreams of a just-satisfied group that have not resolved: cancelled as losing siblings. */
function cancelRemainingUpstreams(ctx: EngineContext, g: GroupRow, now: number): void {
  const siblings = ctx.db
    .prepare(
      `${CANCEL_TARGET_SELECT}
        WHERE e.execution_id IN (SELECT upstream_eid FROM ff_edge
                                  WHERE downstream_eid = :downstream AND flow_id = :flowId
                                    AND applied_at_ms IS NOT NULL AND edge_state = 'pending')
          AND e.lifecycle_phase <> 'terminal'
        ORDER BY e.rowid`,
    )
    .all<CancelTarget>({ downstream: g.downstream_eid, flowId: g.flow_id });
  for (const sibling of siblings) {
    cancelMember(ctx, sibling, now, { reason: `sibling_cancelled: the ${g.policy_kind} group of ${g.downstream_eid} is satisfied`, source: 'flow_cascade' });
  }
}

export function groupPolicy(g: GroupRow): EdgeGroupPolicy {
  switch (g.policy_kind) {
    case 'all_of':
      return { kind: 'all_of' };
    case 'any_of':
      return { kind: 'any_of', onSatisfied: g.on_satisfied };
    case 'quorum':
      return { kind: 'quorum', k: g.k_target, onSatisfied: g.on_satisfied };
  }
}

export function toGroupInfo(g: GroupRow): EdgeGroupInfo {
  return {
    downstreamExecutionId: g.downstream_eid,
    policy: groupPolicy(g),
    state: g.group_state,
    total: g.n_total,
    successCount: g.success_count,
    failCount: g.fail_count,
    skipCount: g.skip_count,
    runningCount: g.running_count,
    resolvedAtMs: g.resolved_at_ms,
  };
}

export function listGroups(ctx: EngineContext, flowId: string): GroupRow[] {
  return ctx.db.prepare(`SELECT ${GROUP_COLUMNS} FROM ff_edge_group WHERE flow_id = :flowId ORDER BY created_at_ms, downstream_eid`).all<GroupRow>({ flowId });
}
