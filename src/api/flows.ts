/**
 * Inputs and results of the flow family: flows, their dependency edges and
 * edge groups, flow cancel and its backlog, and the two operator ops that
 * act on flow members (cancelExecution, replayExecution).
 *
 * Glossary
 * - flow: a set of executions (its members) plus dependency edges between
 *   them. Membership is `flowId` on the execution.
 * - edge: upstream → downstream. Staged by `stageDependencyEdge` (a graph
 *   change, compare-and-set on the flow's graph revision), it counts only
 *   once `applyDependencyToChild` applies it.
 * - edge group: every applied edge into one downstream execution, with a
 *   policy (`all_of`, `any_of`, `quorum`) deciding when the downstream may
 *   run. Its state is `pending`, `satisfied` or `impossible`.
 * - dispatch: when a member ends, its completion event resolves each of its
 *   applied outgoing edges (success → satisfied, skipped → skipped, anything
 *   else → failed) and advances the downstream groups. A satisfied group
 *   makes its child claimable; an impossible one skips it, which ends the
 *   child `skipped` and dispatches again (skips propagate).
 */
import { z } from 'zod';
import { executionId, name, pageLimit, uuid } from './common.js';
import type { PublicState } from './states.js';

// ── flows and membership ───────────────────────────────────────────────

export const PUBLIC_FLOW_STATES = ['open', 'running', 'completed', 'failed', 'cancelled'] as const;
/**
 * `open` until a member is first claimed, then `running`; once no member is
 * left that has not ended: `completed` when every sink member (one with no
 * applied outgoing edge) completed, else `failed`. `cancelled` by cancelFlow.
 */
export type PublicFlowState = (typeof PUBLIC_FLOW_STATES)[number];

export const createFlowInput = z.strictObject({
  /** Lowercase hyphenated UUID; minted when omitted. */
  flowId: uuid.optional(),
  /** @default 'default' */
  flowKind: name.default('default'),
  /** @default 'default' */
  namespace: name.default('default'),
});
export type CreateFlowInput = z.input<typeof createFlowInput>;
export type CreateFlowResult =
  | { kind: 'created'; flowId: string }
  /** The flow already exists; nothing changes (the stored row is not compared). */
  | { kind: 'already_satisfied'; flowId: string };

export const addExecutionToFlowInput = z.strictObject({ flowId: uuid, executionId });
export type AddExecutionToFlowInput = z.input<typeof addExecutionToFlowInput>;
export type AddExecutionToFlowResult =
  | { kind: 'added'; executionId: string; newNodeCount: number; graphRevision: number }
  | { kind: 'already_member'; executionId: string; nodeCount: number };

// ── edges and edge groups ──────────────────────────────────────────────

export const DEPENDENCY_KINDS = ['success_only'] as const;
export type DependencyKind = (typeof DEPENDENCY_KINDS)[number];

export const stageDependencyEdgeInput = z
  .strictObject({
    flowId: uuid,
    /** Lowercase hyphenated UUID; minted when omitted. */
    edgeId: uuid.optional(),
    upstreamExecutionId: executionId,
    downstreamExecutionId: executionId,
    /** @default 'success_only' */
    dependencyKind: z.enum(DEPENDENCY_KINDS).default('success_only'),
    /** Opaque reference a worker may use to find the upstream's output. */
    dataPassingRef: z.string().max(4096).optional(),
    /** The graph revision the caller last read (createFlow: 0; each member added or edge staged: +1). */
    expectedGraphRevision: z.number().int('must be an integer').min(0).max(Number.MAX_SAFE_INTEGER),
  })
  .superRefine((v, ctx) => {
    if (v.upstreamExecutionId === v.downstreamExecutionId) {
      ctx.addIssue({ code: 'custom', path: ['downstreamExecutionId'], message: 'self_referencing_edge: an execution cannot depend on itself' });
    }
  });
export type StageDependencyEdgeInput = z.input<typeof stageDependencyEdgeInput>;
export interface StageDependencyEdgeResult {
  kind: 'staged';
  edgeId: string;
  newGraphRevision: number;
}

export const applyDependencyToChildInput = z.strictObject({ flowId: uuid, edgeId: uuid });
export type ApplyDependencyToChildInput = z.input<typeof applyDependencyToChildInput>;
export type ApplyDependencyToChildResult =
  | {
      kind: 'applied';
      /** Applied edges into the child whose upstream has not resolved yet. */
      unsatisfiedCount: number;
      groupState: EdgeGroupState;
    }
  | { kind: 'already_applied' };

export const ON_SATISFIED = ['cancel_remaining', 'let_run'] as const;
/** What happens to the upstreams still running once an any_of / quorum group is satisfied. */
export type OnSatisfied = (typeof ON_SATISFIED)[number];

export const edgeGroupPolicy = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('all_of') }),
  z.strictObject({
    kind: z.literal('any_of'),
    /** @default 'cancel_remaining' */
    onSatisfied: z.enum(ON_SATISFIED).default('cancel_remaining'),
  }),
  z.strictObject({
    kind: z.literal('quorum'),
    /** Successful upstreams needed. */
    k: z.number().int('must be an integer').min(1).max(100_000),
    /** @default 'cancel_remaining' */
    onSatisfied: z.enum(ON_SATISFIED).default('cancel_remaining'),
  }),
]);
export type EdgeGroupPolicy = z.output<typeof edgeGroupPolicy>;

export const setEdgeGroupPolicyInput = z.strictObject({
  flowId: uuid,
  downstreamExecutionId: executionId,
  policy: edgeGroupPolicy,
});
export type SetEdgeGroupPolicyInput = z.input<typeof setEdgeGroupPolicyInput>;
export interface SetEdgeGroupPolicyResult {
  kind: 'policy_set';
  groupState: EdgeGroupState;
}

export const EDGE_GROUP_STATES = ['pending', 'satisfied', 'impossible'] as const;
export type EdgeGroupState = (typeof EDGE_GROUP_STATES)[number];

export const EDGE_STATES = ['pending', 'satisfied', 'failed', 'skipped'] as const;
/** How an edge's upstream resolved, from the downstream's point of view. */
export type EdgeState = (typeof EDGE_STATES)[number];

export const FLOW_ELIGIBILITY_STATUSES = [
  'not_found',
  'not_runnable',
  'owned',
  'terminal',
  'eligible',
  'blocked_by_dependencies',
  'impossible',
] as const;
export type FlowEligibilityStatus = (typeof FLOW_ELIGIBILITY_STATUSES)[number];

export interface EvaluateFlowEligibilityResult {
  status: FlowEligibilityStatus;
  /** The execution's edge group, when it has one. */
  groupState: EdgeGroupState | null;
}

// ── reads ──────────────────────────────────────────────────────────────

export const flowRef = z.strictObject({ flowId: uuid });
export type FlowRef = z.input<typeof flowRef>;

export interface FlowSummary {
  flowId: string;
  namespace: string;
  flowKind: string;
  publicFlowState: PublicFlowState;
  graphRevision: number;
  nodeCount: number;
  edgeCount: number;
  createdAtMs: number;
  terminalAtMs: number | null;
}

export interface EdgeInfo {
  flowId: string;
  edgeId: string;
  upstreamExecutionId: string;
  downstreamExecutionId: string;
  dependencyKind: DependencyKind;
  dataPassingRef: string | null;
  edgeState: EdgeState;
  stagedAtMs: number;
  /** null while only staged. */
  appliedAtMs: number | null;
  resolvedAtMs: number | null;
}

export interface EdgeGroupInfo {
  downstreamExecutionId: string;
  policy: EdgeGroupPolicy;
  state: EdgeGroupState;
  /** Applied edges in the group. */
  total: number;
  successCount: number;
  failCount: number;
  skipCount: number;
  /** Applied edges whose upstream has not resolved. */
  runningCount: number;
  resolvedAtMs: number | null;
}

export interface FlowMember {
  executionId: string;
  laneId: string;
  publicState: PublicState;
}

export interface CancelBacklogInfo {
  requestedAtMs: number;
  reason: string;
  cancellationPolicy: CancelFlowPolicy;
  /** Members left running by `let_active_finish` that have neither ended nor been acked. */
  memberExecutionIds: string[];
}

export interface FlowDescription extends FlowSummary {
  cancellationPolicy: CancelFlowPolicy | null;
  cancelReason: string | null;
  /** In the order the executions were created. */
  members: FlowMember[];
  /** Members by public state (states with none are omitted). */
  countsByState: Partial<Record<PublicState, number>>;
  /** In the order they were staged. */
  edges: EdgeInfo[];
  groups: EdgeGroupInfo[];
  cancelBacklog: CancelBacklogInfo | null;
}

export const listFlowsInput = z.strictObject({
  namespace: name.optional(),
  /** @default 50 */
  limit: pageLimit.default(50),
  /** `nextCursor` of the previous page. */
  cursor: z.string().max(512).optional(),
});
export type ListFlowsInput = z.input<typeof listFlowsInput>;
export interface ListFlowsResult {
  /** Oldest first. */
  flows: FlowSummary[];
  /** Set while more rows may follow; pass it back as `cursor`. */
  nextCursor: string | null;
}

export const listEdgesInput = z.strictObject({
  flowId: uuid,
  /** Only edges touching this execution (see `direction`). */
  executionId: executionId.optional(),
  /** With `executionId`: `outgoing` (it is upstream), `incoming` (it is downstream) or `both`. @default 'both' */
  direction: z.enum(['outgoing', 'incoming', 'both']).default('both'),
});
export type ListEdgesInput = z.input<typeof listEdgesInput>;
export interface ListEdgesResult {
  /** In the order they were staged. */
  edges: EdgeInfo[];
}

export const edgeRef = z.strictObject({ flowId: uuid, edgeId: uuid });
export type EdgeRef = z.input<typeof edgeRef>;

// ── cancel ─────────────────────────────────────────────────────────────

export const CANCEL_FLOW_POLICIES = ['cancel_all', 'cancel_pending', 'let_active_finish'] as const;
/**
 * - `cancel_all`: every member that has not ended is cancelled now, running
 *   ones included (their attempt ends and their handle goes stale).
 * - `cancel_pending`: members not running are cancelled now; running ones
 *   finish their current attempt (without retries).
 * - `let_active_finish`: as `cancel_pending`, and the running members are
 *   kept in the flow's cancel backlog until they end or are acked.
 */
export type CancelFlowPolicy = (typeof CANCEL_FLOW_POLICIES)[number];

export const cancelFlowInput = z.strictObject({
  flowId: uuid,
  /** @default 'cancel_all' */
  policy: z.enum(CANCEL_FLOW_POLICIES).default('cancel_all'),
  /** @default '' */
  reason: z.string().max(4096).default(''),
});
export type CancelFlowInput = z.input<typeof cancelFlowInput>;
export type CancelFlowResult =
  | {
      kind: 'cancelled';
      cancellationPolicy: CancelFlowPolicy;
      /** Members cancelled by this call. */
      cancelledExecutionIds: string[];
      /** Members left running (in the cancel backlog under `let_active_finish`). */
      activeExecutionIds: string[];
    }
  /** The flow had already ended; nothing changes. The stored cancel policy and reason are reported. */
  | {
      kind: 'already_terminal';
      publicFlowState: PublicFlowState;
      cancellationPolicy: CancelFlowPolicy | null;
      cancelReason: string | null;
    };

export const ackCancelMemberInput = z.strictObject({ flowId: uuid, executionId });
export type AckCancelMemberInput = z.input<typeof ackCancelMemberInput>;
export type AckCancelMemberResult =
  | { kind: 'acked'; remainingMembers: number }
  /** The member is not (or no longer) in the flow's cancel backlog. */
  | { kind: 'not_in_backlog' };

export const CANCEL_SOURCES = ['operator_override', 'lease_holder', 'flow_cascade', 'system_timeout'] as const;

export const cancelExecutionInput = z.strictObject({
  executionId,
  /** @default '' */
  reason: z.string().max(4096).default(''),
  /**
   * Who cancels: `operator_override` (no fencing), `lease_holder`,
   * `flow_cascade`, `system_timeout`, or any other name. Anything but
   * `operator_override` must pass the lease epoch of a running execution.
   * @default 'operator_override'
   */
  source: name.default('operator_override'),
  /** The caller's lease epoch; a mismatch with a running execution is `state.stale_lease`. */
  leaseEpoch: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
});
export type CancelExecutionInput = z.input<typeof cancelExecutionInput>;
export type CancelExecutionResult =
  | { kind: 'cancelled'; executionId: string; publicState: 'cancelled' }
  /** Already cancelled: nothing changes. */
  | { kind: 'already_cancelled'; executionId: string }
  /** It had already ended otherwise (completed, failed, skipped, …): nothing changes. */
  | { kind: 'already_terminal'; executionId: string; publicState: PublicState };

export const replayExecutionInput = z.strictObject({ executionId });
export type ReplayExecutionInput = z.input<typeof replayExecutionInput>;
export interface ReplayExecutionResult {
  kind: 'replayed';
  executionId: string;
  /** `waiting` (claimable) or `waiting_children` (its edge group is pending: it waits for its upstreams). */
  publicState: PublicState;
  /** `skipped_flow_member` when the execution had been skipped by its dependencies. */
  branch: 'normal' | 'skipped_flow_member';
  /** Downstream edge groups whose counters this execution's previous outcome had advanced, now reset. */
  groupsReset: number;
}
