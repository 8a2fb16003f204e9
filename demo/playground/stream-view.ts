/**
 * The stream part of an execution's details: the frames of its latest
 * attempt, live, and that attempt's summary document. Selecting reads the
 * stream so far (readStream); after that every frame comes from the page's
 * `stream` subscription, merged by frame id so a frame that arrives while
 * the read is in flight is neither lost nor shown twice.
 */
import type { BackendEvent, ExecutionDescription, StreamFrame, SummaryDocument } from '../../src/index.js';
import type { App } from './app.js';
import { byTestId, h, setAttr, setText, syncList } from './dom.js';
import { formatTime } from './format.js';

/** Frames shown (the newest); the stream itself may hold more. */
const SHOWN = 200;

export class StreamView {
  readonly el = h(
    'section',
    { class: 'details-section', testid: 'details-stream', hidden: true },
    h('h4', null, 'Stream ', h('span', { class: 'muted', testid: 'stream-attempt' })),
    h('p', { class: 'muted small', testid: 'stream-state' }),
    h('ol', { class: 'frames mono', testid: 'stream-frames' }),
    h('h5', null, 'Summary ', h('span', { class: 'muted', testid: 'summary-version' })),
    h('pre', { class: 'summary mono', testid: 'stream-summary' }),
  );
  private executionId: string | null = null;
  private attemptIndex: number | null = null;
  private readonly frames = new Map<string, StreamFrame>();
  private summary: SummaryDocument | null = null;
  private closed: { at: number | null; reason: string | null } = { at: null, reason: null };

  constructor(private readonly app: App) {
    app.onEvent((e) => this.onEvent(e));
  }

  select(executionId: string): void {
    this.executionId = executionId;
    this.attemptIndex = null;
    this.frames.clear();
    this.summary = null;
  }

  async update(d: ExecutionDescription): Promise<void> {
    const last = d.attempts.at(-1);
    if (!last || d.executionId !== this.executionId) {
      this.el.hidden = true;
      return;
    }
    const executionId = d.executionId;
    const attemptIndex = last.attemptIndex;
    if (attemptIndex !== this.attemptIndex) {
      // A new attempt (retry, reclaim, resume) writes a new stream: start over from its beginning.
      this.attemptIndex = attemptIndex;
      this.frames.clear();
      const read = await this.app.backend.readStream({ executionId, attemptIndex, from: 'start', to: 'end', countLimit: 10_000 });
      if (this.executionId !== executionId || this.attemptIndex !== attemptIndex) return;
      for (const f of read.frames) this.frames.set(f.id, f);
    }
    const [summary, state] = await Promise.all([
      this.app.backend.readSummary({ executionId, attemptIndex }),
      // Only the closure is wanted here: the frames come from the subscription.
      this.app.backend.readStream({ executionId, attemptIndex, countLimit: 1 }),
    ]);
    if (this.executionId !== executionId || this.attemptIndex !== attemptIndex) return;
    this.summary = summary;
    this.closed = { at: state.closedAt, reason: state.closedReason };
    this.render();
  }

  private onEvent(e: BackendEvent): void {
    if (e.channel !== 'stream' || e.executionId !== this.executionId || e.attemptIndex !== this.attemptIndex) return;
    this.frames.set(e.frameId, { id: e.frameId, mode: e.mode, fields: e.fields });
    this.app.invalidate();
  }

  private render(): void {
    this.el.hidden = false;
    const frames = [...this.frames.values()].sort((a, b) => compareFrameIds(a.id, b.id)).slice(-SHOWN);
    setText(byTestId(this.el, 'stream-attempt'), `attempt ${(this.attemptIndex ?? 0) + 1} · ${this.frames.size} frame${this.frames.size === 1 ? '' : 's'}`);
    setText(
      byTestId(this.el, 'stream-state'),
      this.closed.at === null ? 'Open: the worker holding the lease may append.' : `Closed ${formatTime(this.closed.at)} (${this.closed.reason ?? 'ended'}).`,
    );
    setAttr(byTestId(this.el, 'stream-state'), 'data-closed', this.closed.at === null ? 'false' : 'true');
    // Keyed by attempt too: two attempts' streams can hold the same frame ids (same millisecond, seq from 0).
    syncList(byTestId(this.el, 'stream-frames'), frames, (f) => `${this.attemptIndex}:${f.id}`, frameItem, () => {});
    const empty = byTestId(this.el, 'stream-frames').childElementCount === 0;
    byTestId(this.el, 'stream-frames').dataset['empty'] = String(empty);
    setText(byTestId(this.el, 'summary-version'), this.summary ? `version ${this.summary.version}` : '');
    setText(byTestId(this.el, 'stream-summary'), this.summary ? JSON.stringify(this.summary.document, null, 2) : 'No summary patch yet.');
  }
}

function frameItem(f: StreamFrame): HTMLElement {
  return h(
    'li',
    { testid: 'stream-frame', 'data-mode': f.mode, 'data-frame-id': f.id },
    h('span', { class: 'muted' }, f.id),
    ' ',
    h('span', { class: `chip mode-${f.mode}` }, f.mode === 'durable' ? (f.fields['frame_type'] ?? f.mode) : `${f.mode} · ${f.fields['frame_type'] ?? ''}`),
    ' ',
    h('span', { class: 'frame-payload' }, f.fields['payload'] ?? ''),
  );
}

/** '<ms>-<seq>' ids in append order (numeric, not string, comparison). */
function compareFrameIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(Number) as [number, number];
  const [bm, bs] = b.split('-').map(Number) as [number, number];
  return am - bm || as - bs;
}
