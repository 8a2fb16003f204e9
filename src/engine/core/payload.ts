import type { Payload } from '../../api/common.js';
import { errors } from '../../api/errors.js';

/** Reject a payload larger than `limit` bytes (UTF-8 for strings). */
export function checkPayloadSize(field: string, payload: Payload | undefined, limit: number): void {
  if (payload === undefined) return;
  let bytes: number;
  if (typeof payload !== 'string') bytes = payload.byteLength;
  // A UTF-16 unit encodes to at most 3 UTF-8 bytes: only encode when it could matter.
  else if (payload.length * 3 <= limit) return;
  else bytes = new TextEncoder().encode(payload).byteLength;
  if (bytes > limit) throw errors.invalid(field, `payload of ${bytes} bytes exceeds the limit of ${limit} bytes`, { bytes, limit });
}

/** better-sqlite3 returns Buffers; callers get plain Uint8Arrays (or the stored text). */
export function readPayload(value: unknown): Payload | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) {
    return value.constructor === Uint8Array ? value : new Uint8Array(value.buffer, value.byteOffset, value.byteLength).slice();
  }
  return null;
}
