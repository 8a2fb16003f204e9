/**
 * Waitpoint tokens and the HMAC keystore: the token's form (an HMAC-SHA-256
 * recomputed here independently), every kind of bad token refused with a
 * typed error and the database image unchanged, and rotation with a grace
 * period honoured on the virtual clock (FlowFabric ignores the grace and
 * verifies old kids forever).
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import type { Engine } from '../../src/index.js';
import { catchError, rows, sameImage } from './helpers.js';
import { claimedExecution, KID, SECRET, SECRET_2, signal, suspendedExecution, suspendOn } from './suspension-helpers.js';

/** The call is refused as `code` (with `reason`, for a token) and the database image is byte-identical afterwards. */
function refusedUnchanged(engine: Engine, call: () => unknown, code: string, reason?: string): void {
  const before = engine.exportImage();
  const err = catchError(call);
  expect(err.code, err.message).toBe(code);
  if (reason !== undefined) expect(err.details).toMatchObject({ field: 'waitpointToken', reason });
  expect(sameImage(engine.exportImage(), before)).toBe(true);
}

describe('the token', () => {
  it('is <kid>:<lowercase hex HMAC-SHA-256 of "<kid>:<executionId>:<waitpointId>">', async () => {
    const t = await suspendedExecution(['k'], { kind: 'approval' });
    const wp = t.suspended.waitpoints[0]!;
    const mac = bytesToHex(hmac(sha256, hexToBytes(SECRET), utf8ToBytes(`${KID}:${t.executionId}:${wp.waitpointId}`)));
    expect(wp.token).toBe(`${KID}:${mac}`);
  });

  it('no read returns the secret', async () => {
    const t = await suspendedExecution(['k'], { kind: 'approval' });
    const reads = [
      t.engine.listPendingWaitpoints({ executionId: t.executionId }),
      t.engine.readWaitpointToken({ waitpointId: t.suspended.waitpoints[0]!.waitpointId }),
      t.engine.describeExecution({ executionId: t.executionId }),
      t.engine.readEvents({ channel: 'signal' }),
      t.suspended,
    ];
    for (const value of reads) expect(JSON.stringify(value)).not.toMatch(/cafebabe/i);
  });
});

describe('a bad token is refused with a typed error and changes nothing', () => {
  async function setUp() {
    const t = await suspendedExecution(['k'], { kind: 'approval' });
    const wp = t.suspended.waitpoints[0]!;
    const deliver = (token: string, executionId = t.executionId) => () =>
      t.engine.deliverSignal({ executionId, waitpointId: wp.waitpointId, waitpointToken: token, signalName: 'approved' });
    return { ...t, wp, deliver };
  }

  it('forged: a signature made with another secret', async () => {
    const t = await setUp();
    const forged = bytesToHex(hmac(sha256, hexToBytes(SECRET_2), utf8ToBytes(`${KID}:${t.executionId}:${t.wp.waitpointId}`)));
    refusedUnchanged(t.engine, t.deliver(`${KID}:${forged}`), 'validation.invalid_token', 'signature_mismatch');
  });

  it('one flipped digit', async () => {
    const t = await setUp();
    const last = t.wp.token.at(-1) === '0' ? '1' : '0';
    refusedUnchanged(t.engine, t.deliver(t.wp.token.slice(0, -1) + last), 'validation.invalid_token', 'signature_mismatch');
  });

  it.each([
    ['truncated', (token: string) => token.slice(0, -2)],
    ['uppercase', (token: string) => token.toUpperCase().replace(KID.toUpperCase(), KID)],
    ['without a kid', (token: string) => token.slice(KID.length + 1)],
    ['empty', () => ''],
  ])('%s', async (_label, mangle) => {
    const t = await setUp();
    refusedUnchanged(t.engine, t.deliver(mangle(t.wp.token)), 'validation.invalid_token', 'malformed');
  });

  it('naming another kid', async () => {
    const t = await setUp();
    refusedUnchanged(t.engine, t.deliver(t.wp.token.replace(`${KID}:`, 'other:')), 'validation.invalid_token', 'wrong_kid');
  });

  it("for another execution's waitpoint", async () => {
    const t = await setUp();
    const { executionId: other } = t.engine.createExecution({ laneId: 'l' });
    refusedUnchanged(t.engine, t.deliver(t.wp.token, other), 'validation.invalid_token', 'wrong_execution');
  });

  it("another waitpoint's valid token", async () => {
    const t = await suspendedExecution(['a', 'b'], { kind: 'approval', waitpointKey: 'a' });
    const [a, b] = t.suspended.waitpoints;
    refusedUnchanged(
      t.engine,
      () => t.engine.deliverSignal({ executionId: t.executionId, waitpointId: a!.waitpointId, waitpointToken: b!.token, signalName: 'approved' }),
      'validation.invalid_token',
      'signature_mismatch',
    );
  });

  it('expired: from exactly the waitpoint expiry on (the scanners are off, so the row is still there)', async () => {
    const t = await suspendedExecution(['k'], { kind: 'approval' }, { timeout: { atMs: 1_700_000_060_000, behavior: 'fail' } });
    const wp = t.suspended.waitpoints[0]!;
    const deliver = () => t.engine.deliverSignal({ executionId: t.executionId, waitpointId: wp.waitpointId, waitpointToken: wp.token, signalName: 'other' });
    t.clock.advanceTo(1_700_000_059_999);
    expect(deliver().effect).toBe('appended_to_waitpoint');
    t.clock.advanceTo(1_700_000_060_000);
    refusedUnchanged(t.engine, deliver, 'validation.invalid_token', 'expired');
  });

  it('rotated out, once the grace period has ended', async () => {
    const t = await setUp();
    t.engine.rotateWaitpointHmacSecretAll({ newKid: 'kid-2', newSecretHex: SECRET_2, graceMs: 0 });
    refusedUnchanged(t.engine, t.deliver(t.wp.token), 'validation.invalid_token', 'kid_retired');
  });

  it('a repeated idempotency key does not stand in for the token', async () => {
    const t = await setUp();
    t.engine.deliverSignal({ executionId: t.executionId, waitpointId: t.wp.waitpointId, waitpointToken: t.wp.token, signalName: 'approved', idempotencyKey: 'k' });
    const forged = `${KID}:${'0'.repeat(64)}`;
    const replay = (token: string) => () =>
      t.engine.deliverSignal({ executionId: t.executionId, waitpointId: t.wp.waitpointId, waitpointToken: token, signalName: 'approved', idempotencyKey: 'k' });
    // The condition was met, so the waitpoint is gone; the replay is still checked against the signature.
    refusedUnchanged(t.engine, replay(forged), 'validation.invalid_token', 'signature_mismatch');
    expect(replay(t.wp.token)()).toMatchObject({ duplicate: true, effect: 'resume_condition_satisfied' });
  });

  it('an unknown waitpoint is not_found', async () => {
    const t = await setUp();
    const call = () =>
      t.engine.deliverSignal({ executionId: t.executionId, waitpointId: '00000000-0000-4000-8000-000000000000', waitpointToken: t.wp.token, signalName: 'approved' });
    refusedUnchanged(t.engine, call, 'not_found');
  });
});

describe('the keystore', () => {
  it('seeding twice answers already_seeded; another kid while one is active is refused', async () => {
    const t = await claimedExecution({ seed: false });
    expect(t.engine.seedWaitpointHmacSecret({ kid: KID, secretHex: SECRET })).toEqual({ kind: 'seeded', kid: KID });
    expect(t.engine.seedWaitpointHmacSecret({ kid: KID, secretHex: SECRET })).toEqual({ kind: 'already_seeded', kid: KID, sameSecret: true });
    expect(t.engine.seedWaitpointHmacSecret({ kid: KID, secretHex: SECRET_2 })).toEqual({ kind: 'already_seeded', kid: KID, sameSecret: false });
    refusedUnchanged(t.engine, () => t.engine.seedWaitpointHmacSecret({ kid: 'kid-2', secretHex: SECRET_2 }), 'validation.invalid_input');
  });

  it.each([
    ['a kid with ":"', { kid: 'a:b', secretHex: SECRET }, 'kid'],
    ['an empty kid', { kid: '', secretHex: SECRET }, 'kid'],
    ['a short secret', { kid: 'k', secretHex: 'abcd' }, 'secretHex'],
    ['a secret that is not hex', { kid: 'k', secretHex: 'zz'.repeat(32) }, 'secretHex'],
  ])('refuses %s', async (_label, input, field) => {
    const t = await claimedExecution({ seed: false });
    const before = t.engine.exportImage();
    expect(catchError(() => t.engine.seedWaitpointHmacSecret(input))).toMatchObject({ code: 'validation.invalid_input', details: { field } });
    expect(sameImage(t.engine.exportImage(), before)).toBe(true);
  });

  it('rotation: a repeat is a noop, the same kid with another secret a conflict', async () => {
    const t = await claimedExecution();
    expect(t.engine.rotateWaitpointHmacSecretAll({ newKid: 'kid-2', newSecretHex: SECRET_2, graceMs: 1000 })).toEqual({
      kind: 'rotated',
      previousKid: KID,
      newKid: 'kid-2',
      previousKidRetiresAtMs: t.clock.now() + 1000,
    });
    expect(t.engine.rotateWaitpointHmacSecretAll({ newKid: 'kid-2', newSecretHex: SECRET_2, graceMs: 1000 })).toEqual({ kind: 'noop', kid: 'kid-2' });
    refusedUnchanged(t.engine, () => t.engine.rotateWaitpointHmacSecretAll({ newKid: 'kid-2', newSecretHex: SECRET, graceMs: 0 }), 'conflict.rotation_conflict');
    // New waitpoints are signed by the new kid.
    expect(suspendOn(t, ['k'], { kind: 'approval' }).waitpoints[0]!.token.startsWith('kid-2:')).toBe(true);
  });

  it('old tokens verify through the grace period and stop at exactly its end, on the engine clock', async () => {
    const t = await suspendedExecution(['a', 'b', 'c'], { kind: 'signals', mode: 'all_of', signals: [{ name: 'never' }] });
    const rotatedAt = t.clock.now();
    t.engine.rotateWaitpointHmacSecretAll({ newKid: 'kid-2', newSecretHex: SECRET_2, graceMs: 60_000 });
    expect(signal(t, 'a', 'x').effect).toBe('appended_to_waitpoint');
    t.clock.advanceTo(rotatedAt + 59_999);
    expect(signal(t, 'b', 'x').effect).toBe('appended_to_waitpoint');
    t.clock.advanceTo(rotatedAt + 60_000);
    refusedUnchanged(t.engine, () => signal(t, 'c', 'x'), 'validation.invalid_token', 'kid_retired');
    expect(rows(t.engine, 'SELECT kid, active, grace_until_ms FROM ff_waitpoint_hmac ORDER BY kid')).toEqual([
      { kid: 'kid-2', active: 1, grace_until_ms: null },
      { kid: KID, active: 0, grace_until_ms: rotatedAt + 60_000 },
    ]);
  });
});
