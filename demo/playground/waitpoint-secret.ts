/**
 * Suspension signs waitpoint tokens with an HMAC secret kept in the
 * database, and refuses to suspend until one is seeded. The playground
 * seeds a random one whenever the database has none (at start, and after a
 * reset or an import), so the in-page worker can suspend out of the box.
 * The secret is per database and throwaway: snapshots carry it.
 */
import type { App } from './app.js';

/** The kid the playground's own secrets are signed under. */
export const PLAYGROUND_KID = 'playground-1';

export class WaitpointSecret {
  /** What the last seeding found: 'seeded' (a new random secret), 'already_seeded' (the database had one), or null before it ran. */
  outcome: 'seeded' | 'already_seeded' | null = null;
  kid: string | null = null;

  constructor(private readonly app: App) {}

  async seed(): Promise<void> {
    const bytes = crypto.getRandomValues(new Uint8Array(32));
    const secretHex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
    const r = await this.app.backend.seedWaitpointHmacSecret({ kid: PLAYGROUND_KID, secretHex });
    this.outcome = r.kind;
    this.kid = r.kid;
  }

  /** A reset or import replaced the database: the new one may have no secret. */
  clear(): void {
    this.outcome = null;
    void this.seed().catch((err: unknown) => this.app.notices.error(err, 'Seeding the waitpoint secret'));
  }
}
