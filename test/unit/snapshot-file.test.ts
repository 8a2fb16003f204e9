/**
 * The devtools' snapshot file (.ffsnap): what export writes, import reads
 * back exactly, and anything else is refused as a validation error on the
 * `file` field before the backend sees it.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { decodeSnapshotFile, encodeSnapshotFile } from '../../src/devtools/status/snapshot-file.js';
import type { Snapshot } from '../../src/worker/protocol.js';

const SQLITE_MAGIC = 'SQLite format 3\u0000';

function image(text: string): Uint8Array {
  return new TextEncoder().encode(SQLITE_MAGIC + text);
}

function snapshot(bytes: Uint8Array): Snapshot {
  return { format: 'ff-backend-browser/sqlite', image: bytes, schemaVersion: 7, sequence: 42, checksum: bytesToHex(sha256(bytes)), createdAtMs: 1_000 };
}

async function fileBytes(blob: Blob): Promise<Uint8Array> {
  return new Uint8Array(await blob.arrayBuffer());
}

function refusal(bytes: Uint8Array): unknown {
  try {
    decodeSnapshotFile(bytes, 7);
  } catch (err) {
    return err;
  }
  throw new Error('expected the file to be refused');
}

describe('snapshot file', () => {
  it('round-trips the snapshot and the export metadata; the image keeps every byte, newlines included', async () => {
    const original = snapshot(image('rows\nwith\nnewlines\u0000\u00ff'));
    const bytes = await fileBytes(encodeSnapshotFile(original, { database: 'db-virtual', clock: 'manual', engineNowMs: 5_000 }));
    expect(new TextDecoder().decode(bytes.subarray(0, 8))).toBe('FFSNAP1\n');
    const { snapshot: back, header } = decodeSnapshotFile(bytes, 99);
    expect(back).toEqual(original);
    expect(header).toMatchObject({ database: 'db-virtual', clock: 'manual', engineNowMs: 5_000, imageBytes: original.image.byteLength, schemaVersion: 7 });
  });

  it('takes a bare SQLite file: the current schema version, a checksum computed here, no header', () => {
    const bytes = image('a bare database');
    const { snapshot: s, header } = decodeSnapshotFile(bytes, 13);
    expect(header).toBeNull();
    expect(s).toMatchObject({ format: 'ff-backend-browser/sqlite', schemaVersion: 13, sequence: 0, checksum: bytesToHex(sha256(bytes)) });
    expect(s.image).toEqual(bytes);
  });

  it('refuses files that are neither, with a validation error naming the file field', async () => {
    const good = await fileBytes(encodeSnapshotFile(snapshot(image('x')), { database: 'd', clock: 'real', engineNowMs: 1 }));
    const text = (s: string): Uint8Array => new TextEncoder().encode(s);
    const cases: [Uint8Array, string][] = [
      [text('not a snapshot'), 'not a playground snapshot'],
      [text('FFSNAP1\n{"format":"ff-backend-browser/sqlite"'), 'metadata line is missing'],
      [text('FFSNAP1\n{not json}\nimage'), 'not JSON'],
      [text('FFSNAP1\n{"format":"other"}\nimage'), "does not describe an 'ff-backend-browser/sqlite' snapshot"],
      [good.subarray(0, good.length - 1), 'cut short or padded'],
      [new Uint8Array([...good, 0]), 'cut short or padded'],
    ];
    for (const [bytes, why] of cases) {
      const err = refusal(bytes);
      expect(err).toMatchObject({ code: 'validation.invalid_input', details: { field: 'file' } });
      expect((err as Error).message).toContain(why);
    }
  });
});
