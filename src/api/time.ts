import { z } from 'zod';
import { timestampMs } from './common.js';

export const advanceTimeInput = z.strictObject({
  /** Milliseconds to move forward (≥ 0). */
  ms: z.number().int('must be an integer').min(0).max(10 * 365 * 24 * 3600 * 1000, 'must be at most 10 years'),
});

export const advanceTimeToInput = z.strictObject({ at: timestampMs });
