/**
 * Identifier generation. Ids come from an injectable generator so a seeded
 * run is reproducible; the default draws from the platform's CSPRNG.
 */
import { v4 } from 'uuid';

export interface IdGenerator {
  /** A lowercase hyphenated UUIDv4. */
  uuid(): string;
}

export const randomIds: IdGenerator = { uuid: () => v4() };

/**
 * Deterministic ids from a 32-bit seed (mulberry32). Not for production:
 * the point is that two runs with the same seed mint the same ids.
 */
export function seededIds(seed: number): IdGenerator {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  return {
    uuid() {
      const random = new Uint8Array(16);
      for (let i = 0; i < 16; i += 4) {
        const n = next();
        random[i] = n & 0xff;
        random[i + 1] = (n >>> 8) & 0xff;
        random[i + 2] = (n >>> 16) & 0xff;
        random[i + 3] = (n >>> 24) & 0xff;
      }
      return v4({ random });
    },
  };
}

/** FlowFabric's execution id wire form; this backend has one partition, 0. */
export function newExecutionId(ids: IdGenerator): string {
  return `{fp:0}:${ids.uuid()}`;
}
