/**
 * seedWaitpointHmacSecret: install the first waitpoint signing key. Seeding
 * the same kid again is answered (`already_seeded`, with whether the secret
 * is the same) and writes nothing; seeding another kid while one is active
 * is refused: rotateWaitpointHmacSecretAll changes kids.
 */
import type { z } from 'zod';
import { errors } from '../../api/errors.js';
import { seedWaitpointHmacSecretInput, type SeedWaitpointHmacSecretResult } from '../../api/suspension.js';
import type { EngineContext } from '../core/context.js';
import { defineOperation } from '../operation.js';
import { activeKey, keyByKid, secretBytes } from './hmac-keys.js';

export function sameSecret(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

export function seedWaitpointHmacSecret(ctx: EngineContext, input: z.output<typeof seedWaitpointHmacSecretInput>, now: number): SeedWaitpointHmacSecretResult {
  const secret = secretBytes(input.secretHex);
  const existing = keyByKid(ctx, input.kid);
  if (existing) return { kind: 'already_seeded', kid: input.kid, sameSecret: sameSecret(existing.secret, secret) };
  const active = activeKey(ctx);
  if (active) {
    throw errors.invalid('kid', `a different kid '${active.kid}' is already active; use rotateWaitpointHmacSecretAll to change kids`, { activeKid: active.kid });
  }
  ctx.db
    .prepare('INSERT INTO ff_waitpoint_hmac (kid, secret, rotated_at_ms, active) VALUES (:kid, :secret, :now, 1)')
    .run({ kid: input.kid, secret, now });
  return { kind: 'seeded', kid: input.kid };
}

export const seedWaitpointHmacSecretOp = defineOperation({
  name: 'seedWaitpointHmacSecret',
  family: 'suspension',
  kind: 'write',
  summary: 'Install the first waitpoint signing key (kid and 64 hex characters of secret); the secret is never returned by any read.',
  input: seedWaitpointHmacSecretInput,
  run: ({ ctx, now }, input): SeedWaitpointHmacSecretResult => seedWaitpointHmacSecret(ctx, input, now),
});
