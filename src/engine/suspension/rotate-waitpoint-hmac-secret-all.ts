/**
 * rotateWaitpointHmacSecretAll: a new active signing key. The outgoing kid
 * keeps verifying the tokens it signed for `graceMs` on the engine clock,
 * then stops (FlowFabric ignores the grace and verifies old kids forever).
 * New waitpoints are signed with the new kid at once. Rotating to the kid
 * already installed with the same secret is a no-op; with another secret it
 * is a `conflict.rotation_conflict`.
 */
import type { z } from 'zod';
import { EngineError } from '../../api/errors.js';
import { rotateWaitpointHmacSecretAllInput, type RotateWaitpointHmacSecretAllResult } from '../../api/suspension.js';
import type { EngineContext } from '../core/context.js';
import { defineOperation } from '../operation.js';
import { activeKey, keyByKid, secretBytes } from './hmac-keys.js';
import { sameSecret } from './seed-waitpoint-hmac-secret.js';

export function rotateWaitpointHmacSecretAll(
  ctx: EngineContext,
  input: z.output<typeof rotateWaitpointHmacSecretAllInput>,
  now: number,
): RotateWaitpointHmacSecretAllResult {
  const secret = secretBytes(input.newSecretHex);
  const existing = keyByKid(ctx, input.newKid);
  if (existing) {
    if (sameSecret(existing.secret, secret)) return { kind: 'noop', kid: input.newKid };
    throw new EngineError('conflict.rotation_conflict', `kid '${input.newKid}' is already installed with a different secret`, { kid: input.newKid });
  }
  const previous = activeKey(ctx);
  const retiresAt = previous ? now + input.graceMs : null;
  // Only the outgoing kid gets a deadline: kids retired earlier keep theirs.
  if (previous) {
    ctx.db.prepare('UPDATE ff_waitpoint_hmac SET active = 0, grace_until_ms = :retiresAt WHERE kid = :kid').run({ kid: previous.kid, retiresAt });
  }
  ctx.db
    .prepare('INSERT INTO ff_waitpoint_hmac (kid, secret, rotated_at_ms, active) VALUES (:kid, :secret, :now, 1)')
    .run({ kid: input.newKid, secret, now });
  return { kind: 'rotated', previousKid: previous?.kid ?? null, newKid: input.newKid, previousKidRetiresAtMs: retiresAt };
}

export const rotateWaitpointHmacSecretAllOp = defineOperation({
  name: 'rotateWaitpointHmacSecretAll',
  family: 'suspension',
  kind: 'write',
  summary: 'Make a new kid the signing key; tokens of the outgoing kid keep verifying for `graceMs` on the engine clock, then never.',
  input: rotateWaitpointHmacSecretAllInput,
  run: ({ ctx, now }, input): RotateWaitpointHmacSecretAllResult => rotateWaitpointHmacSecretAll(ctx, input, now),
});
