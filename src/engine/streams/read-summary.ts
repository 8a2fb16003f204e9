/**
 * readSummary: the summary document that the stream's summary frames built
 * (see summary.ts), or null before the first one.
 */
import { readSummaryInput, type SummaryDocument } from '../../api/streams.js';
import { defineOperation } from '../operation.js';
import { readSummary } from './summary.js';

export const readSummaryOp = defineOperation({
  name: 'readSummary',
  family: 'streams',
  kind: 'read',
  summary: "The summary document an attempt's summary frames built with JSON merge patches, with its version; null before the first.",
  input: readSummaryInput,
  run: ({ ctx }, input): SummaryDocument | null => readSummary(ctx, input),
});
