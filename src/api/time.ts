import { z } from 'zod';
import { SCANNER_NAMES } from '../scanners/scanner.js';
import { timestampMs } from './common.js';

/** No input: the method takes nothing (or `{}`). */
export const noInput = z.strictObject({});

export const advanceTimeInput = z.strictObject({
  /** Milliseconds to move forward (≥ 0). */
  ms: z.number().int('must be an integer').min(0).max(10 * 365 * 24 * 3600 * 1000, 'must be at most 10 years'),
});

export const advanceTimeToInput = z.strictObject({ at: timestampMs });

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
