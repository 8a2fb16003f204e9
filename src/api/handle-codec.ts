/**
 * FlowFabric's v2 handle wire layout, for interop with tools that carry
 * handles as bytes. Little-endian:
 *
 *   u8 magic 0x02 · u8 version 0x01 · u8 backend tag (0x01 valkey, 0x02 postgres, 0x03 sqlite)
 *   str execution_id · u32 attempt_index · str attempt_id · str lease_id
 *   u64 lease_epoch · u64 lease_ttl_ms · str lane_id · str worker_instance_id
 *
 * where `str` is a u32 byte length followed by UTF-8. No trailing bytes.
 * A legacy v1 buffer (leading 0x01, no tag byte) always came from Valkey.
 * The handle's `kind` travels beside the bytes, not inside them.
 */
import { z } from 'zod';
import { EngineError } from './errors.js';
import { HANDLE_KINDS, handle as handleSchema, type BackendTag, type Handle, type HandleKind } from './handle.js';
import { parseInput } from './validate.js';

// The handle is checked whole, so every field that could not round-trip
// (a fractional TTL, a negative attempt index, an epoch of 0) is a typed error.
const encodeInput = z.strictObject({ handle: handleSchema });
const kindInput = z.strictObject({ kind: z.enum(HANDLE_KINDS) });

const MAGIC_V2 = 0x02;
const MAGIC_V1 = 0x01;
const WIRE_VERSION = 0x01;
const TAGS: Record<number, BackendTag> = { 0x01: 'valkey', 0x02: 'postgres', 0x03: 'sqlite' };
const SQLITE_TAG = 0x03;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function encodeHandle(input: Handle): Uint8Array {
  const { handle } = parseInput('encodeHandle', encodeInput, { handle: input });
  if (handle.backend !== 'sqlite') {
    throw new EngineError('validation.handle_from_other_backend', `cannot encode a ${handle.backend} handle`, {
      field: 'handle.backend',
      expected: 'sqlite',
      actual: handle.backend,
    });
  }
  const strings = [handle.executionId, handle.attemptId, handle.leaseId, handle.laneId, handle.workerInstanceId].map((s) =>
    encoder.encode(s),
  );
  const size = 3 + strings.reduce((n, s) => n + 4 + s.byteLength, 0) + 4 + 8 + 8;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let at = 0;
  const u8 = (v: number): void => void view.setUint8(at++, v);
  const u32 = (v: number): void => {
    view.setUint32(at, v, true);
    at += 4;
  };
  const u64 = (v: number): void => {
    view.setBigUint64(at, BigInt(v), true);
    at += 8;
  };
  const str = (bytes: Uint8Array): void => {
    u32(bytes.byteLength);
    out.set(bytes, at);
    at += bytes.byteLength;
  };
  u8(MAGIC_V2);
  u8(WIRE_VERSION);
  u8(SQLITE_TAG);
  str(strings[0]!);
  u32(handle.attemptIndex);
  str(strings[1]!);
  str(strings[2]!);
  u64(handle.leaseEpoch);
  u64(handle.leaseTtlMs);
  str(strings[3]!);
  str(strings[4]!);
  return out;
}

function corrupt(detail: string): EngineError {
  return new EngineError('validation.corruption', `handle_codec: ${detail}`, { field: 'handle' });
}

function foreign(actual: string): EngineError {
  return new EngineError('validation.handle_from_other_backend', `handle was minted by the ${actual} backend, not sqlite`, {
    field: 'handle',
    expected: 'sqlite',
    actual,
  });
}

export function decodeHandle(bytes: Uint8Array, kind: HandleKind = 'fresh'): Handle {
  parseInput('decodeHandle', kindInput, { kind });
  if (!(bytes instanceof Uint8Array)) throw corrupt('expected a Uint8Array');
  if (bytes.byteLength === 0) throw corrupt('empty buffer');
  if (bytes[0] === MAGIC_V1) throw foreign('valkey');
  if (bytes[0] !== MAGIC_V2) throw corrupt(`unknown magic byte 0x${bytes[0]!.toString(16)}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 1;
  const need = (n: number): void => {
    if (at + n > bytes.byteLength) throw corrupt(`truncated at byte ${at}`);
  };
  const u8 = (): number => {
    need(1);
    return view.getUint8(at++);
  };
  const u32 = (): number => {
    need(4);
    const v = view.getUint32(at, true);
    at += 4;
    return v;
  };
  const u64 = (): number => {
    need(8);
    const v = view.getBigUint64(at, true);
    at += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw corrupt('u64 field beyond Number.MAX_SAFE_INTEGER');
    return Number(v);
  };
  const str = (): string => {
    const len = u32();
    need(len);
    try {
      return decoder.decode(bytes.subarray(at, (at += len)));
    } catch {
      throw corrupt('invalid UTF-8');
    }
  };
  const version = u8();
  if (version !== WIRE_VERSION) throw corrupt(`unsupported wire version ${version}`);
  const tag = u8();
  const backend = TAGS[tag];
  if (!backend) throw corrupt(`unknown backend tag 0x${tag.toString(16)}`);
  if (tag !== SQLITE_TAG) throw foreign(backend);
  const decoded: Handle = {
    backend,
    kind,
    executionId: str(),
    attemptIndex: u32(),
    attemptId: str(),
    leaseId: str(),
    leaseEpoch: u64(),
    leaseTtlMs: u64(),
    laneId: str(),
    workerInstanceId: str(),
  };
  if (at !== bytes.byteLength) throw corrupt(`${bytes.byteLength - at} trailing bytes`);
  const checked = handleSchema.safeParse(decoded);
  if (!checked.success) throw corrupt(`invalid field ${checked.error.issues[0]?.path.join('.')}`);
  return decoded;
}
