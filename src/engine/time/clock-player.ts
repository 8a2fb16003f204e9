/**
 * Clock playback: while playing, virtual time follows real time at a rate.
 * It lives in the engine, beside the ManualClock it moves, so every client
 * of one engine (every tab of one database) sees one play state, and time
 * never runs faster than the rate however many of them press Play.
 *
 * Each step advances the clock by the real time since the previous step
 * times the rate, through the engine's own advance (scanners run, the time
 * is recorded). Real time comes from an injected WallTimer, so a test drives
 * playback with a ManualTimer instead of waiting.
 */
import type { TimerId, WallTimer } from '../../worker-runtime/worker-runtime-timer.js';

/** Real milliseconds between steps. */
export const PLAY_STEP_MS = 250;
/** Longest real gap one step catches up: after a sleep or a stall, time moves on gently instead of leaping. */
export const MAX_CATCH_UP_MS = 5_000;

export interface PlaybackState {
  /** 'virtual' for a ManualClock, 'real' for the wall clock (always playing, at rate 1). */
  mode: 'virtual' | 'real';
  now: number;
  playing: boolean;
  /** Virtual milliseconds per real millisecond. */
  rate: number;
}

export class ClockPlayer {
  private playing = false;
  private rate = 1;
  private lastWall = 0;
  /** Fractions of a virtual millisecond not yet applied (slow rates). */
  private carry = 0;
  private timer: TimerId | undefined;

  constructor(
    private readonly wall: WallTimer,
    /** Move the clock forward by whole milliseconds. */
    private readonly advance: (ms: number) => void,
    private readonly now: () => number,
    private readonly onError: (error: unknown) => void,
  ) {}

  state(): PlaybackState {
    return { mode: 'virtual', now: this.now(), playing: this.playing, rate: this.rate };
  }

  /** Start (or keep) playing at `rate`. Playing again changes only the rate. */
  play(rate: number): PlaybackState {
    if (this.playing) this.catchUp();
    else {
      this.playing = true;
      this.lastWall = this.wall.now();
      this.carry = 0;
      this.schedule();
    }
    this.rate = rate;
    return this.state();
  }

  /** Stop, after moving time up to the present. */
  pause(): PlaybackState {
    if (this.playing) {
      this.catchUp();
      this.stop();
    }
    return this.state();
  }

  /** Stop without a last step (the engine is closing). */
  stop(): void {
    this.playing = false;
    if (this.timer !== undefined) this.wall.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    this.timer = this.wall.setTimeout(() => {
      this.timer = undefined;
      if (!this.playing) return;
      try {
        this.catchUp();
      } catch (err) {
        // A failing step (a closed engine, a database error) stops playback rather than retrying forever.
        this.stop();
        this.onError(err);
        return;
      }
      this.schedule();
    }, PLAY_STEP_MS);
    (this.timer as { unref?: () => void } | undefined)?.unref?.();
  }

  private catchUp(): void {
    const wall = this.wall.now();
    const elapsed = Math.min(MAX_CATCH_UP_MS, Math.max(0, wall - this.lastWall));
    this.lastWall = wall;
    const exact = elapsed * this.rate + this.carry;
    const ms = Math.floor(exact);
    this.carry = exact - ms;
    if (ms > 0) this.advance(ms);
  }
}
