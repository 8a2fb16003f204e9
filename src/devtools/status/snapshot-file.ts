/**
 * The snapshot file the devtools exports and imports (.ffsnap): one line of magic, one line of
 * JSON metadata (the Snapshot's fields plus where and when it was taken,
 * including the engine's virtual time), then the SQLite image as is.
 *
 *   FFSNAP1\n{"format":"ff-backend-browser/sqlite","checksum":"…",…}\n<image bytes>
 *
 * Import takes such a file, or a bare SQLite database file (then the
 * checksum is computed here and the backend checks and migrates it).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { EngineError } from '../../api/errors.js';
import type { Snapshot } from '../../worker/protocol.js';

const MAGIC = 'FFSNAP1\n';
const SQLITE_MAGIC = 'SQLite format 3\u0000';
/** Longest metadata line accepted: it is a few hundred bytes. */
const MAX_HEADER_BYTES = 64 * 1024;

export interface SnapshotFileHeader {
  format: Snapshot['format'];
  schemaVersion: number;
  sequence: number;
  checksum: string;
  createdAtMs: number;
  imageBytes: number;
  /** The database it was exported from. */
  database: string;
  clock: 'manual' | 'real';
  /** The engine clock when exported: importing into virtual time moves the clock here, so nothing is in the future. */
  engineNowMs: number;
}

export function encodeSnapshotFile(snapshot: Snapshot, meta: { database: string; clock: 'manual' | 'real'; engineNowMs: number }): Blob {
  const { image, ...rest } = snapshot;
  const header: SnapshotFileHeader = { ...rest, imageBytes: image.byteLength, ...meta };
  return new Blob([MAGIC, JSON.stringify(header), '\n', image.slice()], { type: 'application/octet-stream' });
}

export interface DecodedSnapshotFile {
  snapshot: Snapshot;
  /** Null for a bare SQLite file. */
  header: SnapshotFileHeader | null;
}

/** Read a file made by encodeSnapshotFile (or a bare SQLite database); bad files are validation errors. */
export function decodeSnapshotFile(bytes: Uint8Array, currentSchemaVersion: number): DecodedSnapshotFile {
  const start = new TextDecoder().decode(bytes.subarray(0, 16));
  if (start === SQLITE_MAGIC) {
    const image = bytes.slice();
    return {
      snapshot: { format: 'ff-backend-browser/sqlite', image, schemaVersion: currentSchemaVersion, sequence: 0, checksum: bytesToHex(sha256(image)), createdAtMs: Date.now() },
      header: null,
    };
  }
  if (!start.startsWith(MAGIC)) throw invalid('not a playground snapshot (.ffsnap) or SQLite database file');
  const end = bytes.subarray(0, MAX_HEADER_BYTES).indexOf(0x0a, MAGIC.length);
  if (end < 0) throw invalid('the metadata line is missing or too long');
  let header: SnapshotFileHeader;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(MAGIC.length, end))) as SnapshotFileHeader;
  } catch {
    throw invalid('the metadata line is not JSON');
  }
  if (typeof header !== 'object' || header === null || header.format !== 'ff-backend-browser/sqlite') throw invalid("the metadata does not describe an 'ff-backend-browser/sqlite' snapshot");
  const image = bytes.slice(end + 1);
  if (image.byteLength !== header.imageBytes) throw invalid(`the file is cut short or padded: expected ${header.imageBytes} image bytes, found ${image.byteLength}`);
  const { format, schemaVersion, sequence, checksum, createdAtMs } = header;
  // The backend checks the checksum, the schema version and the image itself.
  return { snapshot: { format, image, schemaVersion, sequence, checksum, createdAtMs }, header };
}

function invalid(why: string): EngineError {
  return new EngineError('validation.invalid_input', `Import: ${why}`, { field: 'file' });
}
