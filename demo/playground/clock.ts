/**
 * The clock bar: the engine's current time, always visible. In virtual mode
 * time stands still until you move it: play (virtual time follows real time,
 * at a chosen rate), pause, advance by a chosen amount, or jump to the next
 * budget reset. Play and pause live in the engine (playClock / pauseClock),
 * so every tab shows the same state and time never runs faster than the
 * rate, however many tabs press Play. In real mode the engine runs on the
 * wall clock and these controls are off.
 */
import { EngineError } from '../../src/index.js';
import type { App, Panel, View } from './app.js';
import { loadPlaying, savePlaying, urlWith } from './config.js';
import { byTestId, h, setAttr, setText } from './dom.js';
import { formatDuration, formatTime, formatUntil } from './format.js';
import { AdvanceRunner } from './clock-advance.js';
import type { SlicedAdvanceResult } from '../../src/index.js';

function formatRate(rate: number): string {
  return rate === 1 ? '1 s per second' : `${formatDuration(rate * 1_000)} per second`;
}

/** Play rates offered: virtual seconds per real second. */
const RATES = [1, 10, 60, 3_600] as const;

const UNITS = { s: 1_000, min: 60_000, h: 3_600_000, day: 86_400_000 } as const;
const QUICK: [string, number][] = [
  ['1s', 1_000],
  ['1m', 60_000],
  ['1h', 3_600_000],
  ['1d', 86_400_000],
];
const QUICK_LABEL: Record<string, string> = { '1s': '+1 s', '1m': '+1 min', '1h': '+1 h', '1d': '+1 day' };

export class ClockPanel implements Panel {
  readonly el: HTMLElement;
  private readonly virtual: boolean;
  /** The engine's play state at the last refresh. */
  private playing = false;
  private rate = 1;
  private readonly runner: AdvanceRunner;

  constructor(private readonly app: App) {
    this.runner = new AdvanceRunner(app, () => byTestId(this.el, 'clock-controls'));
    this.virtual = app.config.clockMode === 'virtual';
    this.el = this.build();
    // ?play=1 / ?play=0 decides; otherwise the saved preference can only start playback, never stop another tab's.
    const wanted = this.virtual ? (app.config.play ?? (loadPlaying(app.config.dbName) || null)) : null;
    if (wanted !== null) void this.setPlaying(wanted);
  }

  private build(): HTMLElement {
    const virtual = this.virtual;
    const disabled = !virtual;
    const amount = h('input', { type: 'number', min: '1', step: '1', value: '30', testid: 'clock-advance-amount', 'aria-label': 'Amount to advance', disabled });
    const unit = h(
      'select',
      { testid: 'clock-advance-unit', 'aria-label': 'Unit', disabled },
      Object.keys(UNITS).map((u) => h('option', { value: u, selected: u === 'min' }, u)),
    );
    return h(
      'div',
      { class: `clock-bar ${virtual ? 'virtual' : 'real'}`, testid: 'panel-clock' },
      h(
        'div',
        { class: 'clock-readout' },
        h('span', { class: 'clock-mode', testid: 'clock-mode' }, virtual ? 'Virtual time' : 'Real time'),
        h('output', { class: 'clock-now mono', testid: 'clock-now', 'aria-live': 'off' }, '…'),
        h('span', { class: 'clock-state', testid: 'clock-state' }),
      ),
      h(
        'div',
        { class: 'clock-controls', testid: 'clock-controls' },
        h('button', { type: 'button', class: 'primary', testid: 'clock-play', disabled, onClick: () => void this.setPlaying(!this.playing) }, '▶ Play'),
        h(
          'select',
          { testid: 'clock-rate', 'aria-label': 'Play rate', disabled, onChange: (ev: Event) => void this.setRate(Number((ev.target as HTMLSelectElement).value)) },
          RATES.map((r) => h('option', { value: String(r), selected: r === 1 }, `${r}×`)),
        ),
        QUICK.map(([id, ms]) =>
          h('button', { type: 'button', testid: `clock-advance-${id}`, disabled, onClick: () => void this.advance(ms) }, QUICK_LABEL[id]),
        ),
        h(
          'form',
          {
            class: 'clock-custom',
            onSubmit: (ev: Event) => {
              ev.preventDefault();
              void this.advance(Number(amount.value) * UNITS[unit.value as keyof typeof UNITS]);
            },
          },
          amount,
          unit,
          h('button', { type: 'submit', testid: 'clock-advance-go', disabled }, 'Advance'),
        ),
        h(
          'button',
          { type: 'button', class: 'accent', testid: 'clock-next-reset', disabled: true, onClick: () => void this.jumpToNextReset() },
          'Jump to next budget reset ',
          h('span', { class: 'muted', testid: 'clock-next-reset-in' }),
        ),
        this.runner.el,
      ),
      h(
        'p',
        { class: 'clock-note', testid: 'clock-note' },
        virtual
          ? 'Time here is virtual: scanners (budget resets, lease expiry, retries) run when you move it. '
          : 'The engine runs on the wall clock; scanners run on timers. Switch to virtual time to pause and jump. ',
        h('a', { href: urlWith({ clock: virtual ? 'real' : 'virtual' }), testid: 'clock-switch' }, virtual ? 'Use real time' : 'Use virtual time'),
        virtual ? ' (a separate database).' : '.',
      ),
    );
  }

  async refresh(view: View): Promise<void> {
    const now = byTestId(this.el, 'clock-now');
    setText(now, formatTime(view.now, true));
    setAttr(now, 'data-now-ms', String(view.now));
    if (this.virtual) {
      const state = await this.app.backend.clockState();
      this.playing = state.playing;
      this.rate = state.rate;
      const rate = byTestId<HTMLSelectElement>(this.el, 'clock-rate');
      if (document.activeElement !== rate) rate.value = String(state.rate);
    }
    setText(byTestId(this.el, 'clock-state'), this.virtual ? (this.playing ? `playing — ${formatRate(this.rate)}` : 'paused') : 'wall clock');
    setText(byTestId(this.el, 'clock-play'), this.playing ? 'Pause' : '▶ Play');
    setAttr(byTestId(this.el, 'clock-play'), 'aria-pressed', String(this.playing));
    if (!this.virtual) return;
    const next = await this.nextBudgetReset();
    const button = byTestId<HTMLButtonElement>(this.el, 'clock-next-reset');
    if (!this.runner.running) button.disabled = next === null;
    setText(byTestId(this.el, 'clock-next-reset-in'), next !== null ? `(${formatUntil(next, view.now)})` : '(none scheduled)');
  }

  /**
   * The earliest next reset of any budget. Not nextDue('budget_reset'): that
   * names only resets with work to do, and an idle budget's schedule moves on
   * without a scanner tick, yet its reset is still the one a user jumps to.
   */
  private async nextBudgetReset(): Promise<number | null> {
    let next: number | null = null;
    let cursor: string | undefined;
    do {
      const page = await this.app.backend.listBudgets({ limit: 500, ...(cursor === undefined ? {} : { cursor }) });
      for (const b of page.budgets) if (b.nextResetAtMs !== null && (next === null || b.nextResetAtMs < next)) next = b.nextResetAtMs;
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    return next;
  }

  private async setPlaying(playing: boolean): Promise<void> {
    const rate = Number(byTestId<HTMLSelectElement>(this.el, 'clock-rate').value) || 1;
    const state = await this.app.act(playing ? 'Playing virtual time' : 'Pausing virtual time', () =>
      playing ? this.app.backend.playClock({ rate }) : this.app.backend.pauseClock(),
    );
    if (!state) return;
    this.playing = state.playing;
    savePlaying(this.app.config.dbName, state.playing);
  }

  /** A new rate applies at once while playing, and to the next Play otherwise. */
  private async setRate(rate: number): Promise<void> {
    if (this.playing) await this.app.act('Changing the play rate', () => this.app.backend.playClock({ rate }));
    else this.app.invalidate();
  }

  private async advance(ms: number): Promise<void> {
    if (!Number.isFinite(ms) || ms <= 0) {
      this.app.notices.error(new EngineError('validation.invalid_input', 'ms: advance by a positive amount', { field: 'ms' }), 'Advancing the clock');
      return;
    }
    const result = await this.runner.run(`Advancing the clock by ${formatDuration(ms)}`, async () => (await this.app.backend.now()) + ms);
    if (result) await this.afterMove(`Advanced ${formatDuration(ms)}`, result);
  }

  private async jumpToNextReset(): Promise<void> {
    const result = await this.runner.run('Jumping to the next budget reset', async () => {
      const at = await this.nextBudgetReset();
      if (at === null) throw new EngineError('not_found', 'No budget reset is scheduled: create a budget with a reset interval first.', { entity: 'budget reset' });
      return Math.max(at, this.app.now);
    });
    if (result) await this.afterMove(`Jumped to ${formatTime(result.target)}`, result);
  }

  private async afterMove(what: string, result: SlicedAdvanceResult): Promise<void> {
    this.app.rememberClock(await this.app.backend.now());
    if (!result.finished) {
      // Never hidden: the clock stopped where the work did, and another advance goes on from there.
      this.app.notices.toast(`${what}: cancelled at ${formatTime(result.reachedAt)} after ${result.ticks.toLocaleString('en-US')} scanner ticks, with nothing due skipped; advance again to go on`, 'info');
      return;
    }
    const summary = Object.entries(result.processed)
      .filter(([, n]) => n > 0)
      .map(([scanner, n]) => `${scanner} ×${n}`)
      .join(', ');
    this.app.notices.toast(summary ? `${what}: ${summary}` : `${what}: no scanner had work`, summary ? 'ok' : 'info');
  }
}
