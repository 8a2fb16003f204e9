import { noInput } from '../../api/time.js';
import { defineOperation } from '../operation.js';

export const nowOp = defineOperation({
  name: 'now',
  family: 'time',
  kind: 'control',
  summary: "The engine clock's reading, in Unix milliseconds.",
  input: noInput,
  run: ({ now }): number => now,
});
