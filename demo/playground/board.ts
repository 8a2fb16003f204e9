/**
 * The execution board: a column per public state, cards with attempt counts,
 * lease countdowns for active executions and start countdowns for delayed
 * ones. Live states are listed directly; ended executions come from the
 * completion outbox (newest first), so the board shows what just finished.
 */
import type { CompletionEvent, ExecutionInfo, PublicState } from '../../src/index.js';
import type { App, View } from './app.js';
import { ExecutionDetails } from './execution-details.js';
import { byTestId, h, setText, syncList } from './dom.js';
import { formatClockTime, formatUntil, shortId } from './format.js';

/** Cards per column; the header shows the full count. */
const PER_COLUMN = 30;
/** Recent completion events kept to fill the ended columns. */
const RECENT_COMPLETIONS = 300;
/** Active executions whose lease is looked up each refresh (describeExecution each). */
const LEASES_LOOKED_UP = 24;

interface Column {
  id: string;
  title: string;
  states: readonly PublicState[];
}

const COLUMNS: readonly Column[] = [
  { id: 'waiting', title: 'Waiting', states: ['waiting'] },
  { id: 'delayed', title: 'Delayed', states: ['delayed'] },
  { id: 'active', title: 'Active', states: ['active'] },
  { id: 'completed', title: 'Completed', states: ['completed'] },
  { id: 'failed', title: 'Failed', states: ['failed'] },
  { id: 'other', title: 'Other', states: ['rate_limited', 'waiting_children', 'suspended', 'resumable', 'cancelled', 'expired', 'skipped'] },
];
const LIVE: readonly PublicState[] = ['waiting', 'delayed', 'active', 'rate_limited', 'waiting_children', 'suspended', 'resumable'];

interface Card {
  info: ExecutionInfo;
  leaseExpiresAtMs?: number | null;
  workerInstanceId?: string | null;
}

export class Board {
  readonly el: HTMLElement;
  private readonly details: ExecutionDetails;
  private readonly columns = new Map<string, HTMLElement>();
  /** Newest first. */
  private recent: CompletionEvent[] = [];
  private completionCursor: number | null = null;
  /** Infos of ended executions (they rarely change; a new completion event for one drops it). */
  private readonly ended = new Map<string, ExecutionInfo>();
  private generation = 0;

  constructor(private readonly app: App) {
    this.details = new ExecutionDetails(app);
    const board = h(
      'div',
      {
        class: 'board',
        testid: 'board',
        onClick: (ev: Event) => {
          const card = (ev.target as HTMLElement).closest<HTMLElement>('[data-execution-id]');
          if (card) this.details.show(card.dataset['executionId']!);
        },
      },
      COLUMNS.map((c) => {
        const column = h(
          'section',
          { class: `column column-${c.id}`, testid: `column-${c.id}`, 'aria-label': c.title },
          h('header', null, h('span', { class: 'column-title' }, c.title), h('span', { class: 'count', testid: 'column-count' }, '0')),
          h('div', { class: 'column-list', testid: 'column-list' }),
          h('p', { class: 'column-more muted', testid: 'column-more' }),
        );
        this.columns.set(c.id, column);
        return column;
      }),
    );
    this.el = h('div', { class: 'board-wrap' }, board, this.details.el);
  }

  clear(): void {
    this.generation++;
    this.recent = [];
    this.completionCursor = null;
    this.ended.clear();
    this.details.hide();
  }

  async refresh(view: View): Promise<void> {
    const generation = this.generation;
    const backend = this.app.backend;
    const [lanes] = await Promise.all([backend.listLanes(), this.readCompletions()]);
    const counts = new Map<PublicState, number>();
    for (const lane of lanes.lanes) for (const [state, n] of Object.entries(lane.counts)) counts.set(state as PublicState, (counts.get(state as PublicState) ?? 0) + n);

    const liveStates = LIVE.filter((s) => (counts.get(s) ?? 0) > 0);
    const lists = await Promise.all(liveStates.map((s) => backend.listExecutions({ publicState: s, limit: PER_COLUMN })));
    const live: Card[] = lists.flatMap((l) => l.executions.map((info) => ({ info })));
    const active = live.filter((c) => c.info.publicState === 'active').slice(0, LEASES_LOOKED_UP);
    const descriptions = await Promise.all(active.map((c) => backend.describeExecution({ executionId: c.info.executionId })));
    active.forEach((card, i) => {
      const attempt = descriptions[i]?.attempts.at(-1);
      card.leaseExpiresAtMs = attempt?.leaseExpiresAtMs ?? null;
      card.workerInstanceId = attempt?.workerInstanceId ?? null;
    });

    const liveIds = new Set(live.map((c) => c.info.executionId));
    const endedIds = [...new Set(this.recent.map((e) => e.executionId))].filter((id) => !liveIds.has(id));
    const missing = endedIds.filter((id) => !this.ended.has(id));
    const infos = await Promise.all(missing.map((executionId) => backend.readExecutionInfo({ executionId })));
    if (generation !== this.generation) return;
    missing.forEach((id, i) => infos[i] && this.ended.set(id, infos[i]));
    const ended: Card[] = endedIds.flatMap((id) => {
      const info = this.ended.get(id);
      return info && !LIVE.includes(info.publicState) ? [{ info }] : [];
    });

    for (const column of COLUMNS) {
      const el = this.columns.get(column.id)!;
      const cards = [...live, ...ended].filter((c) => column.states.includes(c.info.publicState)).slice(0, PER_COLUMN);
      const total = column.states.reduce((n, s) => n + (counts.get(s) ?? 0), 0);
      setText(byTestId(el, 'column-count'), total);
      syncList(byTestId(el, 'column-list'), cards, (c) => c.info.executionId, createCard, (card, c) => updateCard(card, c, view.now, this.details.selectedId));
      setText(byTestId(el, 'column-more'), total > cards.length ? `+ ${total - cards.length} more` : '');
    }
    await this.details.refresh(view);
  }

  /** New completion events since the last read; the first read starts a little before the newest. */
  private async readCompletions(): Promise<void> {
    const backend = this.app.backend;
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

function createCard(card: Card): HTMLElement {
  return h(
    'button',
    { type: 'button', class: 'exec-card', testid: 'exec-card', 'data-execution-id': card.info.executionId, title: card.info.executionId },
    h('span', { class: 'exec-top' }, h('span', { class: 'exec-id mono' }, shortId(card.info.executionId)), h('span', { class: 'chip lane mono', testid: 'exec-lane-chip' })),
    h('span', { class: 'exec-meta' }, h('strong', { testid: 'exec-attempts' }), h('span', { testid: 'exec-attempts-label' }), h('span', { class: 'exec-priority muted' })),
    h('span', { class: 'exec-extra', testid: 'exec-extra' }),
  );
}

function updateCard(el: HTMLElement, card: Card, now: number, selectedId: string | null): void {
  const { info } = card;
  el.dataset['state'] = info.publicState;
  el.className = `exec-card state-${info.publicState}`;
  setText(byTestId(el, 'exec-lane-chip'), info.laneId);
  setText(byTestId(el, 'exec-attempts'), info.attemptCount);
  setText(byTestId(el, 'exec-attempts-label'), info.attemptCount === 1 ? ' attempt' : ' attempts');
  const extras = [info.priority !== 0 ? `p${info.priority}` : '', info.retryCount > 0 ? `${info.retryCount} retr${info.retryCount === 1 ? 'y' : 'ies'}` : ''];
  setText(el.querySelector('.exec-priority'), extras.filter(Boolean).map((s) => ` · ${s}`).join(''));
  setText(byTestId(el, 'exec-extra'), extraLine(card, now));
  el.classList.toggle('lease-expired', info.stateVector.ownershipState === 'lease_expired_reclaimable');
  el.classList.toggle('selected', info.executionId === selectedId);
  el.setAttribute('aria-pressed', String(info.executionId === selectedId));
}

function extraLine(card: Card, now: number): string {
  const { info } = card;
  switch (info.publicState) {
    case 'active':
      if (info.stateVector.ownershipState === 'lease_expired_reclaimable') return 'lease expired: reclaimable';
      return card.leaseExpiresAtMs ? `lease ends ${formatUntil(card.leaseExpiresAtMs, now)}` : 'leased';
    case 'delayed':
      return info.eligibleAtMs === null ? 'delayed' : `${info.retryCount > 0 ? 'retry' : 'starts'} ${formatUntil(info.eligibleAtMs, now)}`;
    case 'waiting':
      return info.requiredCapabilities.length ? `needs ${info.requiredCapabilities.join(', ')}` : 'ready to claim';
    default:
      return info.completedAtMs === null ? info.publicState.replace('_', ' ') : `${info.publicState} at ${formatClockTime(info.completedAtMs)}`;
  }
}
