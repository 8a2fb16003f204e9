/**
 * The facts explainExecution reasons from, each one indexed read: the
 * execution row, its current attempt, its upstream edges, the live workers
 * of its lane, and its suspension. Kept apart from the wording so each read
 * stays small and the decision reads as one function.
 */
import type { ExplainDetails, ExplainUpstream } from '../../api/reads.js';
import type { PublicState } from '../../api/states.js';
import type { ResumeCondition } from '../../api/suspension.js';
import type { EngineContext } from '../core/context.js';
import { readGroup } from '../flows/edge-group.js';
import { parseCondition, parseMemberMap } from '../suspension/member-map.js';
import { EXEC_INFO_COLUMNS, type ExecRow } from './execution-row.js';

export interface ExplainRow extends ExecRow {
  raw_fields: string;
  cancellation_reason: string | null;
}

export function readExplainRow(ctx: EngineContext, executionId: string): ExplainRow | undefined {
  return ctx.db
    .prepare(`SELECT ${EXEC_INFO_COLUMNS}, e.raw_fields, e.cancellation_reason FROM ff_exec_core e WHERE e.execution_id = :executionId`)
    .get<ExplainRow>({ executionId });
}

export interface CurrentAttempt {
  attempt_index: number;
  worker_id: string | null;
  worker_instance_id: string | null;
  lease_expires_at_ms: number | null;
  terminal_at_ms: number | null;
  failure_reason: string | null;
}

export function readCurrentAttempt(ctx: EngineContext, row: ExecRow): CurrentAttempt | undefined {
  if (row.attempt_count === 0) return undefined;
  return ctx.db
    .prepare(
      `SELECT attempt_index, worker_id, worker_instance_id, lease_expires_at_ms, terminal_at_ms, failure_reason
         FROM ff_attempt WHERE execution_id = :executionId AND attempt_index = :index`,
    )
    .get<CurrentAttempt>({ executionId: row.execution_id, index: row.attempt_index });
}

/** The applied edges into this execution, pending ones first, with each upstream's state. */
export function readUpstreams(ctx: EngineContext, flowId: string, executionId: string): ExplainUpstream[] {
  return ctx.db
    .prepare(
      `SELECT d.edge_id, d.upstream_eid, d.edge_state, u.public_state
         FROM ff_edge d LEFT JOIN ff_exec_core u ON u.execution_id = d.upstream_eid
        WHERE d.flow_id = :flowId AND d.downstream_eid = :executionId AND d.applied_at_ms IS NOT NULL
        ORDER BY d.edge_state <> 'pending', d.staged_at_ms, d.rowid`,
    )
    .all<{ edge_id: string; upstream_eid: string; edge_state: ExplainUpstream['edgeState']; public_state: PublicState | null }>({ flowId, executionId })
    .map((r) => ({ executionId: r.upstream_eid, edgeId: r.edge_id, edgeState: r.edge_state, publicState: r.public_state }));
}

export function readGroupCounters(ctx: EngineContext, flowId: string, executionId: string): ExplainDetails['group'] | undefined {
  const g = readGroup(ctx, flowId, executionId);
  if (!g) return undefined;
  return {
    policy: g.policy_kind,
    k: g.k_target,
    total: g.n_total,
    successCount: g.success_count,
    failCount: g.fail_count,
    skipCount: g.skip_count,
    runningCount: g.running_count,
  };
}

export interface LaneWorker {
  instanceId: string;
  capabilities: string[];
}

/**
 * Live registered workers (state alive, TTL not lapsed) whose lanes include
 * `laneId`, in any namespace: a claim names its lane, not a namespace.
 */
export function readLaneWorkers(ctx: EngineContext, laneId: string, now: number): LaneWorker[] {
  return ctx.db
    .prepare(
      `SELECT worker_instance_id, capabilities FROM ff_worker_registry
        WHERE state = 'alive' AND expires_at_ms > :now
          AND EXISTS (SELECT 1 FROM json_each(lanes) WHERE value = :laneId)
        ORDER BY namespace, worker_instance_id`,
    )
    .all<{ worker_instance_id: string; capabilities: string }>({ laneId, now })
    .map((r) => ({ instanceId: r.worker_instance_id, capabilities: JSON.parse(r.capabilities) as string[] }));
}

export interface SuspensionFacts {
  condition: ResumeCondition;
  /** Signal names the condition names and no delivery has brought yet. */
  awaited: string[];
  received: number;
  timeoutAtMs: number | null;
  satisfied: boolean;
}

export function readSuspensionFacts(ctx: EngineContext, executionId: string): SuspensionFacts | undefined {
  const row = ctx.db
    .prepare('SELECT condition, member_map, timeout_at_ms, satisfied_at_ms FROM ff_suspension_current WHERE execution_id = :executionId')
    .get<{ condition: string; member_map: string; timeout_at_ms: number | null; satisfied_at_ms: number | null }>({ executionId });
  if (!row) return undefined;
  const condition = parseCondition(row.condition, executionId);
  const signals = Object.values(parseMemberMap(row.member_map, executionId)).flat();
  const got = new Set(signals.map((s) => s.signalName));
  const named = condition.kind === 'signals' ? [...new Set(condition.signals.map((s) => s.name))] : [];
  return {
    condition,
    awaited: named.filter((n) => !got.has(n)),
    received: signals.length,
    timeoutAtMs: row.timeout_at_ms,
    satisfied: row.satisfied_at_ms !== null,
  };
}
