/**
 * Opaque keyset-pagination cursors, shared by every list operation.
 *
 * A cursor is the base64url (no padding) of the UTF-8 JSON array
 * `[version, scope, ...key]`: `scope` names the list that minted it (a
 * cursor from listWorkers is not one for listFlows) and `key` is the last
 * row's sort key. JSON then UTF-8 round-trips any string, '|' and
 * non-Latin-1 text included (JSON.stringify escapes lone surrogates, so the
 * UTF-8 step is lossless too).
 *
 * Decoding accepts exactly what `encodeCursor` produces: anything else —
 * not base64url, not UTF-8 JSON, another version or scope, the wrong
 * arity or types, a number that is not a safe integer — is the typed
 * `validation.invalid_input` error on field `cursor`.
 */
import { errors } from '../../api/errors.js';

const VERSION = 1;

export type CursorField = 'string' | 'number';
export type CursorKey<S extends readonly CursorField[]> = { -readonly [I in keyof S]: S[I] extends 'number' ? number : string };

/** The cursor for `key`, the last row of a page listed by `scope`. */
export function encodeCursor(scope: string, key: readonly (string | number)[]): string {
  const bytes = new TextEncoder().encode(JSON.stringify([VERSION, scope, ...key]));
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The key of a cursor minted by `encodeCursor(scope, …)`, checked against `shape`. */
export function decodeCursor<const S extends readonly CursorField[]>(scope: string, cursor: string, shape: S): CursorKey<S> {
  const bad = () => errors.invalid('cursor', `not a cursor returned by ${scope}`);
  if (!/^[A-Za-z0-9_-]*$/.test(cursor)) throw bad();
  let parsed: unknown;
  try {
    const binary = atob(cursor.replace(/-/g, '+').replace(/_/g, '/'));
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
  } catch {
    throw bad();
  }
  if (!Array.isArray(parsed) || parsed.length !== shape.length + 2 || parsed[0] !== VERSION || parsed[1] !== scope) throw bad();
  const key: unknown[] = parsed.slice(2);
  const typed = key.every((v, i) => (shape[i] === 'number' ? Number.isSafeInteger(v) : typeof v === 'string'));
  // Only the canonical spelling is a cursor we minted (no padding, spacing or `-0`).
  if (!typed || encodeCursor(scope, key as (string | number)[]) !== cursor) throw bad();
  return key as CursorKey<S>;
}
