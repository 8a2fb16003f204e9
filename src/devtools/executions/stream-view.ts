/**
 * The stream part of the drawer: the frames of the latest attempt, live,
 * and that attempt's summary document. Each refresh asks for the frames
 * after the last one seen (tailStream without blocking), which also says
 * whether the stream has closed, so frames arrive in order with no
 * subscription of its own. A new attempt (retry, reclaim, resume) writes a
 * new stream: the view starts over from its beginning.
 */
import { html, nothing, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import type { ExecutionDescription } from '../../api/reads.js';
import type { StreamFrame, SummaryDocument } from '../../api/streams.js';
import { DtElement } from '../base.js';
import { defineElement } from '../define.js';
import { formatTime } from '../format.js';
import type { View } from '../store.js';

/** Frames shown (the newest); the stream itself may hold more. */
const SHOWN = 200;
/** Frames read per refresh. */
const READ_LIMIT = 1000;

interface StreamState {
  executionId: string;
  attemptIndex: number;
  frames: StreamFrame[];
  summary: SummaryDocument | null;
  closedAt: number | null;
  closedReason: string | null;
}

export class DtStream extends DtElement {
  static override properties: PropertyDeclarations = { description: { attribute: false }, stream: { state: true } };
  declare description: ExecutionDescription | null;
  declare stream: StreamState | null;

  constructor() {
    super();
    this.description = null;
    this.stream = null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (this.stream && this.stream.executionId !== this.description?.executionId) this.stream = null;
  }

  override async load(_view: View): Promise<void> {
    const d = this.description;
    const last = d?.attempts.at(-1);
    if (!d || !last) return;
    const executionId = d.executionId;
    const attemptIndex = last.attemptIndex;
    const known = this.stream?.executionId === executionId && this.stream.attemptIndex === attemptIndex ? this.stream : null;
    const after = known?.frames.at(-1)?.id ?? '0-0';
    const [tail, summary] = await Promise.all([
      this.store.backend.tailStream({ executionId, attemptIndex, after, countLimit: READ_LIMIT }),
      this.store.backend.readSummary({ executionId, attemptIndex }),
    ]);
    if (this.description?.executionId !== executionId) return;
    const frames = [...(known?.frames ?? []), ...tail.frames];
    this.stream = { executionId, attemptIndex, frames, summary, closedAt: tail.closedAt, closedReason: tail.closedReason };
  }

  override clear(): void {
    this.stream = null;
  }

  override render(): unknown {
    const s = this.stream;
    if (!s || !this.description?.attempts.length) return nothing;
    const shown = s.frames.slice(-SHOWN);
    return html`<section class="details-section" data-testid="details-stream">
      <h4>Stream <span class="muted" data-testid="stream-attempt">attempt ${s.attemptIndex + 1} · ${s.frames.length} frame${s.frames.length === 1 ? '' : 's'}</span></h4>
      <p class="muted small" data-testid="stream-state" data-closed=${s.closedAt === null ? 'false' : 'true'}>
        ${s.closedAt === null ? 'Open: the worker holding the lease may append.' : `Closed ${formatTime(s.closedAt)} (${s.closedReason ?? 'ended'}).`}
      </p>
      <ol class="frames mono" data-testid="stream-frames" data-empty=${shown.length === 0 ? 'true' : 'false'}>
        ${shown.map(frameItem)}
      </ol>
      <h5>Summary <span class="muted" data-testid="summary-version">${s.summary ? `version ${s.summary.version}` : ''}</span></h5>
      <pre class="summary mono" data-testid="stream-summary">${s.summary ? JSON.stringify(s.summary.document, null, 2) : 'No summary patch yet.'}</pre>
    </section>`;
  }
}

function frameItem(f: StreamFrame): TemplateResult {
  const type = f.fields['frame_type'] ?? '';
  // One line, no template whitespace around it: the frame's text reads as it was written.
  const chip = f.mode === 'durable' ? type || f.mode : `${f.mode} · ${type}`;
  return html`<li data-testid="stream-frame" data-mode=${f.mode} data-frame-id=${f.id}><span class="muted">${f.id}</span> <span class="chip mode-${f.mode}">${chip}</span> <span class="frame-payload">${f.fields['payload'] ?? ''}</span></li>`;
}
defineElement('ff-dt-stream', DtStream);
