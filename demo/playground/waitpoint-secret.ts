/**
 * Suspension signs waitpoint tokens with an HMAC secret kept in the
 * database, and refuses to suspend until one is seeded. The playground
 * seeds a random one whenever the database has none (at start, and after a
 * reset or an import), so the in-page worker can suspend out of the box.
 * The secret is per database and throwaway: snapshots carry it.
 */
import { bytesToHex } from '@noble/hashes/utils.js';
import type { BrowserBackend } from '../../src/index.js';

/** The kid the playground's own secrets are signed under. */
export const PLAYGROUND_KID = 'playground-1';

/** Seed a random secret unless the database already has one; returns what the backend found. */
export async function seedWaitpointSecret(backend: BrowserBackend): Promise<'seeded' | 'already_seeded'> {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const secretHex = bytesToHex(bytes);
  const r = await backend.seedWaitpointHmacSecret({ kid: PLAYGROUND_KID, secretHex });
  return r.kind;
}
