/**
 * The suspension_timeout scanner's body: suspensions whose timeout has come
 * (timeout_at_ms ≤ now, oldest first, through
 * ff_suspension_current_timeout_idx) get their timeout behaviour:
 *
 * - `fail`, `cancel`, `expire`: the execution ends `failed`, `cancelled` or
 *   `expired` (cancellation_reason `suspension_timeout_<behaviour>`), with a
 *   completion event, so a flow's dependents are dispatched; the suspension
 *   and its waitpoints are deleted.
 * - `resume`: a `timeout` signal (category `timeout`, source
 *   `suspension_timeout`) is filed under `__timeout__` and the execution
 *   becomes resumable, like a satisfied condition, with a signal event of
 *   effect `timeout_resumed`; the next attempt sees the signal through
 *   observeSignals. (FlowFabric files the signal but leaves the execution
 *   suspended, so nothing resumes it.)
 *
 * A satisfied suspension has no timeout left, and a resumed or cancelled one
 * is deleted, so only live ones are found; a row whose execution is no
 * longer suspended anyway just has its timeout cleared.
 */
import type { TerminalOutcome } from '../../api/states.js';
import type { EngineContext } from '../core/context.js';
import { finishExecution } from '../executions/terminal.js';
import { clearSuspension, makeResumable } from './make-resumable.js';
import { parseMemberMap, type StoredSignal } from './member-map.js';
import { TIMEOUT_KEY } from './resume-condition.js';
import { writeSignalEvent } from './signal-event.js';

interface Due {
  execution_id: string;
  timeout_behavior: string;
  member_map: string;
  lifecycle_phase: string;
  namespace: string;
  instance_tag: string | null;
  flow_id: string | null;
}

const ENDS: Record<string, Exclude<TerminalOutcome, 'none'>> = { fail: 'failed', cancel: 'cancelled', expire: 'expired', escalate: 'failed' };

export function applySuspensionTimeouts(ctx: EngineContext, now: number, limit: number): number {
  const due = ctx.db
    .prepare(
      `SELECT s.execution_id, s.timeout_behavior, s.member_map, e.lifecycle_phase, e.namespace,
              json_extract(e.tags, '$."cairn.instance_id"') AS instance_tag, e.flow_id
         FROM ff_suspension_current s CROSS JOIN ff_exec_core e ON e.execution_id = s.execution_id
        WHERE s.timeout_at_ms IS NOT NULL AND s.timeout_at_ms <= :now
        ORDER BY s.timeout_at_ms LIMIT :limit`,
    )
    .all<Due>({ now, limit });
  for (const s of due) {
    const executionId = s.execution_id;
    if (s.lifecycle_phase !== 'suspended') {
      ctx.db.prepare('UPDATE ff_suspension_current SET timeout_at_ms = NULL WHERE execution_id = :executionId').run({ executionId });
    } else if (s.timeout_behavior === 'auto_resume_with_timeout_signal') {
      resumeOnTimeout(ctx, s, now);
    } else {
      clearSuspension(ctx, executionId);
      finishExecution(ctx, s, ENDS[s.timeout_behavior] ?? 'failed', now, { cancellationReason: `suspension_timeout_${s.timeout_behavior}` });
    }
  }
  return due.length;
}

function resumeOnTimeout(ctx: EngineContext, s: Due, now: number): void {
  const map = parseMemberMap(s.member_map, s.execution_id);
  const signal: StoredSignal = {
    signalId: ctx.ids.uuid(),
    signalName: 'timeout',
    signalCategory: 'timeout',
    sourceType: 'system',
    sourceIdentity: 'suspension_timeout',
    correlationId: null,
    acceptedAtMs: now,
  };
  (map[TIMEOUT_KEY] ??= []).push(signal);
  makeResumable(ctx, s.execution_id, JSON.stringify(map), now);
  writeSignalEvent(
    ctx,
    {
      executionId: s.execution_id,
      signalId: signal.signalId,
      waitpointId: null,
      signalName: signal.signalName,
      sourceIdentity: signal.sourceIdentity,
      effect: 'timeout_resumed',
      idempotencyKey: null,
      namespace: s.namespace,
      instanceTag: s.instance_tag,
    },
    now,
  );
}

/** When the next live suspension times out, or null. */
export function nextSuspensionTimeoutAt(ctx: EngineContext): number | null {
  const row = ctx.db.prepare('SELECT MIN(timeout_at_ms) AS at FROM ff_suspension_current WHERE timeout_at_ms IS NOT NULL').get<{ at: number | null }>();
  return row?.at ?? null;
}
