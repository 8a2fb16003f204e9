/**
 * Waitpoint tokens: HMAC-SHA-256 with the keystore's secrets.
 *
 * A token is `<kid>:<digest>`, the digest being the lowercase hex of
 * HMAC-SHA-256(secret of kid, `<kid>:<executionId>:<waitpointId>`). Signing
 * is deterministic, so the token for a waitpoint can be checked by
 * recomputing it; the comparison runs in constant time so a forger learns
 * nothing from how long a refusal took.
 *
 * A kid rotated out keeps verifying until its `grace_until_ms` on the engine
 * clock, then never again (FlowFabric keeps old kids forever). Secrets are
 * read here and nowhere else; no operation returns one.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { EngineError, errors } from '../../api/errors.js';
import type { EngineContext } from '../core/context.js';

const DIGEST = /^[0-9a-f]{64}$/;

/** Why a token was refused, in `details.reason`. */
export type TokenRefusal = 'malformed' | 'wrong_kid' | 'unknown_kid' | 'kid_retired' | 'signature_mismatch' | 'wrong_execution' | 'expired';

export function tokenRefused(reason: TokenRefusal, message: string, extra: Record<string, unknown> = {}): EngineError {
  return new EngineError('validation.invalid_token', `waitpointToken: ${message}`, { field: 'waitpointToken', reason, ...extra });
}

export interface KeyRow {
  kid: string;
  secret: Uint8Array;
  grace_until_ms: number | null;
}

export function activeKey(ctx: EngineContext): KeyRow | undefined {
  return ctx.db
    .prepare('SELECT kid, secret, grace_until_ms FROM ff_waitpoint_hmac WHERE active = 1 ORDER BY rotated_at_ms DESC LIMIT 1')
    .get<KeyRow>();
}

export function keyByKid(ctx: EngineContext, kid: string): KeyRow | undefined {
  return ctx.db.prepare('SELECT kid, secret, grace_until_ms FROM ff_waitpoint_hmac WHERE kid = :kid').get<KeyRow>({ kid });
}

/** The active key, or a typed refusal naming the operation that needed one. */
export function requireActiveKey(ctx: EngineContext, op: string): KeyRow {
  const key = activeKey(ctx);
  if (!key) throw errors.invalid('waitpoints', `no waitpoint HMAC secret is seeded: call seedWaitpointHmacSecret before ${op}`);
  return key;
}

export function secretBytes(hex: string): Uint8Array {
  return hexToBytes(hex.toLowerCase());
}

function digest(secret: Uint8Array, kid: string, executionId: string, waitpointId: string): Uint8Array {
  return hmac(sha256, secret, utf8ToBytes(`${kid}:${executionId}:${waitpointId}`));
}

export function mintToken(key: KeyRow, executionId: string, waitpointId: string): string {
  return `${key.kid}:${bytesToHex(digest(key.secret, key.kid, executionId, waitpointId))}`;
}

/** Split a token into kid and digest; null when it is not `<kid>:<64 lowercase hex>`. */
export function parseToken(token: string): { kid: string; digest: string } | null {
  const at = token.indexOf(':');
  if (at <= 0) return null;
  const digestHex = token.slice(at + 1);
  return DIGEST.test(digestHex) ? { kid: token.slice(0, at), digest: digestHex } : null;
}

/** Equal-length byte arrays compared without an early exit. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/**
 * Check `token` for `(executionId, waitpointId)`, signed by `expectedKid`
 * (the kid that minted the waitpoint's token). Throws a typed refusal.
 */
export function verifyToken(ctx: EngineContext, token: string, expectedKid: string, executionId: string, waitpointId: string, now: number): void {
  const parsed = parseToken(token);
  if (!parsed) throw tokenRefused('malformed', "expected '<kid>:<64 lowercase hex characters>'");
  if (parsed.kid !== expectedKid) throw tokenRefused('wrong_kid', 'the token names a kid other than the one that signed this waitpoint');
  const key = keyByKid(ctx, parsed.kid);
  if (!key) throw tokenRefused('unknown_kid', `kid '${parsed.kid}' is not in the keystore`);
  if (key.grace_until_ms !== null && now >= key.grace_until_ms) {
    throw tokenRefused('kid_retired', `kid '${parsed.kid}' was rotated out and its grace period ended`, { retiredAtMs: key.grace_until_ms });
  }
  const expected = digest(key.secret, key.kid, executionId, waitpointId);
  if (!sameBytes(expected, hexToBytes(parsed.digest))) throw tokenRefused('signature_mismatch', 'the signature does not match this waitpoint');
}

/** The redacted form listings show: kid and the first 16 hex characters of the digest. */
export function redactToken(token: string): { tokenKid: string; tokenFingerprint: string } {
  const parsed = parseToken(token);
  return parsed ? { tokenKid: parsed.kid, tokenFingerprint: parsed.digest.slice(0, 16) } : { tokenKid: '', tokenFingerprint: '' };
}
