/**
 * What the board shows, read from the backend: live executions listed by
 * state (with the lease of each active one), and ended ones taken from the
 * completion outbox, newest first, so the board shows what just finished
 * rather than the oldest finished executions.
 */
import type { CompletionEvent } from '../../api/events.js';
import type { ExecutionInfo } from '../../api/reads.js';
import type { PublicState } from '../../api/states.js';
import type { BrowserBackend } from '../../client/browser-backend.js';

/** Cards per column; the header shows the full count. */
export const PER_COLUMN = 30;
/** Recent completion events kept to fill the ended columns. */
const RECENT_COMPLETIONS = 300;
/** Active executions whose lease is looked up each refresh (one describeExecution each). */
const LEASES_LOOKED_UP = 24;

export interface Column {
  id: string;
  title: string;
  states: readonly PublicState[];
}

export const COLUMNS: readonly Column[] = [
  { id: 'waiting', title: 'Waiting', states: ['waiting'] },
  { id: 'delayed', title: 'Delayed', states: ['delayed'] },
  { id: 'active', title: 'Active', states: ['active'] },
  { id: 'completed', title: 'Completed', states: ['completed'] },
  { id: 'failed', title: 'Failed', states: ['failed'] },
  { id: 'other', title: 'Other', states: ['rate_limited', 'waiting_children', 'suspended', 'resumable', 'cancelled', 'expired', 'skipped'] },
];
const LIVE: readonly PublicState[] = ['waiting', 'delayed', 'active', 'rate_limited', 'waiting_children', 'suspended', 'resumable'];

export interface Card {
  info: ExecutionInfo;
  leaseExpiresAtMs?: number | null;
}

export interface BoardColumn {
  column: Column;
  cards: Card[];
  total: number;
}

export class BoardData {
  /** Newest first. */
  private recent: CompletionEvent[] = [];
  private completionCursor: number | null = null;
  /** Infos of ended executions (they rarely change; a new completion event for one drops it). */
  private readonly ended = new Map<string, ExecutionInfo>();
  private generation = 0;

  clear(): void {
    this.generation++;
    this.recent = [];
    this.completionCursor = null;
    this.ended.clear();
  }

  /** The columns, or null when the database was replaced while reading. */
  async read(backend: BrowserBackend): Promise<BoardColumn[] | null> {
    const generation = this.generation;
    const [lanes] = await Promise.all([backend.listLanes(), this.readCompletions(backend)]);
    const counts = new Map<PublicState, number>();
    for (const lane of lanes.lanes) for (const [state, n] of Object.entries(lane.counts)) counts.set(state as PublicState, (counts.get(state as PublicState) ?? 0) + n);

    const liveStates = LIVE.filter((s) => (counts.get(s) ?? 0) > 0);
    const lists = await Promise.all(liveStates.map((s) => backend.listExecutions({ publicState: s, limit: PER_COLUMN })));
    const live: Card[] = lists.flatMap((l) => l.executions.map((info) => ({ info })));
    const active = live.filter((c) => c.info.publicState === 'active').slice(0, LEASES_LOOKED_UP);
    const descriptions = await Promise.all(active.map((c) => backend.describeExecution({ executionId: c.info.executionId })));
    active.forEach((card, i) => (card.leaseExpiresAtMs = descriptions[i]?.attempts.at(-1)?.leaseExpiresAtMs ?? null));

    const liveIds = new Set(live.map((c) => c.info.executionId));
    const endedIds = [...new Set(this.recent.map((e) => e.executionId))].filter((id) => !liveIds.has(id));
    const missing = endedIds.filter((id) => !this.ended.has(id));
    const infos = await Promise.all(missing.map((executionId) => backend.readExecutionInfo({ executionId })));
    if (generation !== this.generation) return null;
    missing.forEach((id, i) => infos[i] && this.ended.set(id, infos[i]));
    const ended: Card[] = endedIds.flatMap((id) => {
      const info = this.ended.get(id);
      return info && !LIVE.includes(info.publicState) ? [{ info }] : [];
    });

    return COLUMNS.map((column) => ({
      column,
      cards: [...live, ...ended].filter((c) => column.states.includes(c.info.publicState)).slice(0, PER_COLUMN),
      total: column.states.reduce((n, s) => n + (counts.get(s) ?? 0), 0),
    }));
  }

  /** New completion events since the last read; the first read starts a little before the newest. */
  private async readCompletions(backend: BrowserBackend): Promise<void> {
    if (this.completionCursor === null) {
      const head = await backend.readEvents({ channel: 'completion', afterEventId: 0, limit: 1 });
      this.completionCursor = Math.max(0, head.lastEventId - RECENT_COMPLETIONS);
    }
    const { events } = await backend.readEvents({ channel: 'completion', afterEventId: this.completionCursor, limit: 1000 });
    for (const e of events as CompletionEvent[]) {
      this.ended.delete(e.executionId);
      this.recent.unshift(e);
      this.completionCursor = e.eventId;
    }
    if (this.recent.length > RECENT_COMPLETIONS) this.recent.length = RECENT_COMPLETIONS;
  }
}
