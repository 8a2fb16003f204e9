import { z } from 'zod';
import { SCANNER_NAMES } from '../scanners/scanner.js';
import { timestampMs } from './common.js';

/** No input: the method takes nothing (or `{}`). */
export const noInput = z.strictObject({});

/**
 * An advance's work budget. Without one, an advance does everything due up to
 * its target (bounded only by the 1,000,000-tick safety cap); with one, it
 * may stop short. Stopping short is never silent: the clock stays at the last
 * tick that ran and the result says `finished: false`.
 */
const advanceLimits = {
  /** Run at most this many scanner ticks; without it, at most the safety cap of 1,000,000. */
  maxTicks: z.number().int('must be an integer').min(1, 'must be ≥ 1').max(Number.MAX_SAFE_INTEGER).optional(),
  /** Stop after this many real milliseconds (checked between ticks; the first tick always runs); without it, no limit. */
  maxWallMs: z.number().int('must be an integer').min(0).max(3_600_000, 'must be at most an hour').optional(),
};

export const advanceTimeInput = z.strictObject({
  /** Milliseconds to move forward (≥ 0). */
  ms: z.number().int('must be an integer').min(0).max(10 * 366 * 24 * 3600 * 1000, 'must be at most 10 years'),
  ...advanceLimits,
});

export const advanceTimeToInput = z.strictObject({
  /** The engine time to move to (Unix ms, not before now). */
  at: timestampMs,
  ...advanceLimits,
});

/** One of the engine's scanners, by name. */
export const scannerName = z.enum(SCANNER_NAMES, { error: () => `must be one of ${SCANNER_NAMES.join(', ')}` });

export const runScannerInput = z.strictObject({ scanner: scannerName });

export const nextDueInput = z.strictObject({ scanner: scannerName.optional() });

export const shutdownInput = z.strictObject({
  /** Real milliseconds to wait for a running tick. @default 0 */
  graceMs: z.number().int('must be an integer').min(0).max(60_000, 'must be at most 60 s').optional(),
});

export const playClockInput = z.strictObject({
  /** Virtual milliseconds per real millisecond: 60 plays a minute a second. @default 1 */
  rate: z.number().positive('must be > 0').max(86_400, 'must be at most 86400 (a day a second)').optional(),
});
