/**
 * Reusable zod fields. Every method input is a strict object built from
 * these, so unknown keys (typos) are rejected as loudly as bad values.
 */
import { z } from 'zod';
import { validate as isUuid } from 'uuid';

/** Longest accepted identifier (lanes, workers, namespaces, capabilities, tags). */
export const MAX_NAME_LENGTH = 256;

const EXECUTION_ID = /^\{fp:(\d{1,5})\}:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** `{fp:N}:<uuid>`, N a u16, uuid lowercase hyphenated. */
export const executionId = z.string().superRefine((value, ctx) => {
  const match = EXECUTION_ID.exec(value);
  if (!match) {
    ctx.addIssue({ code: 'custom', message: "expected an execution id of the form '{fp:N}:<lowercase uuid>'" });
  } else if (Number(match[1]) > 0xffff) {
    ctx.addIssue({ code: 'custom', message: 'partition index not in u16 range' });
  } else if (!isUuid(match[2]!)) {
    ctx.addIssue({ code: 'custom', message: 'invalid UUID' });
  }
});

export const uuid = z.string().refine((v) => isUuid(v) && v === v.toLowerCase(), 'expected a lowercase hyphenated UUID');

/** A non-empty printable name without control characters. */
export const name = z
  .string()
  .min(1, 'must not be empty')
  .max(MAX_NAME_LENGTH, `must be at most ${MAX_NAME_LENGTH} characters`)
  // eslint-disable-next-line no-control-regex
  .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), 'must not contain control characters');

/** Unix milliseconds. */
export const timestampMs = z.number().int('must be an integer').min(0).max(8.64e15);

/** A positive duration in milliseconds, at most 30 days. */
export const durationMs = z
  .number()
  .int('must be an integer')
  .positive('must be > 0')
  .max(30 * 24 * 3600 * 1000, 'must be at most 30 days');

export const priority = z
  .number()
  .int('must be an integer')
  .min(-(2 ** 31))
  .max(2 ** 31 - 1);

/** Opaque bytes or text; stored and returned as given. Size is checked by the engine limit. */
export type Payload = Uint8Array | string;
export const payload = z.union([
  z.custom<Uint8Array>((v) => v instanceof Uint8Array, { message: 'expected a Uint8Array or a string' }),
  z.string(),
]);

export const capabilities = z.array(name).max(64, 'at most 64 capabilities');

export const tags = z
  .record(name, z.string().max(4096, 'tag values must be at most 4096 characters'))
  .refine((t) => Object.keys(t).length <= 64, 'at most 64 tags');

export const pageLimit = z.number().int('must be an integer').min(1).max(1000);
