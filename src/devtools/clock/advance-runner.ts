/**
 * How the clock bar moves time: every advance runs in slices
 * (advanceInSlices), so the worker keeps answering the other panels between
 * slices, the bar shows how far it has got, and Cancel stops it at the next
 * slice boundary. While one runs, the bar draws its controls disabled, so
 * two advances never race.
 */
import { html, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { advanceInSlices, type SlicedAdvanceResult } from '../../client/advance-in-slices.js';
import { formatTime } from '../format.js';
import type { DevtoolsStore } from '../store.js';

/** The store scope the clock bar's errors are kept under. */
export const CLOCK_SCOPE = 'clock';

export class AdvanceRunner implements ReactiveController {
  private cancel: AbortController | null = null;
  private fraction = 0;
  /** Kept after an advance ends (only hidden), so the last progress line is never lost to a coalesced render. */
  private text = '';

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly store: () => DevtoolsStore,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  /** A host that goes away stops its advance at the next slice; the clock stays where the work did. */
  hostDisconnected(): void {
    this.cancel?.abort();
  }

  get running(): boolean {
    return this.cancel !== null;
  }

  /** Advance to the time `at()` names; resolves with the result, or undefined when it failed (the error sits in the clock bar). */
  async run(action: string, at: () => Promise<number>): Promise<SlicedAdvanceResult | undefined> {
    if (this.cancel) return undefined;
    const store = this.store();
    const cancel = new AbortController();
    this.cancel = cancel;
    this.show(0, 'starting…');
    try {
      const sliceTicks = store.settings.sliceTicks;
      return await store.act(CLOCK_SCOPE, action, async () =>
        advanceInSlices(store.backend, { at: await at() }, {
          signal: cancel.signal,
          ...(sliceTicks === null || sliceTicks === undefined ? {} : { sliceTicks }),
          onProgress: (p) => this.show(p.fraction, `${Math.floor(p.fraction * 100)}% · at ${formatTime(p.reachedAt)} · ${p.slices} slices, ${p.ticks} ticks`),
        }),
      );
    } finally {
      this.cancel = null;
      this.host.requestUpdate();
    }
  }

  template(): TemplateResult {
    return html`<span class="clock-progress" data-testid="clock-progress" ?hidden=${!this.running} aria-live="polite">
      <progress max="1" .value=${this.fraction} aria-label="Advance progress"></progress>
      <span class="muted" data-testid="clock-progress-text">${this.text}</span>
      <button type="button" data-testid="clock-advance-cancel" @click=${() => this.cancel?.abort()}>Cancel</button>
    </span>`;
  }

  private show(fraction: number, text: string): void {
    this.fraction = fraction;
    this.text = text;
    this.host.requestUpdate();
  }
}
