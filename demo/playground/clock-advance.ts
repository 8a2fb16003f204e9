/**
 * How the clock bar moves time: every advance runs in slices
 * (advanceInSlices), so the worker keeps answering the other panels, the bar
 * shows how far it has got, and Cancel stops it at the next slice boundary.
 * While it runs, the clock controls are off, so two advances never race.
 */
import { advanceInSlices, type SlicedAdvanceResult } from '../../src/index.js';
import type { App } from './app.js';
import { h, setText } from './dom.js';
import { formatTime } from './format.js';

export class AdvanceRunner {
  readonly el: HTMLElement;
  private readonly bar: HTMLProgressElement;
  private readonly text: HTMLElement;
  private cancel: AbortController | null = null;

  /** `controls`: the element whose buttons, inputs and selects go off while an advance runs. */
  constructor(
    private readonly app: App,
    private readonly controls: () => HTMLElement,
  ) {
    this.bar = h('progress', { max: '1', value: '0', 'aria-label': 'Advance progress' }) as HTMLProgressElement;
    this.text = h('span', { class: 'muted', testid: 'clock-progress-text' });
    this.el = h(
      'span',
      { class: 'clock-progress', testid: 'clock-progress', hidden: true, 'aria-live': 'polite' },
      this.bar,
      this.text,
      h('button', { type: 'button', testid: 'clock-advance-cancel', onClick: () => this.cancel?.abort() }, 'Cancel'),
    );
  }

  get running(): boolean {
    return this.cancel !== null;
  }

  /** Advance to `at`; resolves with the result, or undefined when it failed (the error is shown). */
  async run(action: string, at: () => Promise<number>): Promise<SlicedAdvanceResult | undefined> {
    if (this.cancel) return undefined;
    const cancel = new AbortController();
    this.cancel = cancel;
    const restore = this.disableControls();
    this.el.hidden = false;
    this.show(0, 'starting…');
    try {
      return await this.app.act(action, async () =>
        advanceInSlices(this.app.backend, { at: await at() }, {
          signal: cancel.signal,
          ...(this.app.config.sliceTicks === null ? {} : { sliceTicks: this.app.config.sliceTicks }),
          onProgress: (p) => this.show(p.fraction, `${Math.floor(p.fraction * 100)}% · at ${formatTime(p.reachedAt)} · ${p.slices} slices, ${p.ticks} ticks`),
        }),
      );
    } finally {
      this.cancel = null;
      this.el.hidden = true;
      restore();
    }
  }

  private show(fraction: number, text: string): void {
    this.bar.value = fraction;
    setText(this.text, text);
  }

  /** Turn the controls off; the returned function gives each back the state it had. */
  private disableControls(): () => void {
    const inputs = [...this.controls().querySelectorAll<HTMLButtonElement | HTMLInputElement | HTMLSelectElement>('button, input, select')].filter(
      (el) => !this.el.contains(el),
    );
    const before = inputs.map((el) => el.disabled);
    for (const el of inputs) el.disabled = true;
    return () => inputs.forEach((el, i) => (el.disabled = before[i]!));
  }
}
