/**
 * A handler's return value as an execution result: strings and bytes are
 * stored as given, `undefined` stores no result, anything else is
 * JSON-encoded (so `{ sent: true }` becomes the text `{"sent":true}`).
 */
import type { Payload } from '../api/common.js';

export function encodeResult(value: unknown): Payload | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' || value instanceof Uint8Array) return value;
  // JSON.stringify throws on BigInt and cycles: the runtime fails the job with that message.
  return JSON.stringify(value) as string | undefined;
}
