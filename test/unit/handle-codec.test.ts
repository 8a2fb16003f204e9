import { describe, expect, it } from 'vitest';
import { decodeHandle, encodeHandle, type Handle } from '../../src/index.js';
import { catchError, makeEngine, WORKER } from './helpers.js';

const HANDLE: Handle = {
  backend: 'sqlite',
  kind: 'fresh',
  executionId: '{fp:0}:0b5a3c1e-8a5d-4c7e-9f00-123456789abc',
  attemptIndex: 2,
  attemptId: '11111111-1111-4111-8111-111111111111',
  leaseId: '22222222-2222-4222-8222-222222222222',
  leaseEpoch: 7,
  leaseTtlMs: 30_000,
  laneId: 'lane-ü',
  workerInstanceId: 'w-1',
};

describe('handle wire codec (FlowFabric v2, tag 0x03)', () => {
  it('round-trips', () => {
    expect(decodeHandle(encodeHandle(HANDLE))).toEqual(HANDLE);
    expect(decodeHandle(encodeHandle(HANDLE), 'reclaimed').kind).toBe('reclaimed');
  });

  it('lays bytes out as magic, version, tag, then length-prefixed little-endian fields', () => {
    const bytes = encodeHandle(HANDLE);
    expect([...bytes.subarray(0, 3)]).toEqual([0x02, 0x01, 0x03]);
    const view = new DataView(bytes.buffer);
    expect(view.getUint32(3, true)).toBe(HANDLE.executionId.length);
    const afterId = 3 + 4 + HANDLE.executionId.length;
    expect(view.getUint32(afterId, true)).toBe(2);
    // ends with worker_instance_id
    expect(new TextDecoder().decode(bytes.subarray(bytes.length - 3))).toBe('w-1');
  });

  it('a claimed handle encodes, decodes and still completes', async () => {
    const { engine } = await makeEngine();
    engine.createExecution({ laneId: 'l' });
    const h = engine.claim({ laneId: 'l', ...WORKER })!;
    expect(engine.completeExecution({ handle: decodeHandle(encodeHandle(h)) }).kind).toBe('completed');
  });

  it("rejects another backend's handle with a typed error", () => {
    const valkey = encodeHandle(HANDLE);
    valkey[2] = 0x01;
    expect(catchError(() => decodeHandle(valkey))).toMatchObject({
      code: 'validation.handle_from_other_backend',
      details: { expected: 'sqlite', actual: 'valkey' },
    });
    const postgres = encodeHandle(HANDLE);
    postgres[2] = 0x02;
    expect(catchError(() => decodeHandle(postgres)).details['actual']).toBe('postgres');
    expect(catchError(() => decodeHandle(new Uint8Array([0x01, 0, 0]))).details['actual']).toBe('valkey');
  });

  it('rejects truncated, trailing, or garbled bytes as corruption', () => {
    const bytes = encodeHandle(HANDLE);
    expect(catchError(() => decodeHandle(bytes.subarray(0, bytes.length - 1))).code).toBe('validation.corruption');
    const longer = new Uint8Array(bytes.length + 1);
    longer.set(bytes);
    expect(catchError(() => decodeHandle(longer)).message).toMatch(/trailing/);
    const badVersion = bytes.slice();
    badVersion[1] = 9;
    expect(catchError(() => decodeHandle(badVersion)).code).toBe('validation.corruption');
    expect(catchError(() => decodeHandle(new Uint8Array())).code).toBe('validation.corruption');
    const badTag = bytes.slice();
    badTag[2] = 0x09;
    expect(catchError(() => decodeHandle(badTag)).code).toBe('validation.corruption');
  });

  it('refuses to encode a foreign handle', () => {
    expect(catchError(() => encodeHandle({ ...HANDLE, backend: 'postgres' })).code).toBe('validation.handle_from_other_backend');
  });
});
