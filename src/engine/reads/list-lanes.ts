/** listLanes: every lane an execution was created in, with counts by public state. */
import type { ListLanesResult, LaneInfo } from '../../api/reads.js';
import type { PublicState } from '../../api/states.js';
import type { EngineContext } from '../core/context.js';
import { noInput } from '../../api/time.js';
import { defineOperation } from '../operation.js';

export function listLanes(ctx: EngineContext): ListLanesResult {
  const lanes = new Map<string, LaneInfo>();
  for (const row of ctx.db
    .prepare('SELECT lane_id, registered_at_ms FROM ff_lane_registry ORDER BY lane_id')
    .all<{ lane_id: string; registered_at_ms: number }>()) {
    lanes.set(row.lane_id, { laneId: row.lane_id, registeredAtMs: row.registered_at_ms, counts: {} });
  }
  for (const row of ctx.db
    .prepare('SELECT lane_id, public_state, COUNT(*) AS n FROM ff_exec_core GROUP BY lane_id, public_state')
    .all<{ lane_id: string; public_state: PublicState; n: number }>()) {
    const lane = lanes.get(row.lane_id);
    if (lane) lane.counts[row.public_state] = row.n;
  }
  return { lanes: [...lanes.values()] };
}

export const listLanesOp = defineOperation({
  name: 'listLanes',
  family: 'reads',
  kind: 'read',
  summary: 'Every lane, with execution counts by public state.',
  input: noInput,
  run: ({ ctx }): ListLanesResult => listLanes(ctx),
});
