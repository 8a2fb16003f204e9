/**
 * The clock bar: the engine's current time, always visible. On a virtual
 * clock time stands still until it is moved: play (virtual time follows
 * real time at a chosen rate), pause, advance by an amount, or jump to the
 * next budget reset. Play and pause live in the engine (playClock /
 * pauseClock), so every tab shows the same state and time never runs
 * faster than the rate however many tabs press Play. On a real clock the
 * engine runs on the wall clock, and the controls that would move it are
 * not drawn at all.
 */
import { html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import { EngineError } from '../../api/errors.js';
import type { SlicedAdvanceResult } from '../../client/advance-in-slices.js';
import { DtElement } from '../base.js';
import { defineElement } from '../define.js';
import { formatDuration, formatTime, formatUntil } from '../format.js';
import { AdvanceRunner, CLOCK_SCOPE } from './advance-runner.js';
import { advanceControls, UNITS, type Unit } from './clock-controls.js';
import { nextBudgetReset } from './next-reset.js';

function formatRate(rate: number): string {
  return rate === 1 ? '1 s per second' : `${formatDuration(rate * 1_000)} per second`;
}

export class DtClockBar extends DtElement {
  static override properties: PropertyDeclarations = {
    ...DtElement.properties,
    mode: { state: true },
    playing: { state: true },
    rate: { state: true },
    nextReset: { state: true },
  };
  /** Null until the first read tells (unless the settings say). */
  declare mode: 'virtual' | 'real' | null;
  /** The engine's play state at the last refresh. */
  declare playing: boolean;
  declare rate: number;
  declare nextReset: number | null;
  private readonly runner = new AdvanceRunner(this, () => this.store);
  /** settings.play is applied once, on the first refresh that knows the clock is virtual. */
  private startApplied = false;

  constructor() {
    super();
    this.mode = null;
    this.playing = false;
    this.rate = 1;
    this.nextReset = null;
  }

  override async load(): Promise<void> {
    const state = await this.store.backend.clockState();
    this.mode = this.store.settings.clockMode ?? (state.mode === 'virtual' ? 'virtual' : 'real');
    this.playing = state.playing;
    this.rate = state.rate;
    if (this.mode !== 'virtual') return;
    if (!this.startApplied) {
      this.startApplied = true;
      const wanted = this.store.settings.play;
      if (wanted !== undefined && wanted !== null && wanted !== state.playing) void this.setPlaying(wanted);
    }
    this.nextReset = await nextBudgetReset(this.store.backend);
  }

  override render(): unknown {
    const virtual = this.mode === 'virtual';
    const now = this.store.now;
    const state = this.mode === null ? '' : virtual ? (this.playing ? `playing — ${formatRate(this.rate)}` : 'paused') : 'wall clock';
    return html`<div class="clock-bar ${virtual ? 'virtual' : 'real'}" data-testid="panel-clock" role="region" aria-label="Engine clock">
      <div class="clock-readout">
        <span class="clock-mode" data-testid="clock-mode">${this.mode === null ? 'Clock' : virtual ? 'Virtual time' : 'Real time'}</span>
        <output class="clock-now mono" data-testid="clock-now" data-now-ms=${now} aria-live="off">${now > 0 ? formatTime(now, true) : '…'}</output>
        <span class="clock-state" data-testid="clock-state">${state}</span>
      </div>
      ${virtual ? this.controls() : nothing}
      ${this.mode === null ? nothing : this.note(virtual)}
      ${this.errorBox(CLOCK_SCOPE)}
    </div>`;
  }

  private controls(): TemplateResult {
    const busy = this.runner.running;
    const next = this.nextReset;
    return html`<div class="clock-controls" data-testid="clock-controls">
      <button type="button" class="primary" data-testid="clock-play" aria-pressed=${String(this.playing)} ?disabled=${busy} @click=${() => void this.setPlaying(!this.playing)}>
        ${this.playing ? 'Pause' : '▶ Play'}
      </button>
      <select data-testid="clock-rate" aria-label="Play rate" ?disabled=${busy} .value=${String(this.rate)} @change=${this.onRate}>
        <option value="1">1×</option>
        <option value="10">10×</option>
        <option value="60">60×</option>
        <option value="3600">3600×</option>
      </select>
      ${advanceControls(busy, (ms) => void this.advance(ms), (amount, unit) => this.advanceBy(amount, unit))}
      <button type="button" class="accent" data-testid="clock-next-reset" ?disabled=${busy || next === null} @click=${() => void this.jumpToNextReset()}>
        Jump to next budget reset <span class="next-reset-in" data-testid="clock-next-reset-in">${next !== null ? `(${formatUntil(next, this.store.now)})` : '(none scheduled)'}</span>
      </button>
      ${this.runner.template()}
    </div>`;
  }

  private note(virtual: boolean): TemplateResult {
    const href = this.store.settings.clockSwitchHref;
    return html`<p class="clock-note" data-testid="clock-note">
      ${virtual
        ? 'Time here is virtual: scanners (budget resets, lease expiry, retries) run when you move it.'
        : 'The engine runs on the wall clock; scanners run on timers.'}
      ${href ? html`<a href=${href} data-testid="clock-switch">${virtual ? 'Use real time (a separate database)' : 'Use virtual time'}</a>` : nothing}
    </p>`;
  }

  private async setPlaying(playing: boolean): Promise<void> {
    const select = this.querySelector<HTMLSelectElement>('[data-testid="clock-rate"]');
    const rate = Number(select?.value) || this.rate || 1;
    const { backend, settings } = this.store;
    const state = await this.store.act(CLOCK_SCOPE, playing ? 'Playing virtual time' : 'Pausing virtual time', () => (playing ? backend.playClock({ rate }) : backend.pauseClock()));
    if (!state) return;
    this.playing = state.playing;
    this.rate = state.rate;
    settings.onPlayChange?.(state.playing);
  }

  /** A new rate applies at once while playing, and to the next Play otherwise. */
  private readonly onRate = (event: Event): void => {
    const rate = Number((event.target as HTMLSelectElement).value);
    if (this.playing) void this.store.act(CLOCK_SCOPE, 'Changing the play rate', () => this.store.backend.playClock({ rate }));
  };

  private advanceBy(amount: number, unit: Unit): void {
    // Fractions are fine ("1.5 h"); the engine's clock moves in whole milliseconds.
    void this.advance(Math.round(amount * UNITS[unit]));
  }

  private async advance(ms: number): Promise<void> {
    if (!Number.isSafeInteger(ms) || ms <= 0) {
      // Refused here, beside the form, before anything moves.
      await this.store.act(CLOCK_SCOPE, 'Advancing the clock', () =>
        Promise.reject(new EngineError('validation.invalid_input', 'amount: advance by a positive amount (at most a few hundred thousand years)', { field: 'amount' })),
      );
      return;
    }
    const result = await this.runner.run(`Advancing the clock by ${formatDuration(ms)}`, async () => (await this.store.backend.now()) + ms);
    if (result) await this.afterMove(`Advanced ${formatDuration(ms)}`, result);
  }

  private async jumpToNextReset(): Promise<void> {
    const result = await this.runner.run('Jumping to the next budget reset', async () => {
      const at = await nextBudgetReset(this.store.backend);
      if (at === null) throw new EngineError('not_found', 'No budget reset is scheduled: create a budget with a reset interval first.', { entity: 'budget reset' });
      return Math.max(at, await this.store.backend.now());
    });
    if (result) await this.afterMove(`Jumped to ${formatTime(result.target)}`, result);
  }

  private async afterMove(what: string, result: SlicedAdvanceResult): Promise<void> {
    this.store.rememberClock(await this.store.backend.now());
    if (!result.finished) {
      // Never hidden: the clock stopped where the work did, and another advance goes on from there.
      this.store.toast(`${what}: cancelled at ${formatTime(result.reachedAt)} after ${result.ticks.toLocaleString('en-US')} scanner ticks, with nothing due skipped; advance again to go on`, 'info');
      return;
    }
    const summary = Object.entries(result.processed)
      .filter(([, n]) => n > 0)
      .map(([scanner, n]) => `${scanner} ×${n}`)
      .join(', ');
    this.store.toast(summary ? `${what}: ${summary}` : `${what}: no scanner had work`, summary ? 'ok' : 'info');
  }
}
defineElement('ff-dt-clock', DtClockBar);
